/**
 * The panel's analysis tabs in real headless Chromium: the built bundle under the strict CSP, the book state
 * (real GPT-2 tokens, real PyTorch rows), and analysis replies computed by the real EngineService in Node for
 * the same text and settings — what the worker would send. Only acquireVsCodeApi is a stand-in (harness.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { EngineService } from '../../src/engine/service';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { AnalysisKind, AnalysisResult, InspectParams } from '../../src/shared/engineProtocol';
import { buildDivergingLut, cellCenter, colorForValue, parseCssColor } from '../../webview/shared/heatmapMath';
import { BOOK_TEXT, bookState } from './fixtures';
import { THEMES, canvasGeometry, launchChromium, openView, pixelAt, startServer, violations, type StaticServer, type ViewPage } from './harness';

let browser: Browser;
let server: StaticServer;
const service = new EngineService(defaultEngineDependencies());
const state = bookState();
const inspect: InspectParams = { text: BOOK_TEXT, settings: state.settings as unknown as EmbeddingSettings, firstToken: 0, maxTokens: 1000 };

before(async () => {
  server = await startServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Typed arrays → plain arrays (what a JSON-safe page.evaluate argument can carry; the panel accepts both). */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

async function open(): Promise<ViewPage> {
  const view = await openView(browser, server, 'panel', { theme: 'dark' });
  await view.waitForPosted('ready');
  await view.deliverState(state);
  await view.page.waitForSelector('body[data-state=ready]');
  return view;
}

/** Clicks a tab, checks the panel asks for `kind`, and answers with the real engine's result. */
async function openTab(view: ViewPage, tab: string, kind: AnalysisKind): Promise<AnalysisResult> {
  const before = (await view.posted()).filter((m) => m.type === 'analysis').length;
  await view.page.click(`#tab-${tab}`);
  const asked = await view.waitForPosted('analysis', before + 1);
  assert.deepEqual(asked[asked.length - 1], { type: 'analysis', kind });
  const result = await service.analysis({ kind, inspect });
  await view.deliver({ type: 'analysis', result: plain(result) });
  return result;
}

describe('analysis tabs', () => {
  test('tabs are keyboard reachable: arrows move between tabs and show one panel', async () => {
    const view = await open();
    await view.page.focus('#tab-embeddings');
    assert.equal(await view.page.getAttribute('#tab-embeddings', 'aria-selected'), 'true');
    assert.equal(await view.page.isVisible('#canvas-token'), true);
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await view.page.getAttribute('#tab-similarity', 'aria-selected'), 'true');
    assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'tab-similarity');
    assert.equal(await view.page.isVisible('#canvas-token'), false);
    assert.deepEqual((await view.waitForPosted('analysis')).at(-1), { type: 'analysis', kind: 'similarity' });
    await view.page.keyboard.press('End');
    assert.equal(await view.page.getAttribute('#tab-export', 'aria-selected'), 'true');
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('similarity: a repeated token is 1 in the token-only matrix and < 1 once positions are added', async () => {
    const view = await open();
    const r = (await openTab(view, 'similarity', 'similarity')) as Extract<AnalysisResult, { kind: 'similarity' }>;
    const pair = r.pairs.find((p) => p.combinedSimilarity < 0.999);
    assert.ok(pair, 'the book text repeats a token at two different slots');
    await view.page.waitForSelector(`#sim-pairs tr[data-i="${pair.i}"][data-j="${pair.j}"]`);
    const row = `#sim-pairs tr[data-i="${pair.i}"][data-j="${pair.j}"]`;
    assert.equal(await view.page.textContent(`${row} .sim-token`), '1.0000');
    const combined = Number(await view.page.textContent(`${row} .sim-combined`));
    assert.ok(combined < 1, `combined similarity ${combined}`);
    assert.match((await view.page.textContent('#tabpanel-similarity .analysis-status'))!, /32 tokens/);

    // The heatmap cells themselves: the colour of cos = 1 vs the colour of the combined value.
    const v = THEMES.dark.vars as Record<string, string>;
    const lut = buildDivergingLut(parseCssColor(v['--vscode-charts-blue']!)!, parseCssColor(v['--vscode-editor-background']!)!, parseCssColor(v['--vscode-charts-red']!)!);
    const n = r.page.count;
    for (const [canvas, value] of [
      ['#sim-token-canvas', r.token[pair.i * n + pair.j]!],
      ['#sim-combined-canvas', r.combined[pair.i * n + pair.j]!],
    ] as const) {
      await view.page.$eval(canvas, (el) => el.scrollIntoView({ block: 'center' }));
      const g = await canvasGeometry(view.page, canvas);
      assert.equal(g.rows, n);
      const c = cellCenter({ row: pair.i, col: pair.j }, g.area, g.rows, g.cols);
      const px = await pixelAt(view.page, canvas, c.x, c.y);
      const want = colorForValue(value, 1, lut);
      for (let k = 0; k < 3; k++) assert.ok(Math.abs(px[k]! - want[k]!) <= 1, `${canvas} (${pair.i}, ${pair.j}) = ${value}: ${px} ≠ ${want}`);
    }
    assert.equal(r.token[pair.i * n + pair.j], 1);
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('projection: one arrow per token from its vector to its position-shifted vector; token tab charts', async () => {
    const view = await open();
    await openTab(view, 'projection', 'projection');
    await view.page.waitForSelector('#projection-canvas[data-arrows]');
    assert.equal(await view.page.getAttribute('#projection-canvas', 'data-points'), '32');
    // Learned positions move every token: all 32 arrows are drawn.
    assert.equal(await view.page.getAttribute('#projection-canvas', 'data-arrows'), '32');
    assert.match((await view.page.textContent('#tabpanel-projection .analysis-status'))!, /PC1 explains \d/);

    // Hovering a point selects its token everywhere (strip, heatmaps) and tells the host.
    await view.page.$eval('#projection-canvas', (el) => el.scrollIntoView({ block: 'center' }));
    const [hx, hy] = (await view.page.getAttribute('#projection-canvas', 'data-head0'))!.split(',').map(Number);
    const box = (await view.page.locator('#projection-canvas').boundingBox())!;
    await view.page.mouse.move(box.x + hx!, box.y + hy!);
    assert.deepEqual((await view.waitForPosted('selectRow')).at(-1), { type: 'selectRow', row: 0 });
    await view.page.waitForSelector('#chip-0.selected, .strip .chip.selected');
    // Keyboard on the scatter moves the selection on.
    await view.page.focus('#projection-canvas');
    await view.page.keyboard.press('ArrowDown');
    assert.deepEqual((await view.waitForPosted('selectRow', 2)).at(-1), { type: 'selectRow', row: 1 });

    await openTab(view, 'token', 'tokenStats');
    await view.page.waitForSelector('#token-norms-canvas[data-bars="32"]');
    assert.match((await view.page.textContent('#tabpanel-token figcaption'))!, /token 1 “·H” \(id 367\) at position 1$/);
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('positions: RoPE lines coincide, learned ones do not; the longer-than-context explanation is shown', async () => {
    const view = await open();
    await openTab(view, 'positions', 'positionalLab');
    await view.page.waitForSelector('#lab-rope');
    assert.equal(await view.page.getAttribute('#lab-rope', 'data-invariant'), 'true');
    assert.equal(await view.page.getAttribute('#lab-learned', 'data-invariant'), 'false');
    assert.equal(await view.page.getAttribute('#lab-sinusoidal', 'data-invariant'), 'false');
    assert.match((await view.page.textContent('#lab-text'))!, /IndexError/);
    assert.match((await view.page.textContent('#lab-windowing'))!, /32 tokens > context length 4/);
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('export: the buttons post the chosen matrix and format, and Copy as PyTorch; the outcome is shown', async () => {
    const view = await open();
    await view.page.click('#tab-export');
    await view.page.selectOption('#export-what', 'combined');
    await view.page.selectOption('#export-format', 'npy');
    await view.page.click('#export-button');
    assert.deepEqual((await view.waitForPosted('export')).at(-1), { type: 'export', what: 'combined', format: 'npy' });
    await view.page.click('#copy-pytorch');
    assert.deepEqual((await view.waitForPosted('copyPytorch')).at(-1), { type: 'copyPytorch' });
    await view.deliver({ type: 'actionDone', action: 'export', ok: true, message: 'Wrote 32896 bytes to /tmp/x.npy.' });
    await view.page.waitForFunction(() => document.getElementById('export-status')?.textContent?.includes('32896'));
    // A tampered reply is refused, not shown.
    await view.deliver({ type: 'analysis', result: { kind: 'similarity', page: { firstToken: 0, count: 2, totalTokens: 2, capped: false }, token: [1], combined: [1], repeated: [], pairs: [] } });
    await view.page.waitForSelector('.error-banner:not([hidden])');
    assert.deepEqual(await violations(view), []);
    await view.close();
  });
});
