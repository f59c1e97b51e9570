// Switching weight files in a real VS Code (code-server + Chromium), from the explorer's context menu:
// a file whose tensors are picked by hand (odd-names), then a GPT-2-named file (tiny-gpt2) must switch
// cleanly — no error naming the previous file (the tensor names and the path change as one) — and a file
// that cannot be used (wrong vocabulary) is refused before anything changes: the previous file stays active.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildSafetensors } from '../unit/helpers/safetensorsWriter';
import {
  assertNoExtensionErrors,
  findWebviewFrame,
  notificationMessages,
  openFile,
  readExtensionLog,
  runCommand,
  selectLine,
  startVSCode,
  waitForNotification,
  waitForPanelSource,
  type VSCodeSession,
} from './harness';

const VOCAB = 50_257;
const DIM = 8;
const CONTEXT = 16;

/** A rows × DIM float32 table with small distinct values (a linear congruential sequence). */
function f32Table(rows: number, salt: number): Uint8Array {
  const t = new Float32Array(rows * DIM);
  let x = salt >>> 0;
  for (let i = 0; i < t.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    t[i] = x / 2 ** 32 - 0.5;
  }
  return new Uint8Array(t.buffer);
}

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'weights-switch' });
  const dir = vs.server.workspaceDir;
  // Names no auto-detection knows: "Load Embedding Weights…" asks which tensor is which.
  writeFileSync(
    join(dir, 'odd-names.safetensors'),
    buildSafetensors([
      { name: 'lookup_a', dtype: 'F32', shape: [VOCAB, DIM], data: f32Table(VOCAB, 1) },
      { name: 'lookup_b', dtype: 'F32', shape: [CONTEXT, DIM], data: f32Table(CONTEXT, 2) },
    ]),
  );
  writeFileSync(
    join(dir, 'tiny-gpt2.safetensors'),
    buildSafetensors([
      { name: 'wte.weight', dtype: 'F32', shape: [VOCAB, DIM], data: f32Table(VOCAB, 3) },
      { name: 'wpe.weight', dtype: 'F32', shape: [CONTEXT, DIM], data: f32Table(CONTEXT, 4) },
    ]),
  );
  writeFileSync(join(dir, 'wrong-vocab.safetensors'), buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [1000, DIM], data: f32Table(1000, 5) }]));
});

after(async () => {
  await vs?.close();
});

/** Right-click → "Load Embedding Weights…" on a workspace file in the explorer. */
async function loadFromExplorer(page: Page, file: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click({ button: 'right' });
  // The workbench's menus act on the focused item's Enter more reliably than on a synthetic click.
  await page.locator('.context-view .action-label', { hasText: 'Load Embedding Weights' }).first().hover();
  await page.locator('.context-view .action-item.focused', { hasText: 'Load Embedding Weights' }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' });
}

/** Picks `label` in the open quick pick whose title mentions `title`. */
async function pick(page: Page, title: RegExp, label: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  await widget.locator('.monaco-list-row', { hasText: label }).first().click();
}

const FALSE_ERROR = /cannot be used|cannot use/;

test('odd-names (tensors picked by hand), then tiny-gpt2: the panel switches with no error', { timeout: 300_000 }, async () => {
  const { page, server } = vs!;
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  await waitForPanelSource(page, 'random init · seed 123', 'the panel to show the random init');

  await loadFromExplorer(page, 'odd-names.safetensors');
  await pick(page, /token embedding tensor/, 'lookup_a');
  await pick(page, /positional embedding tensor/, 'lookup_b');
  await waitForPanelSource(page, 'odd-names.safetensors', 'the panel to show odd-names.safetensors');

  await loadFromExplorer(page, 'tiny-gpt2.safetensors');
  const frame = await waitForPanelSource(page, 'tiny-gpt2.safetensors', 'the panel to show tiny-gpt2.safetensors');
  // The panel has caught up with the final settings; every in-between inspection has run by now.
  assert.equal(await frame.locator('.error-banner').isVisible(), false, 'no error banner in the panel');
  assert.deepEqual(
    (await notificationMessages(page)).filter((m) => FALSE_ERROR.test(m)),
    [],
    'no error toast',
  );
  assert.doesNotMatch(readExtensionLog(server), /inspect failed/, 'no inspection with a mixed-up source');
});

test('a file that cannot be used is refused and the previous file stays active', { timeout: 180_000 }, async () => {
  const { page, server } = vs!;
  await loadFromExplorer(page, 'wrong-vocab.safetensors');
  const toast = await waitForNotification(page, /cannot use wrong-vocab\.safetensors/, 60_000);
  assert.match(await toast.innerText(), /Still using tiny-gpt2\.safetensors/);
  const frame = await waitForPanelSource(page, 'tiny-gpt2.safetensors', 'the panel to show tiny-gpt2.safetensors');
  assert.equal(await frame.locator('.error-banner').isVisible(), false);
  assert.doesNotMatch(readExtensionLog(server), /settings changed: .*wrong-vocab/, 'the setting never pointed at the rejected file');
  // The sidebar follows the same (unchanged) settings: open it and see the file's width.
  await runCommand(page, 'Token Embeddings: Open Side Panel');
  await page.keyboard.press('Control+1'); // back to the-verdict.txt: the side panel follows the active editor
  const side = await findWebviewFrame(page, { title: 'Token Embeddings Sidebar', selector: '.strip .chip-id' }, 60_000);
  assert.equal(await side.locator('.error-banner').isVisible(), false, 'no error banner in the side panel');
});

test('no errors in the extension host log', () => {
  assertNoExtensionErrors(vs!.server);
});
