/**
 * ggml's reference dequantizers (`dequantize_row_*` in ggml-quants.c) in TypeScript, bit-exact: every float32
 * operation of the C code is one JS double operation rounded to float32 (Math.fround, or the rounding a
 * Float32Array store does) in the same order. A double product or sum of two float32 values rounded once to
 * float32 equals the float32 operation (53 ≥ 2·24 + 2 bits), so this is the C result, not an approximation.
 * (The C is compiled without FMA contraction for the fixtures; see scripts/ggml/.)
 *
 * Block layouts (ggml-common.h; `d`, `m`, `dmin` are IEEE half floats, all little-endian):
 *   Q4_0 {d, qs[16]}                      Q4_1 {d, m, qs[16]}
 *   Q5_0 {d, qh[4], qs[16]}               Q5_1 {d, m, qh[4], qs[16]}
 *   Q8_0 {d, qs[32] int8}
 *   Q4_K {d, dmin, scales[12], qs[128]}   Q5_K {d, dmin, scales[12], qh[32], qs[128]}
 *   Q6_K {ql[128], qh[64], scales[16] int8, d}
 */
import { bytesPerElement, decodeToFloat32, halfTable } from '../safetensors/dtypes';
import { GgufError } from './errors';
import { ggmlTypeByName, isDequantizable, type DequantizableType } from './ggmlTypes';

const fr = Math.fround;

/**
 * Dequantize `count` values (a whole number of blocks) of `type` from `src` into `out[outOffset…]`.
 * `src` must hold exactly those blocks.
 */
export function dequantize(type: DequantizableType, src: Uint8Array, count: number, out: Float32Array, outOffset: number): void {
  const info = ggmlTypeByName(type);
  if (count % info.blockSize !== 0 || src.length < (count / info.blockSize) * info.blockBytes) {
    throw new RangeError(`${type}: ${count} values need ${(count / info.blockSize) * info.blockBytes} bytes of whole blocks, got ${src.length}.`);
  }
  if (type === 'F32' || type === 'F16' || type === 'BF16') decodeToFloat32(type, src, count, out, outOffset);
  else BLOCK_DEQUANTIZERS[type](src, count / info.blockSize, out, outOffset);
}

/** `nb` blocks from `s` into `y[o…]`, one function per quantized type. */
type BlockDequantizer = (s: Uint8Array, nb: number, y: Float32Array, o: number) => void;

/** Bytes of `count` values of a type (count a multiple of its block size). */
export function bytesForValues(type: DequantizableType, count: number): number {
  if (type === 'F32' || type === 'F16' || type === 'BF16') return count * bytesPerElement(type);
  const info = ggmlTypeByName(type);
  return (count / info.blockSize) * info.blockBytes;
}

/** The type as something we can dequantize, or a clear error naming it. */
export function requireDequantizable(typeName: string, what: string): DequantizableType {
  if (!isDequantizable(typeName)) {
    throw new GgufError(
      'unsupportedType',
      `${what} is ${typeName}; this extension can read F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K and Q6_K ` +
        '(re-quantize with one of these, e.g. llama-quantize … Q8_0).',
    );
  }
  return typeName;
}

function q4_0(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 18, o += 32) {
    const d = h[s[b] | (s[b + 1] << 8)];
    for (let j = 0; j < 16; j++) {
      const q = s[b + 2 + j];
      y[o + j] = ((q & 0x0f) - 8) * d;
      y[o + j + 16] = ((q >> 4) - 8) * d;
    }
  }
}

function q4_1(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 20, o += 32) {
    const d = h[s[b] | (s[b + 1] << 8)];
    const m = h[s[b + 2] | (s[b + 3] << 8)];
    for (let j = 0; j < 16; j++) {
      const q = s[b + 4 + j];
      y[o + j] = fr((q & 0x0f) * d) + m;
      y[o + j + 16] = fr((q >> 4) * d) + m;
    }
  }
}

function q5_0(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 22, o += 32) {
    const d = h[s[b] | (s[b + 1] << 8)];
    const qh = (s[b + 2] | (s[b + 3] << 8) | (s[b + 4] << 16) | (s[b + 5] << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = s[b + 6 + j];
      const xh0 = ((qh >>> j) << 4) & 0x10;
      const xh1 = (qh >>> (j + 12)) & 0x10;
      y[o + j] = (((q & 0x0f) | xh0) - 16) * d;
      y[o + j + 16] = (((q >> 4) | xh1) - 16) * d;
    }
  }
}

function q5_1(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 24, o += 32) {
    const d = h[s[b] | (s[b + 1] << 8)];
    const m = h[s[b + 2] | (s[b + 3] << 8)];
    const qh = (s[b + 4] | (s[b + 5] << 8) | (s[b + 6] << 16) | (s[b + 7] << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = s[b + 8 + j];
      const xh0 = ((qh >>> j) << 4) & 0x10;
      const xh1 = (qh >>> (j + 12)) & 0x10;
      y[o + j] = fr(((q & 0x0f) | xh0) * d) + m;
      y[o + j + 16] = fr(((q >> 4) | xh1) * d) + m;
    }
  }
}

function q8_0(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 34, o += 32) {
    const d = h[s[b] | (s[b + 1] << 8)];
    for (let j = 0; j < 32; j++) y[o + j] = ((s[b + 2 + j] << 24) >> 24) * d;
  }
}

/** ggml's get_scale_min_k4: the 6-bit scale and min of sub-block j from the 12 packed bytes at `q`. */
function scaleK4(s: Uint8Array, q: number, j: number): number {
  return j < 4 ? s[q + j] & 63 : (s[q + j + 4] & 0xf) | ((s[q + j - 4] >> 6) << 4);
}
function minK4(s: Uint8Array, q: number, j: number): number {
  return j < 4 ? s[q + j + 4] & 63 : (s[q + j + 4] >> 4) | ((s[q + j] >> 6) << 4);
}

function q4_K(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 144) {
    const d = h[s[b] | (s[b + 1] << 8)];
    const min = h[s[b + 2] | (s[b + 3] << 8)];
    const sc = b + 4;
    let q = b + 16;
    for (let is = 0; is < 8; is += 2, q += 32) {
      const d1 = fr(d * scaleK4(s, sc, is));
      const m1 = fr(min * minK4(s, sc, is));
      const d2 = fr(d * scaleK4(s, sc, is + 1));
      const m2 = fr(min * minK4(s, sc, is + 1));
      for (let l = 0; l < 32; l++) y[o++] = fr(d1 * (s[q + l] & 0xf)) - m1;
      for (let l = 0; l < 32; l++) y[o++] = fr(d2 * (s[q + l] >> 4)) - m2;
    }
  }
}

function q5_K(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 176) {
    const d = h[s[b] | (s[b + 1] << 8)];
    const min = h[s[b + 2] | (s[b + 3] << 8)];
    const sc = b + 4;
    const qh = b + 16;
    let ql = b + 48;
    let u1 = 1;
    let u2 = 2;
    for (let is = 0; is < 8; is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
      const d1 = fr(d * scaleK4(s, sc, is));
      const m1 = fr(min * minK4(s, sc, is));
      const d2 = fr(d * scaleK4(s, sc, is + 1));
      const m2 = fr(min * minK4(s, sc, is + 1));
      for (let l = 0; l < 32; l++) y[o++] = fr(d1 * ((s[ql + l] & 0xf) + (s[qh + l] & u1 ? 16 : 0))) - m1;
      for (let l = 0; l < 32; l++) y[o++] = fr(d2 * ((s[ql + l] >> 4) + (s[qh + l] & u2 ? 16 : 0))) - m2;
    }
  }
}

function q6_K(s: Uint8Array, nb: number, y: Float32Array, o: number): void {
  const h = halfTable();
  for (let i = 0, b = 0; i < nb; i++, b += 210) {
    const d = h[s[b + 208] | (s[b + 209] << 8)];
    let ql = b;
    let qh = b + 128;
    let sc = b + 192;
    for (let n = 0; n < 256; n += 128, o += 128, ql += 64, qh += 32, sc += 8) {
      // The 8 scales of this half, each d × (int8) scale rounded to float32 as the C does before × q.
      const ds0 = fr(d * ((s[sc] << 24) >> 24));
      const ds1 = fr(d * ((s[sc + 1] << 24) >> 24));
      const ds2 = fr(d * ((s[sc + 2] << 24) >> 24));
      const ds3 = fr(d * ((s[sc + 3] << 24) >> 24));
      const ds4 = fr(d * ((s[sc + 4] << 24) >> 24));
      const ds5 = fr(d * ((s[sc + 5] << 24) >> 24));
      const ds6 = fr(d * ((s[sc + 6] << 24) >> 24));
      const ds7 = fr(d * ((s[sc + 7] << 24) >> 24));
      for (let l = 0; l < 32; l++) {
        const hi = l < 16;
        const a = s[ql + l];
        const c = s[ql + l + 32];
        const e = s[qh + l];
        y[o + l] = (((a & 0xf) | ((e & 3) << 4)) - 32) * (hi ? ds0 : ds1);
        y[o + l + 32] = (((c & 0xf) | (((e >> 2) & 3) << 4)) - 32) * (hi ? ds2 : ds3);
        y[o + l + 64] = (((a >> 4) | (((e >> 4) & 3) << 4)) - 32) * (hi ? ds4 : ds5);
        y[o + l + 96] = (((c >> 4) | (((e >> 6) & 3) << 4)) - 32) * (hi ? ds6 : ds7);
      }
    }
  }
}

const BLOCK_DEQUANTIZERS: Readonly<Record<Exclude<DequantizableType, 'F32' | 'F16' | 'BF16'>, BlockDequantizer>> = {
  Q4_0: q4_0,
  Q4_1: q4_1,
  Q5_0: q5_0,
  Q5_1: q5_1,
  Q8_0: q8_0,
  Q4_K: q4_K,
  Q5_K: q5_K,
  Q6_K: q6_K,
};
