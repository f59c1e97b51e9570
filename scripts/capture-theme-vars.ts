/**
 * Captures the `--vscode-*` CSS variables and body classes real VS Code (code-server, the e2e harness) gives
 * an extension webview in the four built-in theme kinds, into test/webview/vscode-theme-vars.json. The
 * webview contrast test (test/webview/themes.test.ts) applies exactly these, so "readable in every theme"
 * is checked against the colours users get, not against a hand-picked subset.
 *
 *   npm run package && node --import tsx scripts/capture-theme-vars.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeUserSettings, findWebviewFrame, openFile, runCommand, selectLine, startVSCode } from '../test/e2e/harness';
import { repoRoot } from './code-server';

export const THEME_KINDS = {
  dark: 'Default Dark Modern',
  light: 'Default Light Modern',
  hcDark: 'Default High Contrast',
  hcLight: 'Default High Contrast Light',
} as const;

/** The little of the DOM read inside the webview (this file is type-checked without the DOM lib). */
interface WebviewDocument {
  documentElement: { style: { length: number; item(i: number): string; getPropertyValue(name: string): string } };
  body: { classList: { contains(c: string): boolean } & Iterable<string> };
}

interface Captured {
  theme: string;
  bodyClass: string;
  vars: Record<string, string>;
}

async function main(): Promise<void> {
  const vs = await startVSCode({ label: 'theme-vars' });
  const out: Record<string, Captured> = {};
  try {
    await openFile(vs.page, 'the-verdict.txt');
    await selectLine(vs.page, 1);
    await runCommand(vs.page, 'Token Embeddings: Inspect Selection');
    for (const [kind, theme] of Object.entries(THEME_KINDS)) {
      await changeUserSettings(vs.page, { 'workbench.colorTheme': theme });
      const frame = await findWebviewFrame(vs.page, { title: 'Token Embeddings', selector: '.strip .chip-id' });
      // VS Code sets the theme on the webview's <html> style and <body> class; wait until it is this theme's.
      const expectedClass = kind === 'hcDark' ? 'vscode-high-contrast' : kind === 'hcLight' ? 'vscode-high-contrast-light' : `vscode-${kind}`;
      await frame.waitForFunction((cls) => (globalThis as unknown as { document: WebviewDocument }).document.body.classList.contains(cls), expectedClass);
      out[kind] = await frame.evaluate((t) => {
        const d = (globalThis as unknown as { document: WebviewDocument }).document;
        const style = d.documentElement.style;
        const vars: Record<string, string> = {};
        for (let i = 0; i < style.length; i++) {
          const name = style.item(i);
          if (name.startsWith('--vscode-')) vars[name] = style.getPropertyValue(name).trim();
        }
        const bodyClass = [...d.body.classList].filter((c) => c.startsWith('vscode-')).join(' ');
        return { theme: t, bodyClass, vars };
      }, theme);
      console.log(`${kind}: ${Object.keys(out[kind]!.vars).length} variables, body class "${out[kind]!.bodyClass}"`);
    }
  } finally {
    await vs.close();
  }
  const file = join(repoRoot, 'test', 'webview', 'vscode-theme-vars.json');
  writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote ${file}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
