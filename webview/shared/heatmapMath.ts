/**
 * Pure helpers behind the heatmaps: the diverging colour scale, value → colour, cell ↔ pixel mapping and
 * down-sampling. No DOM, no chart.js: the Node unit tests import this module directly, and the browser
 * tests use it to compute the colour a cell *must* have before reading the canvas pixel.
 */

import { LUT_STEPS, lutIndex } from '../../src/shared/colourScale';

export type Rgb = readonly [number, number, number];

export interface ChartArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Cell {
  row: number;
  col: number;
}

/**
 * Parses the colour strings browsers hand back from `getComputedStyle` (`rgb(…)`/`rgba(…)`, comma or
 * space syntax) and the hex forms themes use (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`). Alpha is ignored:
 * the scale is painted opaque.
 */
export function parseCssColor(text: string): Rgb | null {
  const s = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s);
  if (hex) {
    const h = hex[1]!;
    if (h.length === 3 || h.length === 4) {
      return [0, 1, 2].map((i) => parseInt(h[i]! + h[i]!, 16)) as unknown as Rgb;
    }
    if (h.length === 6 || h.length === 8) {
      return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
    }
    return null;
  }
  const fn = /^rgba?\(\s*([^)]*)\)$/.exec(s);
  if (fn) {
    const parts = fn[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .slice(0, 3);
    if (parts.length < 3) return null;
    const rgb = parts.map((p) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p)));
    if (rgb.some((v) => !Number.isFinite(v))) return null;
    return rgb.map((v) => Math.round(Math.min(255, Math.max(0, v)))) as unknown as Rgb;
  }
  return null;
}

export function rgbToCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** sRGB channel (0..255) → linear light (0..1), and back. */
function toLinear(c: number): number {
  const x = c / 255;
  return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
}
function fromLinear(x: number): number {
  const c = x <= 0.0031308 ? x * 12.92 : 1.055 * Math.max(0, x) ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, c)) * 255);
}

/** sRGB → OKLab (Björn Ottosson): equal steps in OKLab look like equal steps, so the scale reads evenly. */
export function rgbToOklab([r8, g8, b8]: Rgb): [number, number, number] {
  const r = toLinear(r8);
  const g = toLinear(g8);
  const b = toLinear(b8);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

export function oklabToRgb([L, A, B]: readonly [number, number, number]): Rgb {
  const l = (L + 0.3963377774 * A + 0.2158037573 * B) ** 3;
  const m = (L - 0.1055613458 * A - 0.0638541728 * B) ** 3;
  const s = (L - 0.0894841775 * A - 1.291485548 * B) ** 3;
  return [
    fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
}

/** Blend two colours in OKLab (t = 0 → a, t = 1 → b). */
export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  const x = rgbToOklab(a);
  const y = rgbToOklab(b);
  return oklabToRgb([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/**
 * Diverging lookup table, RGBA bytes, `steps` entries: entry 0 = `negative`, middle = `middle`,
 * last = `positive`. Theme colours are read at run time, so the table is rebuilt on theme change.
 */
export function buildDivergingLut(negative: Rgb, middle: Rgb, positive: Rgb, steps = LUT_STEPS): Uint8ClampedArray {
  if (steps < 3 || steps % 2 === 0) throw new RangeError(`LUT steps must be odd and ≥ 3, got ${steps}`);
  const lut = new Uint8ClampedArray(steps * 4);
  const half = (steps - 1) / 2;
  for (let i = 0; i < steps; i++) {
    const c = i < half ? mixRgb(negative, middle, i / half) : mixRgb(middle, positive, (i - half) / half);
    lut.set([c[0], c[1], c[2], 255], i * 4);
  }
  return lut;
}

export function colorForValue(value: number, maxAbs: number, lut: Uint8ClampedArray): Rgb {
  const i = lutIndex(value, maxAbs, lut.length / 4) * 4;
  return [lut[i]!, lut[i + 1]!, lut[i + 2]!];
}

/** Which cell of a rows × cols grid stretched over `area` lies under a pixel (null outside). */
export function cellAtPixel(x: number, y: number, area: ChartArea, rows: number, cols: number): Cell | null {
  if (rows <= 0 || cols <= 0) return null;
  const fx = (x - area.left) / area.width;
  const fy = (y - area.top) / area.height;
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return null;
  return { row: Math.floor(fy * rows), col: Math.floor(fx * cols) };
}

/** The pixel rectangle a cell occupies (fractional; callers round when drawing). */
export function cellRect(cell: Cell, area: ChartArea, rows: number, cols: number): ChartArea {
  const w = area.width / cols;
  const h = area.height / rows;
  return { left: area.left + cell.col * w, top: area.top + cell.row * h, width: w, height: h };
}

export function cellCenter(cell: Cell, area: ChartArea, rows: number, cols: number): { x: number; y: number } {
  const r = cellRect(cell, area, rows, cols);
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

// One implementation of max-|v| down-sampling and of the colour scale, shared with the host's hover strips and
// the engine's paint preview (src/engine/analysis/paintPreview.ts).
export { binRange, downsampleMaxAbs, planDownsample, type DownsamplePlan } from '../../src/shared/downsample';
export { LUT_STEPS, lutIndex, niceCeil, paintGrid, robustScale, selectKth, symmetricMax, type ScaleRange } from '../../src/shared/colourScale';

/** Evenly spaced values across [−maxAbs, +maxAbs], for the colour-bar legend. */
export function legendValues(maxAbs: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = -maxAbs + (2 * maxAbs * i) / (n - 1);
  return out;
}

/** Nice integer tick values 0..n−1 (at most ~maxTicks, step 1/2/5 × 10^k), for row and dimension axes. */
export function integerTicks(n: number, maxTicks: number): number[] {
  if (n <= 0) return [];
  const raw = Math.max(1, (n - 1) / Math.max(1, maxTicks - 1));
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let v = 0; v < n; v += step) out.push(v);
  return out;
}

/**
 * Round tick values inside [min, max] (step 1, 2 or 5 × 10^k, at most ~maxTicks), for value axes such as the
 * colour-bar legend: −3, −2, …, 3 rather than −3.70, −1.85, 0, 1.85, 3.70.
 */
export function niceTicks(min: number, max: number, maxTicks: number): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return Number.isFinite(min) ? [min] : [];
  const raw = (max - min) / Math.max(1, maxTicks - 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  // The finest round step whose ticks inside [min, max] number at most maxTicks.
  const count = (step: number) => Math.floor(max / step + 1e-9) - Math.ceil(min / step - 1e-9) + 1;
  const step = [0.1, 0.2, 0.5, 1, 2, 5, 10].map((k) => k * pow).find((s) => count(s) <= Math.max(1, maxTicks)) ?? 10 * pow;
  const out: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}
