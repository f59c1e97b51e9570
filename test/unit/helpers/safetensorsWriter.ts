/**
 * Minimal safetensors writer for tests and benchmarks: tensors packed in the given order, header padded
 * with spaces to a multiple of 8 bytes (as the reference serializer does).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

export function headerJson(tensors: { name: string; dtype: string; shape: number[]; byteLength: number }[], metadata?: Record<string, string>): string {
  const obj: Record<string, unknown> = {};
  if (metadata) obj.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    obj[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] };
    offset += t.byteLength;
  }
  return JSON.stringify(obj);
}

/** 8-byte length + header bytes (padded to a multiple of 8 with spaces unless `pad` is false). */
export function headerPrefix(header: string | Uint8Array, pad = true, lengthOverride?: bigint): Uint8Array {
  let bytes = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  if (pad && bytes.length % 8 !== 0) {
    const padded = new Uint8Array(bytes.length + (8 - (bytes.length % 8)));
    padded.fill(0x20);
    padded.set(bytes);
    bytes = padded;
  }
  const out = new Uint8Array(8 + bytes.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(bytes.length), true);
  out.set(bytes, 8);
  return out;
}

export function buildSafetensors(tensors: TensorSpec[], metadata?: Record<string, string>): Uint8Array {
  const prefix = headerPrefix(
    headerJson(
      tensors.map((t) => ({ ...t, byteLength: t.data.length })),
      metadata,
    ),
  );
  const total = prefix.length + tensors.reduce((n, t) => n + t.data.length, 0);
  const out = new Uint8Array(total);
  out.set(prefix);
  let at = prefix.length;
  for (const t of tensors) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/** Raw header text + `dataBytes` zero bytes (for hand-crafted hostile headers). */
export function rawSafetensors(header: string | Uint8Array, dataBytes: number, options: { pad?: boolean; length?: bigint } = {}): Uint8Array {
  const prefix = headerPrefix(header, options.pad ?? true, options.length);
  const out = new Uint8Array(prefix.length + dataBytes);
  out.set(prefix);
  return out;
}

export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
export function f64Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}
export function u16Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Uint16Array.from(values).buffer);
}

/** bfloat16 bits of a float32 by truncation (exact for values that are representable). */
export function bf16Bits(v: number): number {
  const u = new Uint32Array(Float32Array.of(v).buffer)[0];
  return u >>> 16;
}

/** A value that is exact in f16, bf16 and f32: small multiples of 1/64. */
export function gridValue(row: number, col: number): number {
  return (((row * 31 + col * 17) % 97) - 48) / 64;
}

export interface LargeTensorSpec {
  name: string;
  rows: number;
  cols: number;
  /** float32 value of element (row, col). */
  value(row: number, col: number): number;
}

/** Write F32 2-D tensors to `path` streaming 1,024 rows at a time (for GPT-2-sized files). */
export function writeLargeF32File(path: string, tensors: LargeTensorSpec[]): number {
  const prefix = headerPrefix(headerJson(tensors.map((t) => ({ name: t.name, dtype: 'F32', shape: [t.rows, t.cols], byteLength: t.rows * t.cols * 4 }))));
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    size += writeSync(fd, prefix);
    for (const t of tensors) {
      const block = new Float32Array(1024 * t.cols);
      for (let r0 = 0; r0 < t.rows; r0 += 1024) {
        const n = Math.min(1024, t.rows - r0);
        for (let r = 0; r < n; r++) for (let c = 0; c < t.cols; c++) block[r * t.cols + c] = t.value(r0 + r, c);
        size += writeSync(fd, new Uint8Array(block.buffer, 0, n * t.cols * 4));
      }
    }
  } finally {
    closeSync(fd);
  }
  return size;
}
