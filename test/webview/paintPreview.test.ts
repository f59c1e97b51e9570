/**
 * The engine's paint preview in the panel (issue 14, first paint): a state that carries it is drawn with its
 * colour scale and its folded rows, and the picture is the one the panel draws from the tables alone; a
 * preview that does not fit the panel (another pixel ratio) is ignored. The pictures are compared with each
 * other, rendered by the same browser, never with fixed colours.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PANEL_LUT_SOURCE, SYNTHETIC_STATE_SOURCE, WITH_PREVIEW_SOURCE } from './fixtures';
import { assertColourNear, canvasGeometry, openView, closeClean, waitForPaint, useBrowser, type ViewPage } from './harness';

const env = useBrowser();

/** 1,000 token rows and 600 position slots: both are folded into the plots' fewer device rows, at pixel ratio 1 or 2. */
const SHAPE = '1000, 48, 600';

/** Opens a panel and shows the synthetic state, transformed page-side by `transform` (a function source). */
async function showState(transform: string): Promise<ViewPage> {
  const view = await openView(env.browser, env.server, 'panel', {});
  await view.waitForPosted('ready');
  await view.page.evaluate(`window.postMessage({ type: 'state', state: (${transform})((${SYNTHETIC_STATE_SOURCE})(${SHAPE})) }, '*')`);
  await view.page.waitForSelector('body[data-state=ready]');
  return view;
}

/** Every pixel of the plot area of a map, once painted (RGBA bytes as a plain array). */
async function plotPixels(view: ViewPage, canvas: string): Promise<Uint8Array> {
  await waitForPaint(view.page, canvas);
  const { area } = await canvasGeometry(view.page, canvas);
  // As base64: a JSON array of a million numbers would take seconds to cross.
  const b64 = await view.page.$eval(
    canvas,
    (c, a) => {
      const d = (c as HTMLCanvasElement)
        .getContext('2d')!
        .getImageData(Math.ceil(a.left), Math.ceil(a.top), Math.floor(a.width) - 1, Math.floor(a.height) - 1).data;
      let bin = '';
      for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
      return btoa(bin);
    },
    area,
  );
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** Count of pixels whose colour differs by more than the tolerance of the other pixel checks. */
function differing(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length, 'same plot size');
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i]! - b[i]!) > 2 || Math.abs(a[i + 1]! - b[i + 1]!) > 2 || Math.abs(a[i + 2]! - b[i + 2]!) > 2) n++;
  }
  return n;
}

describe('paint preview from the engine', () => {
  test('a state with the preview is drawn exactly as the panel draws it from the tables', async () => {
    const own = await showState('(s) => s');
    const withPreview = await showState(`(s) => ${WITH_PREVIEW_SOURCE}(s, 1)`);
    for (const canvas of ['#canvas-token', '#canvas-position', '#canvas-combined']) {
      const g = await canvasGeometry(withPreview.page, canvas);
      assert.ok(g.area.height < g.rows, `${canvas}: rows are folded (${g.rows} rows in ${g.area.height} px)`);
      assert.equal(g.maxAbs, (await canvasGeometry(own.page, canvas)).maxAbs, `${canvas}: the same colour scale`);
      assert.equal(differing(await plotPixels(withPreview, canvas), await plotPixels(own, canvas)), 0, `${canvas}: the same picture`);
    }
    assert.equal(await withPreview.page.textContent('#legend figcaption'), await own.page.textContent('#legend figcaption'));
    await closeClean(own);
    await closeClean(withPreview);
  });

  test("the panel draws the preview's rows (a doctored preview shows), and ignores one planned for another pixel ratio", async () => {
    // Every folded token row at +maxAbs: the token map turns into the positive end colour; the combined map is untouched.
    const doctor = `(s) => { ${WITH_PREVIEW_SOURCE}(s, 1); const p = s.result.preview; p.token.values.fill(p.scale.maxAbs); return s; }`;
    const doctored = await showState(doctor);
    const own = await showState('(s) => s');
    const token = await plotPixels(doctored, '#canvas-token');
    const end = [token[0]!, token[1]!, token[2]!];
    for (let i = 0; i < token.length; i += 4 * 97) assertColourNear([...token.subarray(i, i + 3)], end, `token map pixel ${i / 4}: the preview's value`);
    assert.ok(differing(token, await plotPixels(own, '#canvas-token')) > token.length / 8, 'not the picture of the table');
    assert.equal(differing(await plotPixels(doctored, '#canvas-combined'), await plotPixels(own, '#canvas-combined')), 0);
    await closeClean(doctored);
    // The same doctoring on a preview for pixel ratio 2 (other rows than this page's plots): not used.
    const otherRatio = await showState(`(s) => { ${WITH_PREVIEW_SOURCE}(s, 2); const p = s.result.preview; p.token.values.fill(p.scale.maxAbs); return s; }`);
    assert.equal(differing(await plotPixels(otherRatio, '#canvas-token'), await plotPixels(own, '#canvas-token')), 0);
    await closeClean(otherRatio);
    await closeClean(own);
  });

  test("the engine's pixels, painted with the panel's own colours, are drawn as they are; with other colours they are not", async () => {
    const own = await showState('(s) => s');
    const painted = await showState(`(s) => ${WITH_PREVIEW_SOURCE}(s, 1, ${PANEL_LUT_SOURCE})`);
    assert.ok(await painted.page.evaluate('Boolean(window.__test.posted.find((m) => m.type === "viewMetrics").lut)'), 'the panel reported its colours');
    for (const canvas of ['#canvas-token', '#canvas-position', '#canvas-combined']) {
      assert.equal(differing(await plotPixels(painted, canvas), await plotPixels(own, canvas)), 0, `${canvas}: the same picture`);
    }
    await closeClean(painted);
    // Doctored pixels (all green) with the panel's colour table: drawn as they are.
    const green = `(s) => { ${WITH_PREVIEW_SOURCE}(s, 1, ${PANEL_LUT_SOURCE}); const g = s.result.preview.token.rgba; for (let i = 0; i < g.length; i += 4) g.set([0, 255, 0, 255], i); return s; }`;
    const doctored = await showState(green);
    const token = await plotPixels(doctored, '#canvas-token');
    for (let i = 0; i < token.length; i += 4 * 97) assertColourNear([...token.subarray(i, i + 3)], [0, 255, 0], `token map pixel ${i / 4}: the engine's pixel`);
    await closeClean(doctored);
    // Pixels painted with another colour table (all green: not this theme's): the panel paints its own.
    const otherColours = await showState(
      `(s) => ${WITH_PREVIEW_SOURCE}(s, 1, new Uint8ClampedArray(${PANEL_LUT_SOURCE}.length).map((_, i) => (i % 4 === 1 || i % 4 === 3 ? 255 : 0)))`,
    );
    assert.equal(differing(await plotPixels(otherColours, '#canvas-token'), await plotPixels(own, '#canvas-token')), 0);
    await closeClean(otherColours);
    await closeClean(own);
  });
});
