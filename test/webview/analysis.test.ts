/**
 * The panel's analysis tabs in real headless Chromium: the built bundle under the strict CSP, the book state
 * (real GPT-2 tokens, real PyTorch rows), and analysis replies computed by the real EngineService in Node for
 * the same text and settings — what the worker would send. Only acquireVsCodeApi is a stand-in (harness.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { AnalysisKind, AnalysisResult, InspectParams } from '../../src/shared/engineProtocol';
import { buildDivergingLut, colorForValue, parseCssColor } from '../../webview/shared/heatmapMath';
import { answerTab, plain, service } from './engineReplies';
import { BOOK_TEXT, bookState } from './fixtures';
import { THEMES, assertColourNear, canvasGeometry, cellPixel, eventually, openView, violations, type ViewPage, useBrowser } from './harness';

const env = useBrowser();
const state = bookState();
const inspect: InspectParams = { text: BOOK_TEXT, settings: state.settings as unknown as EmbeddingSettings, firstToken: 0, maxTokens: 1000 };

async function open(): Promise<ViewPage> {
  const view = await openView(env.browser, env.server, 'panel', { theme: 'dark' });
  await view.waitForPosted('ready');
  await view.deliverState(state);
  await view.page.waitForSelector('body[data-state=ready]');
  return view;
}

const openTab = (view: ViewPage, tab: string, kind: AnalysisKind) => answerTab(view, tab, kind, inspect);

describe('analysis tabs', () => {
  test('tabs are keyboard reachable: arrows move between tabs and show one panel', async () => {
    const view = await open();
    await view.page.focus('#tab-embeddings');
    assert.equal(await view.page.getAttribute('#tab-embeddings', 'aria-selected'), 'true');
    assert.equal(await view.page.isVisible('#canvas-token'), true);
    await view.page.keyboard.press('ArrowRight');
    await eventually(async () => assert.equal(await view.page.getAttribute('#tab-similarity', 'aria-selected'), 'true'));
    await eventually(async () => assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'tab-similarity'));
    await eventually(async () => assert.equal(await view.page.isVisible('#canvas-token'), false));
    assert.deepEqual(((await view.waitForPosted('request')).at(-1) as { params: unknown }).params, { kind: 'similarity' });
    await view.page.keyboard.press('End');
    await eventually(async () => assert.equal(await view.page.getAttribute('#tab-export', 'aria-selected'), 'true'));
    assert.equal(await view.page.getAttribute('#tab-similarity', 'aria-selected'), 'false');
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
    const lut = buildDivergingLut(
      parseCssColor(v['--vscode-charts-blue']!)!,
      parseCssColor(v['--vscode-editor-background']!)!,
      parseCssColor(v['--vscode-charts-red']!)!,
    );
    const n = r.page.count;
    for (const [canvas, value] of [
      ['#sim-token-canvas', r.token[pair.i * n + pair.j]!],
      ['#sim-combined-canvas', r.combined[pair.i * n + pair.j]!],
    ] as const) {
      await view.page.$eval(canvas, (el) => el.scrollIntoView({ block: 'center' }));
      assert.equal((await canvasGeometry(view.page, canvas)).rows, n);
      const px = await cellPixel(view.page, canvas, pair.i, pair.j);
      assertColourNear(px, colorForValue(value, 1, lut), `${canvas} (${pair.i}, ${pair.j}) = ${value}`);
    }
    assert.equal(r.token[pair.i * n + pair.j], 1);
    // cos = 1 is the top of the [−1, 1] scale: Dark+'s chart red #f14c4c, as a literal.
    assertColourNear(await cellPixel(view.page, '#sim-token-canvas', pair.i, pair.j), [0xf1, 0x4c, 0x4c], 'token-only cos = 1');
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
    assert.match((await view.page.textContent('#tabpanel-token figcaption'))!, /token 1 “␣H” \(id 367\) at position 1$/);
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
    const exported = (await view.waitForPosted('request')).at(-1)!;
    assert.deepEqual(exported, { type: 'request', id: exported.id, method: 'export', params: { what: 'combined', format: 'npy' }, channel: 'export' });
    await view.deliver({ type: 'response', id: exported.id, ok: true, result: { ok: true, message: 'Wrote 32896 bytes to /tmp/x.npy.' } });
    await view.page.waitForFunction(() => document.getElementById('export-status')?.textContent?.includes('32896'));
    await view.page.click('#copy-pytorch');
    const copy = (await view.waitForPosted('request', 2)).at(-1)!;
    assert.deepEqual(copy, { type: 'request', id: copy.id, method: 'copyPytorch', params: {}, channel: 'copyPytorch' });
    // A tampered reply is refused, not shown.
    await view.deliver({ type: 'response', id: copy.id, ok: true, result: { ok: 'yes', message: 'rm -rf' } });
    await view.page.waitForSelector('.error-banner:not([hidden])');
    assert.deepEqual(await violations(view), []);
    await view.close();
  });
});

// Issue 9, "stale analysis after a settings change": before request ids, replies were matched by
// page.firstToken only, and a Similarity reply computed before a seed change was cached and drawn.
describe('stale replies', () => {
  type Posted = Record<string, unknown>;
  const similarityRequests = (posted: Posted[]) =>
    posted.filter((m) => m.type === 'request' && m.method === 'analysis' && (m.params as Posted).kind === 'similarity');

  test('a Similarity reply computed before a seed change is neither drawn nor kept for the reopened tab', async () => {
    const old = bookState();
    const newer = bookState();
    newer.settings = { ...newer.settings, weights: { kind: 'random', seed: '7' } };
    const similarity = async (settings: Record<string, unknown>) =>
      (await service.analysis({
        kind: 'similarity',
        inspect: { text: BOOK_TEXT, settings: settings as unknown as EmbeddingSettings, firstToken: 0, maxTokens: 1000 },
      })) as Extract<AnalysisResult, { kind: 'similarity' }>;
    const view = await open();
    await view.page.click('#tab-similarity');
    const [asked] = similarityRequests(await view.waitForPosted('request'));
    assert.deepEqual(asked, { type: 'request', id: asked!.id, method: 'analysis', params: { kind: 'similarity' }, channel: 'analysis:similarity' });
    // The seed changes (the host recomputed) before the old reply arrives: the panel cancels the old request
    // and asks again for the new state.
    await view.deliverState(newer);
    assert.deepEqual((await view.waitForPosted('cancel')).at(-1), { type: 'cancel', id: asked!.id });
    const [, again] = similarityRequests(await view.waitForPosted('request', 2));
    assert.ok(again && again.id !== asked!.id);
    // The old reply comes late: it is dropped, not drawn and not kept.
    await view.deliver({ type: 'response', id: asked!.id, ok: true, result: plain(await similarity(old.settings)) });
    // Messages are handled in order: once this one shows, the late reply has been handled too.
    await view.deliver({ type: 'busy', busy: true, message: 'after the late reply' });
    await view.page.waitForFunction(() => document.querySelector('.busy-text')?.textContent === 'after the late reply');
    await view.page.click('#tab-embeddings');
    await view.page.click('#tab-similarity');
    await eventually(async () => assert.equal(await view.page.textContent('#tabpanel-similarity .analysis-status'), 'Computing…'));
    assert.equal(await view.page.$('#sim-token-canvas'), null, 'the stale similarity matrix was drawn');
    // The reply to the request for the new state is drawn: the new seed's numbers.
    const fresh = await similarity(newer.settings);
    await view.deliver({ type: 'response', id: again!.id, ok: true, result: plain(fresh) });
    const pair = fresh.pairs.find((p) => p.combinedSimilarity < 0.999)!;
    const row = `#sim-pairs tr[data-i="${pair.i}"][data-j="${pair.j}"] .sim-combined`;
    await view.page.waitForSelector(row);
    assert.equal(await view.page.textContent(row), pair.combinedSimilarity.toFixed(4));
    assert.notEqual(
      fresh.pairs.find((p) => p.i === pair.i && p.j === pair.j)!.combinedSimilarity,
      (await similarity(old.settings)).pairs.find((p) => p.i === pair.i && p.j === pair.j)!.combinedSimilarity,
    );
    assert.deepEqual(await violations(view), []);
    await view.close();
  });
});
