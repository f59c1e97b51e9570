// Real learned embeddings in a real VS Code (code-server + Chromium): a GPT-2-vocabulary .safetensors file
// written by the test is loaded through the tokenEmbeddings.weightsPath setting and through the
// "Load Embedding Weights…" command's file dialog; the panel shows the file as its source, its heatmap tooltip
// shows the file's numbers, the nearest tokens of a selected token are listed, "Use random init" switches back,
// and a file whose vocabulary does not match the encoding is refused with its reason while the random init stays.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import {
  assertNoExtensionErrors,
  openFile,
  resetWorkbench,
  runCommand,
  screenshot,
  selectLine,
  setMachineSettings,
  startVSCode,
  waitFor,
  waitForNotification,
  waitForPanelSource,
  webviewCspViolations,
  type VSCodeSession,
  openQuickInput,
} from './harness';
import { positionRow, tokenRow, writeTinyGpt2Weights, writeWrongVocabWeights } from './tinyWeights';

let vs: VSCodeSession | undefined;
let goodPath = '';
let wrongVocabPath = '';

before(async () => {
  vs = await startVSCode({ label: 'weights' });
  goodPath = join(vs.server.workspaceDir, 'tiny-gpt2.safetensors');
  writeTinyGpt2Weights(goodPath);
  wrongVocabPath = join(vs.server.workspaceDir, 'wrong-vocab.safetensors');
  writeWrongVocabWeights(wrongVocabPath);
});

after(async () => {
  await vs?.close();
});

/**
 * Each test's starting point, whatever the one before left: no weights file in the settings, no editors or
 * notifications, then the first line of the-verdict.txt inspected with the random init shown.
 */
async function inspectWithRandomInit(): Promise<Frame> {
  const { page, server } = vs!;
  setMachineSettings(server, {});
  await resetWorkbench(page);
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  return waitForPanelSource(page, 'random init · seed 123', 'the random init source');
}

test('weights from the setting: the panel shows the file, its numbers and nearest tokens', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;
  let frame = await inspectWithRandomInit();
  assert.equal(await frame.locator('#use-random-init').isVisible(), false);

  setMachineSettings(server, { 'tokenEmbeddings.weightsPath': goodPath });
  frame = await waitForPanelSource(page, 'tiny-gpt2.safetensors', 'the file source');
  assert.equal((await frame.locator('#source-detail').innerText()).trim(), 'wte.weight + wpe.weight · F32 · 50,257 × 8');
  assert.match(await frame.locator('table.shapes').evaluate((table) => table.textContent ?? ''), /\(8, 16, 8\)/, 'dim and context length come from the file');
  assert.equal(await frame.locator('input[name=dim]').inputValue(), '8');
  assert.equal(await frame.locator('input[name=contextLength]').inputValue(), '16');
  const ids = (await frame.locator('.strip .chip-id').allInnerTexts()).map(Number);
  assert.deepEqual(ids.slice(0, 4), [40, 367, 2885, 1464]);

  // A token-heatmap cell's tooltip shows the file's row for that token and the file's positional row.
  const canvas = frame.locator('#map-token canvas').first();
  const box = await canvas.boundingBox();
  assert.ok(box);
  const tooltip = frame.locator('#heatmap-tooltip');
  await waitFor(
    async () => {
      for (const [fx, fy] of [
        [0.3, 0.15],
        [0.5, 0.2],
        [0.4, 0.3],
        [0.6, 0.4],
      ]) {
        await canvas.hover({ position: { x: box!.width * fx, y: box!.height * fy } });
        if (await tooltip.isVisible()) return true;
      }
      return false;
    },
    'the heatmap tooltip',
    30_000,
  );
  const tip = await tooltip.innerText();
  const sum = /tok (-?[\d.]+) \+ pos (-?[\d.]+) = (-?[\d.]+)/.exec(tip);
  const where = /token (\d+) · position (\d+) · dim (\d+)/.exec(tip);
  assert.ok(sum && where, tip);
  const [tok, pos] = sum.slice(1).map(Number);
  const [row, position, col] = where.slice(1).map(Number);
  assert.ok(Math.abs(tokenRow(ids[row]!)[col]! - tok!) <= 5e-5, `token ${ids[row]} dim ${col}: file ${tokenRow(ids[row]!)[col]}, shown ${tok}`);
  assert.ok(Math.abs(positionRow(position!)[col]! - pos!) <= 5e-5, `position ${position} dim ${col}: file ${positionRow(position!)[col]}, shown ${pos}`);

  // Selecting " always" (1464) lists its nearest tokens; its twin row (2 × the same vector) comes first at 1.
  await frame
    .locator('.strip .chip', { has: frame.locator('.chip-id', { hasText: /^1464$/ }) })
    .first()
    .click();
  await frame.locator('#neighbors[data-status=ready]').waitFor({ timeout: 60_000 });
  const first = await frame.locator('#neighbors-list li').first().innerText();
  assert.match(first, /id 2885/);
  assert.match(first, /1\.0000/);
  assert.equal(await frame.locator('#neighbors-list li').count(), 10);
  const scores = (await frame.locator('#neighbors-list .neighbor-score').allInnerTexts()).map(Number);
  assert.ok(scores[1]! < 0.9995, `only the twin is parallel: ${scores.join(', ')}`);
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1]! >= scores[i]!, 'best first');
  await frame.locator('#neighbors').scrollIntoViewIfNeeded();
  await screenshot(page, 'e2e-weights-panel');

  // "Use random init" in the panel clears the setting: back to the seeded tables.
  await frame.locator('#use-random-init').click();
  frame = await waitForPanelSource(page, 'random init · seed 123', 'the random init again');
  assert.match(await frame.locator('table.shapes').evaluate((table) => table.textContent ?? ''), /\(8, 4, 256\)/);
});

test('Load Embedding Weights… picks the file in the file dialog', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await inspectWithRandomInit();
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').waitFor();
  // From the palette by hand (not runCommand, which waits for the quick input to close: the dialog reuses it).
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await openQuickInput(page, 'F1');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Token Embeddings: Load Embedding Weights');
  await widget.locator('.monaco-list-row.focused', { hasText: 'Load Embedding Weights' }).waitFor();
  await page.keyboard.press('Enter');
  // code-server's file dialog (VS Code's simple file dialog) is a quick input holding a path. It opens
  // busy: until it has listed the starting folder (the workspace) it overwrites the input with that
  // folder's path — the cause of the old "waiting for the typed path" failures under load. Type only once
  // the listing shows (only folders and .safetensors files: the command filters for them).
  await widget.locator('.quick-input-title', { hasText: 'Load Embedding Weights' }).waitFor();
  await widget.locator('.monaco-list-row', { hasText: 'wrong-vocab.safetensors' }).first().waitFor();
  await input.fill(goodPath);
  await waitFor(async () => (await input.inputValue()) === goodPath || undefined, 'the typed path to stay in the dialog');
  // The dialog has matched the typed path to the file: its row is the active one.
  await widget.locator('.monaco-list-row.focused', { hasText: 'tiny-gpt2.safetensors' }).waitFor();
  // Enter is queued while the dialog is busy and accepted once it has checked the path; the dialog closes.
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await waitForPanelSource(page, 'tiny-gpt2.safetensors', 'the file source after the dialog');
});

test('a file whose vocabulary does not match the encoding: refused with the reason, the random init stays', { timeout: 180_000 }, async () => {
  const { page, server } = vs!;
  await inspectWithRandomInit();
  setMachineSettings(server, { 'tokenEmbeddings.weightsPath': wrongVocabPath });
  const toast = await waitForNotification(page, /cannot use weights wrong-vocab\.safetensors/, 60_000);
  const message = await toast.innerText();
  assert.match(message, /1,?000|1000/);
  assert.match(message, /Still using the random init \(seed 123\) with tokenizer gpt2/, message);
  assert.ok(await toast.locator('.monaco-button', { hasText: 'Open Setting' }).isVisible(), message);
  // The views never tried the file: the panel still shows the random init.
  await waitForPanelSource(page, 'random init · seed 123', 'the random init after the refusal');
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
