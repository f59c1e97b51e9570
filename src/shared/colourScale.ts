/**
 * The heatmaps' shared symmetric colour scale: robust (a high quantile of |v|, not the single largest value)
 * so one outlier does not wash every other cell out. Pure: the webviews compute it, and the engine computes
 * it for the panel's paint preview (src/engine/analysis/paintPreview.ts) with this same code; and the mapping of
 * values through a colour lookup table to pixels, which the engine does too when the panel sent its table.
 */

/** Number of colours in the lookup table; odd so that 0 maps to the exact middle colour. */
export const LUT_STEPS = 257;
/** Bytes of a colour lookup table: LUT_STEPS RGBA entries. */
export const LUT_BYTES = LUT_STEPS * 4;

/** LUT entry for a value on the symmetric scale [−maxAbs, +maxAbs]; out-of-range values clamp, NaN → middle. */
export function lutIndex(value: number, maxAbs: number, steps = LUT_STEPS): number {
  const mid = (steps - 1) / 2;
  if (Number.isNaN(value)) return mid;
  // Same arithmetic as paintGrid's hot loop, so a test's expected colour is bit-identical to the painted one.
  return Math.min(steps - 1, Math.max(0, Math.round(mid + value * (mid / maxAbs))));
}

/** Paints a rows × cols grid into RGBA bytes (ImageData layout) through the LUT. */
export function paintGrid(values: ArrayLike<number>, count: number, maxAbs: number, lut: Uint8ClampedArray, out: Uint8ClampedArray): void {
  const steps = lut.length / 4;
  const scale = (steps - 1) / 2 / maxAbs;
  const mid = (steps - 1) / 2;
  // One 32-bit write per pixel: a LUT entry's 4 bytes are the pixel's 4 bytes (same byte order both sides).
  const lut32 = lut.byteOffset % 4 === 0 ? new Uint32Array(lut.buffer, lut.byteOffset, steps) : new Uint32Array(lut.slice().buffer);
  const aligned = out.byteOffset % 4 === 0;
  const out32 = aligned ? new Uint32Array(out.buffer, out.byteOffset, count) : new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    // Inline of lutIndex for the hot loop (3M cells for 4,096 × 768).
    let k = v === v ? Math.round(mid + v * scale) : mid;
    if (k < 0) k = 0;
    else if (k > steps - 1) k = steps - 1;
    out32[i] = lut32[k]!;
  }
  if (!aligned) out.set(new Uint8ClampedArray(out32.buffer), 0);
}

/** Largest finite |v| of one array (0 if none): one tight loop, the scale's pass over every value. */
function maxAbsFinite(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    // Math.abs, not `v < 0 ? -v : v`: random signs make that branch mispredict half the time (~15× slower).
    const x = Math.abs(a[i]!); // NaN fails every comparison below
    if (x > m && x !== Infinity) m = x;
  }
  return m;
}

/** Half-width of the symmetric scale: the largest finite |v| over every array (1 if all are 0). */
export function symmetricMax(arrays: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) m = Math.max(m, maxAbsFinite(a));
  return m > 0 ? m : 1;
}

export interface ScaleRange {
  /** Half-width of the colour scale: values beyond ±maxAbs are drawn at the end colours. */
  maxAbs: number;
  /** Largest |v| in the data (shown in the legend when it exceeds maxAbs). */
  dataMaxAbs: number;
  /** Share of values beyond ±maxAbs (0 when the scale covers everything). */
  clippedFraction: number;
}

/** Rounds up to two significant digits (2.8317 → 2.9) so legend ends are readable numbers. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const pow = 10 ** (Math.floor(Math.log10(x)) - 1);
  const k = Math.ceil(x / pow - 1e-9);
  // Divide by the integer 1/pow for small scales: 29 / 10 is exactly 2.9, 29 * 0.1 is not.
  return pow < 1 ? k / Math.round(1 / pow) : k * pow;
}

/**
 * The shared symmetric scale. Using the single largest |v| would let one outlier (6.2 among N(0,1) values)
 * wash every other cell out to the middle colour, so the scale ends at the `quantile` of |v| (estimated on at
 * most `maxSamples` evenly strided values: 65,536 pin the 99.5th percentile far finer than the two digits the
 * legend rounds it to), rounded up; the legend states how much is beyond it.
 */
export function robustScale(arrays: readonly ArrayLike<number>[], quantile = 0.995, maxSamples = 1 << 16): ScaleRange {
  let total = 0;
  for (const a of arrays) total += a.length;
  if (total === 0) return { maxAbs: 1, dataMaxAbs: 1, clippedFraction: 0 };
  const stride = Math.max(1, Math.ceil(total / maxSamples));
  // Visit only every stride-th value (across array boundaries), straight into a typed buffer.
  const sample = new Float64Array(Math.ceil(total / stride));
  let n = 0;
  let offset = 0; // index of the first sampled element in the next array
  let m = 0;
  for (const a of arrays) {
    m = Math.max(m, maxAbsFinite(a));
    for (let i = offset; i < a.length; i += stride) {
      const v = Math.abs(a[i]!);
      if (v === v && v !== Infinity) sample[n++] = v;
    }
    offset = (((offset - a.length) % stride) + stride) % stride;
  }
  const dataMaxAbs = m > 0 ? m : 1;
  const values = sample.subarray(0, n);
  const q = n ? selectKth(values, Math.min(n - 1, Math.ceil(quantile * (n - 1)))) : 0;
  const maxAbs = q > 0 ? Math.min(niceCeil(q), niceCeil(dataMaxAbs)) : dataMaxAbs;
  let beyond = 0;
  for (let i = 0; i < n; i++) if (values[i]! > maxAbs) beyond++;
  return { maxAbs, dataMaxAbs, clippedFraction: n ? beyond / n : 0 };
}

/**
 * The k-th smallest value (0-based) of `a`, reordering `a` in place: Hoare quickselect, O(n) on average —
 * a full sort of the 262k-value sample cost ~10× more at first paint.
 */
export function selectKth(a: Float64Array, k: number): number {
  if (k < 0 || k >= a.length) throw new RangeError(`k=${k} outside 0..${a.length - 1}`);
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
