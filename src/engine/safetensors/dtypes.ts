/**
 * The dtypes a safetensors header may name (the reference parser's list, with element sizes in bits so the
 * sub-byte float formats are measured exactly), and conversion of the float ones to float32.
 */
import { widenBf16 } from './bf16Widen';

export const DTYPE_BITS: ReadonlyMap<string, number> = new Map<string, number>([
  ['BOOL', 8],
  ['F4', 4],
  ['F6_E2M3', 6],
  ['F6_E3M2', 6],
  ['U8', 8],
  ['I8', 8],
  ['F8_E5M2', 8],
  ['F8_E4M3', 8],
  ['F8_E8M0', 8],
  ['I16', 16],
  ['U16', 16],
  ['F16', 16],
  ['BF16', 16],
  ['I32', 32],
  ['U32', 32],
  ['F32', 32],
  ['C64', 64],
  ['F64', 64],
  ['I64', 64],
  ['U64', 64],
]);

/** Dtypes whose values we can show as float32 embedding values. */
export const READABLE_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;
export type ReadableDtype = (typeof READABLE_DTYPES)[number];

export function isReadableDtype(dtype: string): dtype is ReadableDtype {
  return (READABLE_DTYPES as readonly string[]).includes(dtype);
}

export function bytesPerElement(dtype: ReadableDtype): number {
  return dtype === 'F64' ? 8 : dtype === 'F32' ? 4 : 2;
}

/** Below this many values the JS loop is as fast as a call into WebAssembly. */
const WASM_WIDEN_MIN = 4096;

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let f16Table: Float32Array | null = null;
/** All 65,536 half-precision values as float32 (exact: every f16 is representable in f32). */
export function halfTable(): Float32Array {
  if (f16Table) return f16Table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    let v: number;
    if (exp === 0)
      v = mant * 2 ** -24; // subnormal
    else if (exp === 31) v = mant ? NaN : Infinity;
    else v = (1 + mant / 1024) * 2 ** (exp - 15);
    t[h] = sign * v;
  }
  f16Table = t;
  return t;
}

/**
 * Convert `count` little-endian elements of `dtype` from `src` into `out[outOffset…]` as float32.
 * F64 rounds to nearest float32 (what `tensor.float()` does).
 */
export function decodeToFloat32(dtype: ReadableDtype, src: Uint8Array, count: number, out: Float32Array, outOffset: number): void {
  const aligned = src.byteOffset % bytesPerElement(dtype) === 0;
  if (LITTLE_ENDIAN_HOST && aligned) {
    switch (dtype) {
      case 'F32':
        out.set(new Float32Array(src.buffer, src.byteOffset, count), outOffset);
        return;
      case 'F64':
        out.set(new Float64Array(src.buffer, src.byteOffset, count), outOffset);
        return;
      case 'F16': {
        const t = halfTable();
        const h = new Uint16Array(src.buffer, src.byteOffset, count);
        for (let i = 0; i < count; i++) out[outOffset + i] = t[h[i]];
        return;
      }
      case 'BF16': {
        // bfloat16 is the top half of a float32: shift the bits into place. Long runs (scans) go through
        // WebAssembly SIMD; otherwise two values per 32-bit load when the source allows it.
        if (count >= WASM_WIDEN_MIN && widenBf16(src, count, out, outOffset)) return;
        const bits = new Uint32Array(out.buffer, out.byteOffset + outOffset * 4, count);
        let i = 0;
        if (src.byteOffset % 4 === 0) {
          const pairs = new Uint32Array(src.buffer, src.byteOffset, count >> 1);
          for (let p = 0; p < pairs.length; p++, i += 2) {
            const w = pairs[p];
            bits[i] = w << 16;
            bits[i + 1] = w & 0xffff0000;
          }
        }
        const h = new Uint16Array(src.buffer, src.byteOffset, count);
        for (; i < count; i++) bits[i] = h[i] << 16;
        return;
      }
    }
  }
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getFloat32(i * 4, true);
      return;
    case 'F64':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getFloat64(i * 8, true);
      return;
    case 'F16': {
      const t = halfTable();
      for (let i = 0; i < count; i++) out[outOffset + i] = t[view.getUint16(i * 2, true)];
      return;
    }
    case 'BF16': {
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[outOffset + i] = scratch.getFloat32(0);
      }
      return;
    }
  }
}
