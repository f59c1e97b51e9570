// The extension's features in a real VS Code (code-server + Chromium), driven like a user:
// Inspect Selection → panel (token IDs, shapes, heatmaps, cell tooltip), hover on a word, the side
// panel following the cursor, settings changes reaching the panel, and no errors or CSP violations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import {
  assertNoExtensionErrors,
  findWebviewFrame,
  goTo,
  inspectorPanel,
  openFile,
  readExtensionLog,
  resetWorkbench,
  runCommand,
  screenshot,
  selectLine,
  startVSCode,
  waitFor,
  webviewCspViolations,
  type VSCodeSession,
  openQuickInput,
  stripChipIds,
} from './harness';

const reference = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'torch-reference-rows.json'), 'utf8')) as {
  book_50257x256: { tok_rows: Record<string, number[]>; pos_rows: Record<string, number[]> };
};

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'inspector' });
});

after(async () => {
  await vs?.close();
});

/** Every test's starting point: default settings, no editors (so no panel), no notifications. */
async function freshStart(page: Page): Promise<void> {
  await resetWorkbench(page, { userSettings: {} });
}

/** the-verdict.txt's first line, inspected in the panel; returns the panel once it shows the tokens. */
async function inspectFirstLine(page: Page): Promise<Frame> {
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const frame = await inspectorPanel(page);
  await waitFor(async () => (await stripChipIds(frame)).slice(0, 4).join(',') === '40,367,2885,1464' || undefined, 'the first line’s tokens');
  return frame;
}

/** Focuses the editor of the first group (the-verdict.txt; the panel sits in the second group). */
async function focusFirstEditor(page: Page): Promise<void> {
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
}

/**
 * Token Embeddings: Select Encoding… from the command palette, then the encoding in its quick pick.
 * (Not the harness's runCommand: it waits for the quick input to close, but this command reopens it.)
 */
async function pickEncoding(page: Page, encoding: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await openQuickInput(page, 'F1');
  await input.waitFor({ state: 'visible' });
  await input.pressSequentially('Token Embeddings: Select Encoding', { delay: 5 });
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Select Encoding' }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget input.input[placeholder^="Current:"]').waitFor({ state: 'visible', timeout: 20_000 });
  await input.pressSequentially(encoding, { delay: 5 });
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: encoding }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Number of painted (non-transparent) pixels of the canvases inside `selector`. */
async function paintedPixels(frame: Frame, selector: string): Promise<number> {
  return frame.evaluate((sel) => {
    type Canvas = {
      width: number;
      height: number;
      getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Canvas> } }).document;
    let painted = 0;
    const canvases = doc.querySelectorAll(`${sel} canvas`);
    for (let c = 0; c < canvases.length; c++) {
      const canvas = canvases[c];
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    }
    return painted;
  }, selector);
}

test('Inspect Selection on the first line shows its tokens, shapes, heatmaps and exact values', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  const panel = await inspectFirstLine(page);
  const ids = await stripChipIds(panel);
  assert.deepEqual(ids.slice(0, 4), ['40', '367', '2885', '1464'], 'GPT-2 ids of "I HAD always"');

  // The status bar counts the selection's tokens (in the worker): as many as the panel shows.
  const count = page.locator('.statusbar-item', { hasText: / tokens? · gpt2$/ }).first();
  await waitFor(
    async () => (await count.innerText().catch(() => '')).trim() === `${ids.length} tokens · gpt2` || undefined,
    `status bar "${ids.length} tokens · gpt2"`,
    30_000,
  );

  // Book shapes with the default settings (batch 8, context 4, dim 256).
  const shapes = await panel.locator('table.shapes').evaluate((table) => table.textContent ?? '');
  assert.match(shapes, /\(8, 4\)/);
  assert.match(shapes, /\(8, 4, 256\)/);
  assert.match(shapes, /\(4, 256\)/);

  // The three heatmaps are painted.
  for (const id of ['#map-token', '#map-position', '#map-combined']) {
    const painted = await waitFor(async () => (await paintedPixels(panel, id)) > 500 && paintedPixels(panel, id), `${id} painted`, 30_000);
    assert.ok(painted > 500, `${id}: ${painted} painted pixels`);
  }

  // The tooltip of a cell the test chooses: token 5 (" Jack", id 3619), dim 62 — a row the PyTorch fixture
  // holds (torch.manual_seed(123); nn.Embedding(50257, 256); nn.Embedding(4, 256)). Its centre is computed
  // from the geometry the heatmap publishes; hovered again until the tooltip names that cell.
  assert.equal(ids[5], '3619');
  const ref = reference.book_50257x256;
  const [refTok, refPos] = [ref.tok_rows['3619']![62]!, ref.pos_rows['1']![62]!];
  const canvas = panel.locator('#canvas-token');
  const tooltip = panel.locator('#heatmap-tooltip');
  await canvas.scrollIntoViewIfNeeded();
  await waitFor(async () => {
    const [left, top, width, height] = ((await canvas.getAttribute('data-area')) ?? '').split(',').map(Number);
    const rows = Number(await canvas.getAttribute('data-rows'));
    const cols = Number(await canvas.getAttribute('data-cols'));
    if (rows !== ids.length || cols !== 256 || !(width! > 0)) return undefined;
    await canvas.hover({ position: { x: left! + ((62 + 0.5) * width!) / cols, y: top! + ((5 + 0.5) * height!) / rows } });
    return /token 5 · position 1 · dim 62\b/.test(await tooltip.innerText().catch(() => '')) || undefined;
  }, 'the tooltip of token 5, dim 62');
  const tip = await tooltip.innerText();
  assert.match(tip, /“␣Jack” · id 3619/);
  // PyTorch's values are 0.9082413911819458 and 0.7859812378883362 (float32 sum 1.6942226): shown to 4 places.
  assert.ok(tip.includes('tok 0.9082 + pos 0.7860 = 1.6942'), tip);
  assert.equal(refTok.toFixed(4), '0.9082');
  assert.equal(refPos.toFixed(4), '0.7860');
  await screenshot(page, 'e2e-inspector-panel');
});

test('hovering a word shows its token ID', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await openFile(page, 'the-verdict.txt');
  await goTo(page, 1, 9); // inside " always" (token 1464)
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-hover', { hasText: 'token ID' }).first();
  await hover.waitFor({ timeout: 30_000 });
  const text = await hover.innerText();
  assert.match(text, /token ID 1464/);
  assert.match(text, /Token index 3 of 5,145 in this document/);
  assert.match(text, /context window 0, position 3 \(of 4 slots\)/);
  // The three strips are images that actually loaded (data: SVG).
  const loaded = await hover.locator('img').evaluateAll((imgs) => (imgs as unknown as { naturalWidth: number }[]).filter((i) => i.naturalWidth > 0).length);
  assert.equal(loaded, 3, 'token, positional and combined strips rendered');
  await screenshot(page, 'e2e-hover');

  // The hover's one trusted link opens the inspector on the token's context window, token selected.
  await hover.locator('a', { hasText: 'Open in Token Embeddings inspector' }).click();
  const frame = await inspectorPanel(page);
  await waitFor(async () => (await stripChipIds(frame)).join(',') === '40,367,2885,1464' || undefined, 'the panel on the first context window', 30_000);
  await waitFor(
    async () =>
      (await frame
        .locator('.strip .chip.selected .chip-id')
        .innerText()
        .catch(() => '')) === '1464' || undefined,
    'token 1464 selected',
    30_000,
  );
});

test('token highlighting paints alternating backgrounds on the visible tokens', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await openFile(page, 'the-verdict.txt');
  const decorated = () => page.locator('.editor-group-container').first().locator('.view-overlays [class*="ced-"], .view-lines [class*="ced-"]').count();
  const before = await decorated();
  await runCommand(page, 'Token Embeddings: Toggle Token Highlighting');
  const on = await waitFor(
    async () => {
      const n = await decorated();
      return n > before + 20 && n;
    },
    'token decorations',
    30_000,
  );
  await screenshot(page, 'e2e-highlighting');
  await runCommand(page, 'Token Embeddings: Toggle Token Highlighting');
  await waitFor(async () => (await decorated()) <= before || undefined, 'decorations removed', 30_000);
  assert.ok(on > 20);
});

test('the side panel follows the cursor', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await openFile(page, 'the-verdict.txt');
  await runCommand(page, 'Token Embeddings: Open Side Panel');
  const side = await findWebviewFrame(page, { title: 'Token Embeddings Sidebar', selector: '.strip .chip-id' }, 60_000);
  await focusFirstEditor(page);
  await goTo(page, 1, 9);
  await waitFor(async () => (await stripChipIds(side)).join(',') === '40,367,2885,1464' || undefined, 'sidebar shows the first context window', 30_000);
  const selected = await side.locator('.strip .chip.selected .chip-id').innerText();
  assert.equal(selected, '1464', 'the token under the cursor is focused');
  const before = (await stripChipIds(side)).join(',');
  await goTo(page, 3, 5);
  await waitFor(async () => (await stripChipIds(side)).join(',') !== before || undefined, 'sidebar to follow the cursor to line 3', 30_000);
  await screenshot(page, 'e2e-sidebar');
});

test('changing the encoding setting, then dim and seed in the panel, updates the panel', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await freshStart(page);
  await inspectFirstLine(page);
  await focusFirstEditor(page);
  // A real configuration change (Select Encoding writes tokenEmbeddings.encoding): the panel recomputes.
  await pickEncoding(page, 'o200k_base');
  let frame = await inspectorPanel(page);
  await waitFor(async () => /o200k_base/.test(await frame.locator('dl.facts').innerText()) || undefined, 'the panel to switch to o200k_base', 60_000);
  const o200k = await stripChipIds(frame);
  assert.notDeepEqual(o200k.slice(0, 4), ['40', '367', '2885', '1464'], 'o200k tokenizes differently');

  // Panel-local settings: dim and seed typed into the panel's own controls (validated by the host).
  frame = await inspectorPanel(page);
  await frame.locator('input[name=dim]').fill('16');
  await frame.locator('input[name=dim]').press('Tab');
  await waitFor(
    async () => /\(8, 4, 16\)/.test(await frame.locator('table.shapes').evaluate((table) => table.textContent ?? '')) || undefined,
    'shapes with dim 16',
    60_000,
  );
  await frame.locator('input[name=seed]').fill('18446744073709551615');
  await frame.locator('input[name=seed]').press('Tab');
  await waitFor(async () => /seed 18446744073709551615/.test(await frame.locator('dl.facts').innerText()) || undefined, 'the 2^64−1 seed', 60_000);
  assert.deepEqual(await stripChipIds(frame), o200k, 'same tokens, new tables');
  await screenshot(page, 'e2e-panel-settings');

  // Back to the book's encoding through the real setting again.
  await focusFirstEditor(page);
  await pickEncoding(page, 'gpt2');
  await waitFor(async () => (await stripChipIds(frame)).slice(0, 4).join(',') === '40,367,2885,1464' || undefined, 'gpt2 ids again', 60_000);
});

test('no errors in the extension host log, no CSP violations', () => {
  const { server } = vs!;
  const log = readExtensionLog(server);
  assert.match(log, /activated in [\d.]+ ms/);
  console.log(`# ${/activated in [\d.]+ ms[^\n]*/.exec(log)?.[0]}`);
  assertNoExtensionErrors(server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
