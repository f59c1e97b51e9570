// ESLint (flat config): typescript-eslint's recommended rules, the layer rules of docs/architecture.md, and no
// import cycles. `npm run lint` runs it; `npm test` runs lint first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Imports a layer may not make, as no-restricted-imports patterns. */
const forbid = (message, ...regexes) => regexes.map((regex) => ({ regex, message }));
const NOT_VSCODE = forbid('Only src/host and src/extension.ts talk to VS Code.', '^vscode$');
const NOT_HOST = forbid('This layer cannot use the extension host (src/host).', '(^|/)host(/|$)', '(^|/)extension$');
const NOT_NODE = forbid('The webview runs in a browser: no Node modules.', '^node:');

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '**/*.generated.ts', 'test/e2e/fixtures/**', 'samples/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      // How no-cycle reads the files an import leads to.
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.json', 'webview/tsconfig.json', 'test/webview/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Unused names are compile errors already (noUnusedLocals/Parameters); `_x` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Input validation matches control characters on purpose (NUL in paths, C0 in JSON strings).
      'no-control-regex': 'off',
      // Expected CLI/PyTorch output is matched with its exact spacing, which reads better than ` {4}`.
      'no-regex-spaces': 'off',
      // `let x; … closures use x …; x = new …` wires two ends that refer to each other.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // ── layers ──
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: forbid('src/shared is compiled by host, worker and webview: it imports only src/shared.', '^(?!\\./)') }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/worker/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...NOT_VSCODE, ...NOT_HOST, ...forbid('Engine code cannot use webview code.', '(^|/)webview(/|$)')] }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...NOT_VSCODE, ...NOT_NODE, ...forbid('The webview shares only src/shared with the rest of the code.', '^(\\.\\./)+src/(?!shared/)')],
        },
      ],
    },
  },
  // ── plain JavaScript build and tool scripts run in Node ──
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', __dirname: 'readonly' } },
  },
);
