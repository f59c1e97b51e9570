// The engine's paint preview (src/engine/analysis/paintPreview.ts) against the panel's own computation of the
// same pictures: the colour scale and the maps' bitmap grids the panel would fold itself (HeatmapView.gridFor
// without a preview), the panel's parsing of the preview, and the request's way in (host message, worker check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../../src/engine/service';
import { checkPaintPreviewRequest, paintPreview, type PreviewTables } from '../../../src/engine/analysis/paintPreview';
import { binRange, downsampleMaxAbs, planDownsample } from '../../../src/shared/downsample';
import { LUT_STEPS, paintGrid, robustScale } from '../../../src/shared/colourScale';
import { mapPlotHeight, previewRows } from '../../../src/shared/paintPreview';
import type { EmbeddingSettings } from '../../../src/shared/embeddingTypes';
import { toViewResult } from '../../../src/shared/webviewProtocol';
import { parseWebviewMessage } from '../../../src/host/webviewMessages';
import { parseInspectResult, parsePaintPreview } from '../../../webview/shared/messages';
import { BOOK_SETTINGS, countingDependencies } from '../../support/reference';

/** Deterministic N(0,1)-ish values with a few outliers, as float32. */
function tableOf(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd()) * (i % 997 === 0 ? 6 : 1);
  return out;
}

function tables(tokenRows: number, contextLength: number, dim: number): PreviewTables {
  const tokenEmbeddings = tableOf(tokenRows * dim, 1);
  const positionalEmbeddings = tableOf(contextLength * dim, 2);
  const combinedEmbeddings = new Float32Array(tokenRows * dim);
  for (let i = 0; i < combinedEmbeddings.length; i++) combinedEmbeddings[i] = tokenEmbeddings[i]! + positionalEmbeddings[i % (contextLength * dim)]!;
  return { dim, contextLength, tokenRows, tokenEmbeddings, positionalEmbeddings, combinedEmbeddings };
}

/** What the panel folds itself for a map whose plot area is `heightPx` × `widthPx` CSS px (heatmapChart.ts). */
function panelGrid(values: Float32Array, rows: number, cols: number, heightPx: number, widthPx: number, dpr: number): Float32Array {
  const plan = planDownsample(rows, cols, Math.round(heightPx * dpr), Math.round(widthPx * dpr));
  return downsampleMaxAbs(values, rows, cols, plan.outRows, plan.outCols);
}

/** The definition: per output cell, the value of largest |v| in its bin (the first one on ties), cell by cell. */
function naiveMaxAbs(values: Float32Array, rows: number, cols: number, outRows: number, outCols: number): Float32Array {
  const out = new Float32Array(outRows * outCols);
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < outCols; c++) {
      const [r0, r1] = binRange(r, rows, outRows);
      const [c0, c1] = binRange(c, cols, outCols);
      let best = 0;
      let bestAbs = -1;
      for (let rr = r0; rr < r1; rr++) {
        for (let cc = c0; cc < c1; cc++) {
          const v = values[rr * cols + cc]!;
          if (Math.abs(v) > bestAbs) [best, bestAbs] = [v, Math.abs(v)];
        }
      }
      out[r * outCols + c] = best;
    }
  }
  return out;
}

test('downsampleMaxAbs folding rows only (every column kept) equals the definition', () => {
  const values = tableOf(37 * 11, 9);
  values[5] = NaN;
  for (const outRows of [1, 5, 12, 36, 37]) {
    assert.deepEqual(downsampleMaxAbs(values, 37, 11, outRows, 11), naiveMaxAbs(values, 37, 11, outRows, 11), `37 → ${outRows} rows`);
  }
  assert.deepEqual(downsampleMaxAbs(values, 37, 11, 12, 4), naiveMaxAbs(values, 37, 11, 12, 4), 'rows and columns folded');
});

test("the preview's grids are the panel's own bitmaps of each map, and its scale the panel's scale", () => {
  const t = tables(1000, 1024, 64);
  for (const dpr of [1, 1.25, 2]) {
    const p = paintPreview(t, { pixelRatio: dpr });
    assert.equal(p.pixelRatio, dpr);
    assert.deepEqual(p.scale, robustScale([t.tokenEmbeddings, t.positionalEmbeddings, t.combinedEmbeddings]));
    const maps = [
      [p.token, t.tokenEmbeddings, t.tokenRows, 'tokens'],
      [p.position, t.positionalEmbeddings, t.contextLength, 'positions'],
      [p.combined, t.combinedEmbeddings, t.tokenRows, 'tokens'],
    ] as const;
    for (const [grid, values, rows, kind] of maps) {
      // A plot as wide as the columns: the panel keeps every column, as the preview does.
      const own = panelGrid(values, rows, t.dim, mapPlotHeight(rows, kind), t.dim, dpr);
      assert.ok(grid, `${kind} at ${dpr}: rows folded, so a grid is sent`);
      assert.equal(grid.outRows, Math.min(rows, Math.round(mapPlotHeight(rows, kind) * dpr)));
      assert.equal(grid.outRows, previewRows(rows, t.dim, kind, dpr));
      assert.deepEqual(grid.values, own, `${kind} map at pixel ratio ${dpr}`);
      // A narrower plot folds columns too: from the preview's row maxima, the panel gets the same bitmap.
      const narrow = Math.floor(t.dim / 3);
      const fromPreview = downsampleMaxAbs(grid.values, grid.outRows, t.dim, grid.outRows, narrow);
      assert.deepEqual(fromPreview, panelGrid(values, rows, t.dim, mapPlotHeight(rows, kind), narrow / dpr, dpr), `${kind}, columns folded`);
    }
  }
});

/** A colour table with every entry distinct (as a theme's is, near enough). */
const LUT = new Uint8ClampedArray(LUT_STEPS * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 251));

test("given the panel's colour table, the preview's pixels are its grids painted as the panel paints them", () => {
  const t = tables(1000, 1024, 64);
  const p = paintPreview(t, { pixelRatio: 1, lut: LUT });
  assert.deepEqual(p.lut, LUT);
  for (const grid of [p.token, p.position, p.combined]) {
    assert.ok(grid?.rgba);
    const own = new Uint8ClampedArray(grid.values.length * 4);
    paintGrid(grid.values, grid.values.length, p.scale.maxAbs, LUT, own);
    assert.deepEqual(grid.rgba, own);
  }
  assert.equal(paintPreview(t, { pixelRatio: 1 }).token?.rgba, undefined, 'no table, no pixels');
});

test('a page whose rows all fit its plot gets the scale only (the tables are the grids)', () => {
  const t = tables(20, 16, 32);
  const p = paintPreview(t, { pixelRatio: 2 });
  assert.deepEqual(Object.keys(p).sort(), ['pixelRatio', 'scale']);
  // 1,000 token rows but a 16-slot positional table: only the token maps are folded.
  assert.deepEqual(Object.keys(paintPreview(tables(1000, 16, 8), { pixelRatio: 1 })).sort(), ['combined', 'pixelRatio', 'scale', 'token']);
});

test('the worker checks the request: a missing one is none, a bad pixel ratio an invalid input', () => {
  assert.equal(checkPaintPreviewRequest(undefined), undefined);
  assert.deepEqual(checkPaintPreviewRequest({ pixelRatio: 1.5 }), { pixelRatio: 1.5 });
  assert.deepEqual(checkPaintPreviewRequest({ pixelRatio: 1, lut: Uint8Array.from(LUT) }), { pixelRatio: 1, lut: LUT });
  for (const lut of [new Uint8ClampedArray(12), Array.from(LUT), new Float32Array(LUT_STEPS * 4)]) {
    assert.throws(() => checkPaintPreviewRequest({ pixelRatio: 1, lut }), /preview\.lut must be 1028 bytes \(257 RGBA colours\)/);
  }
  for (const bad of [null, {}, { pixelRatio: 0 }, { pixelRatio: -1 }, { pixelRatio: NaN }, { pixelRatio: 9 }, { pixelRatio: '1' }]) {
    assert.throws(() => checkPaintPreviewRequest(bad), /preview\.pixelRatio must be a number above 0 and at most 8/, JSON.stringify(bad));
  }
});

// A small table (16 dims) and an 8-slot context: the token maps fold their rows, the positional map does not.
const settings: EmbeddingSettings = { ...BOOK_SETTINGS, dim: 16, contextLength: 8, stride: 8, batchSize: 2 };
const TEXT = 'the model reads tokens, '.repeat(100);

test('EngineService.inspect answers a preview request with the preview of its own tables, and only then', async () => {
  const engine = new EngineService(countingDependencies());
  const plain = await engine.inspect({ text: TEXT, settings, firstToken: 0, maxTokens: 500 });
  assert.equal(plain.preview, undefined);
  // As the host sends it: the panel's colour table (a copy: the call transfers it to the worker).
  const r = await engine.inspect({ text: TEXT, settings, firstToken: 0, maxTokens: 500, preview: { pixelRatio: 1, lut: LUT.slice() } });
  assert.ok(r.tokens.length > mapPlotHeight(r.tokens.length, 'tokens'), 'enough tokens for the rows to be folded');
  const expected = paintPreview(
    {
      dim: r.dim,
      contextLength: r.contextLength,
      tokenRows: r.tokens.length,
      tokenEmbeddings: r.tokenEmbeddings,
      positionalEmbeddings: r.positionalEmbeddings,
      combinedEmbeddings: r.combinedEmbeddings,
    },
    { pixelRatio: 1, lut: LUT },
  );
  assert.deepEqual(r.preview, expected);
  assert.ok(r.preview?.token?.rgba, 'with the pixels');
  assert.ok(r.preview?.token && r.preview.combined && !r.preview.position, 'token maps folded; the 8-slot positional table is not');
  await assert.rejects(engine.inspect({ text: TEXT, settings, firstToken: 0, maxTokens: 500, preview: { pixelRatio: 0 } }), /preview\.pixelRatio/);
  // The panel keeps it through parsing (structured clone keeps the typed arrays).
  assert.deepEqual(parseInspectResult(structuredClone(toViewResult(r))).preview, expected);
});

test('the panel drops a preview that does not describe its tables, and keeps the state', () => {
  const t = tables(500, 8, 4);
  const p = paintPreview(t, { pixelRatio: 1 });
  const shape = { tokens: Array.from({ length: 500 }, () => ({ id: 1, start: 0, end: 0, bytes: [], text: '' })), dim: 4, contextLength: 8 };
  assert.deepEqual(parsePaintPreview(p, shape), p);
  assert.equal(parsePaintPreview(undefined, shape), undefined);
  const painted = paintPreview(t, { pixelRatio: 1, lut: LUT });
  assert.deepEqual(parsePaintPreview(painted, shape), painted);
  const { lut: _noTable, ...noTable } = painted;
  assert.equal(parsePaintPreview(noTable, shape), undefined, 'pixels without their colour table');
  assert.equal(parsePaintPreview({ ...painted, token: { ...painted.token!, rgba: painted.token!.rgba!.subarray(4) } }, shape), undefined);
  assert.equal(parsePaintPreview({ ...painted, lut: LUT.subarray(4) }, shape), undefined);
  const broken: unknown[] = [
    { ...p, pixelRatio: 2 }, // grids planned for another ratio: other rows
    { ...p, token: { outRows: p.token!.outRows, values: p.token!.values.subarray(1) } },
    { ...p, token: { outRows: p.token!.outRows - 1, values: p.token!.values.subarray(0, (p.token!.outRows - 1) * 4) } },
    { ...p, scale: { ...p.scale, maxAbs: 0 } },
    { ...p, scale: { ...p.scale, clippedFraction: 2 } },
    { ...p, scale: undefined },
    'preview',
  ];
  for (const b of broken)
    assert.equal(
      parsePaintPreview(b, shape),
      undefined,
      JSON.stringify(b, (_k, v: unknown) => (ArrayBuffer.isView(v) ? '[array]' : v)),
    );
  // A whole state with a broken preview still parses (the panel then computes the pictures itself).
  assert.deepEqual(parsePaintPreview({ ...p, position: { outRows: 1, values: new Float32Array(4) } }, { ...shape, contextLength: 8 }), undefined);
});

test('the panel reports its pixel ratio and colour table to the host: viewMetrics is checked like every message', () => {
  const lut = Array.from(LUT);
  assert.deepEqual(parseWebviewMessage({ type: 'viewMetrics', pixelRatio: 2, lut }), { ok: true, message: { type: 'viewMetrics', pixelRatio: 2, lut } });
  const bads = [
    { type: 'viewMetrics', lut },
    { type: 'viewMetrics', pixelRatio: 0, lut },
    { type: 'viewMetrics', pixelRatio: 100, lut },
    { type: 'viewMetrics', pixelRatio: 1, lut, x: 1 },
    { type: 'viewMetrics', pixelRatio: 1 },
    { type: 'viewMetrics', pixelRatio: 1, lut: lut.slice(1) },
    { type: 'viewMetrics', pixelRatio: 1, lut: [...lut.slice(1), 256] },
  ];
  for (const bad of bads) assert.equal(parseWebviewMessage(bad).ok, false, JSON.stringify(bad).slice(0, 80));
});
