import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LUT_STEPS,
  binRange,
  buildDivergingLut,
  cellAtPixel,
  cellCenter,
  cellRect,
  colorForValue,
  downsampleMaxAbs,
  integerTicks,
  legendValues,
  lutIndex,
  mixRgb,
  niceCeil,
  oklabToRgb,
  paintGrid,
  parseCssColor,
  planDownsample,
  rgbToOklab,
  robustScale,
  selectKth,
  symmetricMax,
  type Rgb,
} from '../../webview/shared/heatmapMath';

const BLUE: Rgb = [55, 148, 255];
const BG: Rgb = [30, 30, 30];
const RED: Rgb = [241, 76, 76];

test('parseCssColor reads the forms getComputedStyle and themes produce', () => {
  assert.deepEqual(parseCssColor('rgb(55, 148, 255)'), [55, 148, 255]);
  assert.deepEqual(parseCssColor('rgba(1, 2, 3, 0.5)'), [1, 2, 3]);
  assert.deepEqual(parseCssColor('rgb(10 20 30 / 50%)'), [10, 20, 30]);
  assert.deepEqual(parseCssColor('#f14c4c'), [241, 76, 76]);
  assert.deepEqual(parseCssColor('#80808059'), [128, 128, 128]);
  assert.deepEqual(parseCssColor('#fff'), [255, 255, 255]);
  assert.equal(parseCssColor('var(--x)'), null);
  assert.equal(parseCssColor('#12345'), null);
  assert.equal(parseCssColor('rgb(1, 2)'), null);
});

test('OKLab round trip keeps sRGB colours', () => {
  for (const c of [BLUE, BG, RED, [0, 0, 0], [255, 255, 255], [12, 200, 99]] as Rgb[]) {
    assert.deepEqual(oklabToRgb(rgbToOklab(c)), c);
  }
  assert.deepEqual(mixRgb(BLUE, RED, 0), BLUE);
  assert.deepEqual(mixRgb(BLUE, RED, 1), RED);
});

test('diverging LUT: ends are the theme colours, the middle is the background, lightness runs monotonically', () => {
  const lut = buildDivergingLut(BLUE, BG, RED);
  assert.equal(lut.length, LUT_STEPS * 4);
  const at = (i: number): Rgb => [lut[i * 4]!, lut[i * 4 + 1]!, lut[i * 4 + 2]!];
  assert.deepEqual(at(0), BLUE);
  assert.deepEqual(at((LUT_STEPS - 1) / 2), BG);
  assert.deepEqual(at(LUT_STEPS - 1), RED);
  for (let i = 0; i < LUT_STEPS; i++) assert.equal(lut[i * 4 + 3], 255);
  // On a dark background, |v| ↑ ⇒ OKLab lightness ↑ on both arms.
  const L = (i: number) => rgbToOklab(at(i))[0];
  for (let i = 1; i <= (LUT_STEPS - 1) / 2; i++) assert.ok(L(i) <= L(i - 1) + 1e-3, `negative arm step ${i}`);
  for (let i = (LUT_STEPS + 1) / 2; i < LUT_STEPS; i++) assert.ok(L(i) >= L(i - 1) - 1e-3, `positive arm step ${i}`);
  assert.throws(() => buildDivergingLut(BLUE, BG, RED, 256), RangeError);
});

test('value → colour is symmetric around 0 and clamps beyond the scale', () => {
  const lut = buildDivergingLut(BLUE, BG, RED);
  assert.equal(lutIndex(0, 2), 128);
  assert.equal(lutIndex(2, 2), 256);
  assert.equal(lutIndex(-2, 2), 0);
  assert.equal(lutIndex(99, 2), 256);
  assert.equal(lutIndex(-99, 2), 0);
  assert.equal(lutIndex(NaN, 2), 128);
  assert.equal(lutIndex(1, 2) - 128, 128 - lutIndex(-1, 2));
  assert.deepEqual(colorForValue(0, 3, lut), BG);
  assert.deepEqual(colorForValue(3, 3, lut), RED);
  assert.deepEqual(colorForValue(-3, 3, lut), BLUE);
});

test('paintGrid writes exactly colorForValue for every cell', () => {
  const lut = buildDivergingLut(BLUE, BG, RED);
  const values = Float32Array.from([-0.5, 0, 0.1234, 0.5, 0.75, -1.5, NaN, 0.3374]);
  const out = new Uint8ClampedArray(values.length * 4);
  paintGrid(values, values.length, 0.75, lut, out);
  for (let i = 0; i < values.length; i++) {
    assert.deepEqual([out[i * 4], out[i * 4 + 1], out[i * 4 + 2]], [...colorForValue(values[i]!, 0.75, lut)], `cell ${i}`);
    assert.equal(out[i * 4 + 3], 255);
  }
});

test('symmetricMax ignores non-finite values and never returns 0', () => {
  assert.equal(symmetricMax([Float32Array.from([0.5, -2, 1]), [Infinity, NaN, 1.5]]), 2);
  assert.equal(symmetricMax([[0, 0]]), 1);
  assert.equal(symmetricMax([]), 1);
});

test('robustScale ends at a rounded high quantile and reports what lies beyond', () => {
  const values = new Float32Array(10_000);
  for (let i = 0; i < values.length; i++) values[i] = ((i % 200) - 100) / 100; // uniform in [-1, 0.99]
  values[17] = 6.25;
  const s = robustScale([values]);
  assert.equal(s.dataMaxAbs, 6.25);
  assert.ok(s.maxAbs >= 0.99 && s.maxAbs <= 1.01, `maxAbs ${s.maxAbs}`);
  assert.ok(s.clippedFraction > 0 && s.clippedFraction < 0.01);
  // Small tidy data: the scale covers everything.
  const t = robustScale([[0.5, -0.25]]);
  assert.equal(t.maxAbs, 0.5);
  assert.equal(t.clippedFraction, 0);
  assert.equal(robustScale([[0, 0]]).maxAbs, 1);
  assert.equal(niceCeil(2.8317), 2.9);
  assert.equal(niceCeil(0.5), 0.5);
  assert.equal(niceCeil(0), 1);
});

test('cell ↔ pixel mapping round-trips and rejects points outside the area', () => {
  const area = { left: 40, top: 10, width: 768, height: 320 };
  const rows = 32;
  const cols = 256;
  for (const cell of [
    { row: 0, col: 0 },
    { row: 31, col: 255 },
    { row: 5, col: 62 },
  ]) {
    const c = cellCenter(cell, area, rows, cols);
    assert.deepEqual(cellAtPixel(c.x, c.y, area, rows, cols), cell);
    const r = cellRect(cell, area, rows, cols);
    assert.equal(r.width, 3);
    assert.equal(r.height, 10);
  }
  assert.equal(cellAtPixel(39.9, 50, area, rows, cols), null);
  assert.equal(cellAtPixel(40 + 768, 50, area, rows, cols), null);
  assert.equal(cellAtPixel(100, 10 + 320, area, rows, cols), null);
  assert.equal(cellAtPixel(100, 50, area, 0, cols), null);
});

test('down-sampling plan fits the bitmap into the device pixels', () => {
  assert.deepEqual(planDownsample(32, 256, 320, 800), { outRows: 32, outCols: 256, rowsPerCell: 1, colsPerCell: 1 });
  assert.deepEqual(planDownsample(4096, 768, 360, 700), { outRows: 360, outCols: 700, rowsPerCell: 12, colsPerCell: 2 });
  assert.deepEqual(planDownsample(5, 3, 0, 0), { outRows: 1, outCols: 1, rowsPerCell: 5, colsPerCell: 3 });
});

test('binRange partitions an axis without gaps or overlaps', () => {
  for (const [n, outN] of [
    [4096, 360],
    [768, 700],
    [10, 10],
    [7, 3],
  ] as const) {
    let next = 0;
    for (let i = 0; i < outN; i++) {
      const [a, b] = binRange(i, n, outN);
      assert.equal(a, next);
      assert.ok(b > a);
      next = b;
    }
    assert.equal(next, n);
  }
});

test('downsampleMaxAbs keeps the signed value of largest magnitude per block', () => {
  // 4 × 4 grid → 2 × 2
  const v = Float32Array.from([0.1, -0.2, 0.3, 0.0, 0.05, 0.15, -0.9, 0.2, -3.0, 0.0, 0.4, 0.4, 1.0, 2.0, 0.0, -0.41]);
  assert.deepEqual(Array.from(downsampleMaxAbs(v, 4, 4, 2, 2)), [Math.fround(-0.2), Math.fround(-0.9), -3, Math.fround(-0.41)]);
  // Identity when the output is as large as the input.
  assert.deepEqual(downsampleMaxAbs(v, 4, 4, 4, 4), v);
});

test('integerTicks: nice steps from 0, never past the last row', () => {
  assert.deepEqual(integerTicks(4, 10), [0, 1, 2, 3]);
  assert.deepEqual(integerTicks(32, 17), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
  assert.deepEqual(integerTicks(768, 8), [0, 200, 400, 600]);
  assert.deepEqual(integerTicks(1, 5), [0]);
  assert.deepEqual(integerTicks(0, 5), []);
});

test('legendValues are centred in equal bins across the scale', () => {
  const l = legendValues(2, 5);
  assert.equal(l[0], -2);
  assert.equal(l[2], 0);
  assert.equal(l[4], 2);
});

test('selectKth finds order statistics like a sort does', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const n of [1, 2, 3, 10, 257, 5000]) {
    const data = Float64Array.from({ length: n }, () => Math.floor(rnd() * 50)); // many ties
    const sorted = Float64Array.from(data).sort();
    for (const k of [0, Math.floor(n / 2), n - 1, Math.floor(n * 0.995)]) {
      assert.equal(selectKth(Float64Array.from(data), k), sorted[k], `n=${n} k=${k}`);
    }
  }
  assert.throws(() => selectKth(new Float64Array(3), 3), RangeError);
});
