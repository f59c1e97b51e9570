// Open models in a real VS Code (code-server + Chromium): Select Tokenizer… with Llama 3's real tokenizer.json
// (hover ids equal Hugging Face's Rust tokenizers), a broken tokenizer.json refused with the previous tokenizer
// kept, Open Model… on a Hugging Face folder (the panel shows the file's rows; a padding row is marked in the
// nearest tokens) and on a GGUF file (Q8_0 rows dequantized, RoPE explained: combined = token vector), and Use
// Random Init keeping the model's tokenizer. The files are written into the test's workspace at test time.
import assert from 'node:assert/strict';
import { closeSync, constants, mkdirSync, openSync, writeSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import {
  assertNoExtensionErrors,
  openFile,
  resetWorkbench,
  runCommand,
  selectLine,
  setMachineSettings,
  showHover,
  startVSCode,
  waitFor,
  waitForNotification,
  waitForPanelSource,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';
import { GGUF_DIM, PADDING_TWIN, ggufTokenRow, hfTokenRow, writeModelFixtures, type ModelFixtures } from './modelFixtures';
import { chooseInDialog, chooseTokenizerFile, pick, startCommand, statusCount, widget } from './sourceSteps';
import { DIM, positionRow } from './tinyWeights';
import { Tokenizer } from '@anush008/tokenizers';

/** ASCII only, so the Rust offsets (characters) are the editor's columns. */
const LLAMA_TEXT = 'Tokenizers split unbelievably long words into pieces.\n';

let vs: VSCodeSession | undefined;
let files: ModelFixtures;
/**
 * A tokenizer.json that is a named pipe: reading it waits until the test writes, so "loading…" lasts exactly as
 * long as the test needs to press Cancel (no race with how fast the machine parses a real file).
 */
let slowTokenizer = '';

before(async () => {
  vs = await startVSCode({ label: 'models' });
  files = writeModelFixtures(vs.server.workspaceDir);
  writeFileSync(join(vs.server.workspaceDir, 'llama.txt'), LLAMA_TEXT);
  mkdirSync(join(vs.server.workspaceDir, 'slow'));
  slowTokenizer = join(vs.server.workspaceDir, 'slow', 'tokenizer.json');
  execFileSync('mkfifo', [slowTokenizer]);
});

after(async () => {
  await vs?.close();
});

/** Columns dim · tok · pos · combined of the values table for the first chip's token. */
async function firstTokenValues(panel: Frame, id: number): Promise<string[][]> {
  await panel.locator('.strip .chip').first().click();
  const caption = panel.locator('table.values caption');
  if (!(await caption.isVisible())) await panel.locator('summary', { hasText: 'Values of the selected row' }).click();
  await waitFor(
    async () => new RegExp(`\\(id ${id}\\) at position 0`).test(await caption.innerText().catch(() => '')) || undefined,
    `values of token ${id}`,
    60_000,
  );
  return panel
    .locator('table.values tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (c) => c.textContent ?? '')),
    );
}

/**
 * Each test's start: no editors or notifications, harness user settings, and no tokenizer, weights or model path.
 * Those three are machine settings: in code-server's remote window VS Code keeps them in the extension host
 * machine's settings file, which the user-settings reset does not touch.
 */
async function freshStart(page: Page): Promise<void> {
  setMachineSettings(vs!.server, {});
  await resetWorkbench(page, { userSettings: {} });
}

async function inspectFirstLine(page: Page, file: string): Promise<void> {
  await openFile(page, file);
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
}

test('Select Tokenizer… with Llama 3’s tokenizer.json: hover ids equal HF Rust tokenizers; a broken file keeps it', { timeout: 420_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await openFile(page, 'llama.txt');
  await statusCount(page, /tokens? · gpt2$/);

  await startCommand(page, 'Token Embeddings: Select Tokenizer…');
  await chooseTokenizerFile(page, files.llama3Tokenizer);
  assert.match(await statusCount(page, /llama3/), /tokens? · llama3/);

  // The hovered token's id is the one Hugging Face's Rust tokenizers gives for the token covering that column.
  const rust = await Tokenizer.fromFile(files.llama3Tokenizer).encode(LLAMA_TEXT, null, { addSpecialTokens: false });
  // A column inside "vably" (of " unbelie" + "vably"): an id only Llama 3's vocabulary has.
  const column = LLAMA_TEXT.indexOf('unbelievably') + 10;
  const index = rust.getOffsets().findIndex(([start, end]) => start! <= column - 1 && column - 1 < end!);
  const expected = rust.getIds()[index]!;
  assert.ok(expected > 50_257, `a Llama 3 id beyond GPT-2's range helps tell them apart (${expected})`);
  const hover = await showHover(page, { line: 1, column }, /token ID/);
  assert.match(hover, new RegExp(`token ID ${expected} \\(llama3`), hover);
  await page.keyboard.press('Escape');

  // A broken tokenizer.json: refused with its reason, and Llama 3's stays active.
  await startCommand(page, 'Token Embeddings: Select Tokenizer…');
  // The recently used list remembers Llama 3's file, marked current.
  await widget(page)
    .locator('.monaco-list-row', { hasText: /llama3.*current/ })
    .first()
    .waitFor();
  await chooseTokenizerFile(page, files.brokenTokenizer);
  const toast = await waitForNotification(page, /cannot use tokenizer broken/, 120_000);
  const message = await toast.innerText();
  assert.match(message, /JSON|json/, message);
  assert.match(message, /Still using the random init \(seed 123\) with tokenizer llama3/, message);
  assert.match(await statusCount(page, /tokens? · /), /· llama3/);
  const again = await showHover(page, { line: 1, column }, /token ID/);
  assert.match(again, new RegExp(`token ID ${expected} \\(llama3`));
  await page.keyboard.press('Escape');
});

test('Open Model… on a Hugging Face folder: the model’s rows in the panel, a padding row marked', { timeout: 420_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await startCommand(page, 'Token Embeddings: Open Model…');
  await pick(page, /Open Model/, 'Open Hugging Face model folder');
  await chooseInDialog(page, /Open Model/, files.hfFolder, 'Open Model');
  await inspectFirstLine(page, 'the-verdict.txt');
  const panel = await waitForPanelSource(page, /tiny-gpt2-model/, 'the model folder in the panel', 120_000);
  const bar = await panel.locator('.source-bar').innerText();
  assert.match(bar, /gpt2/, bar);
  assert.match(bar, /transformer\.wte\.weight/, bar);
  assert.match(bar, /F32/, bar);
  assert.match(bar, /47 padding rows/, bar);

  // Token 40 ("I") at position 0: the file's token row and learned position row 0.
  const rows = await firstTokenValues(panel, 40);
  assert.equal(rows.length, DIM);
  const tok = hfTokenRow(40);
  const pos = positionRow(0);
  for (const [dim, t, p, c] of rows) {
    const j = Number(dim);
    assert.equal(t, tok[j]!.toFixed(4), `tok dim ${j}`);
    assert.equal(p, pos[j]!.toFixed(4), `pos dim ${j}`);
    assert.equal(c, Math.fround(tok[j]! + pos[j]!).toFixed(4), `combined dim ${j}`);
  }

  // Its nearest token is the padding row made parallel to it, marked as never trained.
  await panel.locator('#neighbors[data-status=ready]').waitFor({ timeout: 120_000 });
  const first = await panel.locator('#neighbors-list li').first().innerText();
  assert.match(first, new RegExp(`id ${PADDING_TWIN.row}`), first);
  assert.match(first, /padding \(never trained\)/, first);
  assert.match(first, /1\.0000/, first);
});

test('Open Model… on a .gguf: Q8_0 rows dequantized, RoPE explained; Use Random Init keeps its tokenizer', { timeout: 420_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await startCommand(page, 'Token Embeddings: Open Model…');
  await pick(page, /Open Model/, 'Open .gguf file');
  await chooseInDialog(page, /Open Model/, files.gguf);
  await inspectFirstLine(page, 'the-verdict.txt');
  const panel = await waitForPanelSource(page, /tiny-llama-q8_0\.gguf/, 'the GGUF model in the panel', 120_000);
  const bar = await panel.locator('.source-bar').innerText();
  assert.match(bar, /Q8_0/, bar);
  assert.match(bar, /llama/, bar);
  assert.match(bar, /7 padding rows/, bar);
  assert.match(bar, /RoPE/, bar);
  assert.match(bar, /combined = token vector/, bar);

  const rows = await firstTokenValues(panel, 40);
  assert.equal(rows.length, GGUF_DIM);
  const tok = ggufTokenRow(40);
  for (const [dim, t, p, c] of rows) {
    const j = Number(dim);
    assert.equal(t, tok[j]!.toFixed(4), `tok dim ${j}`);
    assert.equal(Number(p), 0, `RoPE adds nothing: pos dim ${j}`);
    assert.equal(c, t, `combined = token, dim ${j}`);
  }

  // Back to random tables: the message says the tokenizer stays, and the panel keeps the GGUF's tokenizer.
  await runCommand(page, 'Token Embeddings: Use Random Init (forget loaded weights or model; keep the tokenizer)');
  const toast = await waitForNotification(page, /the tokenizer stays/, 120_000);
  assert.match(await toast.innerText(), /tiny-llama-q8_0\.gguf/);
  const random = await waitForPanelSource(page, /random init · seed 123/, 'the random init with the GGUF tokenizer', 120_000);
  assert.match(await random.locator('.source-bar').innerText(), /tiny-llama-q8_0\.gguf/);
});

test('Cancel while a tokenizer loads: nothing changes and the previous tokenizer stays', { timeout: 300_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await openFile(page, 'llama.txt');
  await statusCount(page, /tokens? · gpt2$/);
  await startCommand(page, 'Token Embeddings: Select Tokenizer…');
  await chooseTokenizerFile(page, slowTokenizer);
  // The worker waits on the pipe: the cancellable progress notification stays until Cancel.
  const progress = await waitForNotification(page, /loading tokenizer slow/, 60_000);
  await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
  const toast = await waitForNotification(page, /loading tokenizer slow was cancelled/, 60_000);
  assert.match(await toast.innerText(), /Still using the random init \(seed 123\) with tokenizer gpt2/);
  // Release the reader still waiting on the pipe (non-blocking: if it has gone, there is nothing to release).
  try {
    const fd = openSync(slowTokenizer, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, '{}');
    closeSync(fd);
  } catch {
    // no reader any more
  }
  const hover = await showHover(page, { line: 1, column: 3 }, /token ID/);
  assert.match(hover, /token ID \d+ \(gpt2\)/, 'still GPT-2');
  await page.keyboard.press('Escape');
  assert.match(await statusCount(page, /tokens? · /), /· gpt2$/);
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
