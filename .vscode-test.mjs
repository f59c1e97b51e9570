// @vscode/test-cli config for `npm run test:integration`: the extension (this folder, built into dist/)
// in a downloaded VS Code, with the mocha tests bundled into out/integration. Needs internet to fetch
// VS Code, so it is not part of `npm test`; the real-VS-Code tests that run everywhere are test/e2e.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: 'out/integration/**/*.test.js',
  version: process.env.VSCODE_TEST_VERSION ?? 'stable',
  workspaceFolder: './samples',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 30_000 },
});
