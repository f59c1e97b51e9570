// Writes GGUF files for tests and benchmarks: the layout of ggml's gguf_write (keys, tensor infos, padding to
// the alignment, tensor data each padded to the alignment). Hostile variants are made by the tests on top of it.
import { GGUF_VALUE_TYPES, type GgufValueType } from '../../../src/engine/gguf/values';

export type WriterValue =
  | { type: Exclude<GgufValueType, 'array'>; value: number | bigint | boolean | string }
  | { type: 'array'; elementType: GgufValueType; items: readonly (number | bigint | boolean | string | WriterValue)[] };

export interface WriterTensor {
  name: string;
  /** ggml order, innermost first. */
  dims: readonly number[];
  typeId: number;
  /** The tensor's bytes; omit and give `byteLength` to write only the header (ggufHeader, large files). */
  data?: Uint8Array;
  byteLength?: number;
  /** Override the computed data offset (hostile files). */
  offset?: bigint;
}

export interface WriterOptions {
  version?: number;
  kvs?: readonly (readonly [string, WriterValue])[];
  tensors?: readonly WriterTensor[];
  /** Padding used for the layout; write `general.alignment` yourself to declare it. Default 32. */
  alignment?: number;
}

class Bytes {
  private parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u8(v: number): void {
    this.push(Uint8Array.of(v));
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.push(b);
  }
  u64(v: bigint | number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    this.push(b);
  }
  str(s: string): void {
    const e = new TextEncoder().encode(s);
    this.u64(e.length);
    this.push(e);
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.push(new Uint8Array(n));
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

const typeId = (t: GgufValueType) => GGUF_VALUE_TYPES.indexOf(t);

function scalar(out: Bytes, type: GgufValueType, v: number | bigint | boolean | string): void {
  const b = new Uint8Array(8);
  const d = new DataView(b.buffer);
  switch (type) {
    case 'u8':
      out.u8(Number(v) & 0xff);
      return;
    case 'i8':
      d.setInt8(0, Number(v));
      out.push(b.slice(0, 1));
      return;
    case 'bool':
      out.u8(v ? 1 : 0);
      return;
    case 'u16':
      d.setUint16(0, Number(v), true);
      out.push(b.slice(0, 2));
      return;
    case 'i16':
      d.setInt16(0, Number(v), true);
      out.push(b.slice(0, 2));
      return;
    case 'u32':
      d.setUint32(0, Number(v), true);
      out.push(b.slice(0, 4));
      return;
    case 'i32':
      d.setInt32(0, Number(v), true);
      out.push(b.slice(0, 4));
      return;
    case 'f32':
      d.setFloat32(0, Number(v), true);
      out.push(b.slice(0, 4));
      return;
    case 'u64':
      d.setBigUint64(0, BigInt(v), true);
      out.push(b);
      return;
    case 'i64':
      d.setBigInt64(0, BigInt(v), true);
      out.push(b);
      return;
    case 'f64':
      d.setFloat64(0, Number(v), true);
      out.push(b);
      return;
    case 'string':
      out.str(String(v));
      return;
    default:
      throw new Error(`not a scalar: ${type}`);
  }
}

function value(out: Bytes, v: WriterValue, withType: boolean): void {
  if (withType) out.u32(typeId(v.type));
  if (v.type !== 'array') {
    scalar(out, v.type, v.value);
    return;
  }
  out.u32(typeId(v.elementType));
  out.u64(v.items.length);
  for (const item of v.items) {
    if (v.elementType === 'array') value(out, item as WriterValue, false);
    else scalar(out, v.elementType, item as number | bigint | boolean | string);
  }
}

const lengthOf = (t: WriterTensor) => t.data?.length ?? t.byteLength ?? 0;

/** The whole file in memory. */
export function writeGguf(options: WriterOptions): Uint8Array {
  const out = headerBytes(options);
  const alignment = options.alignment ?? 32;
  for (const t of options.tensors ?? []) {
    out.push(t.data ?? new Uint8Array(lengthOf(t)));
    out.pad(alignment);
  }
  return out.concat();
}

/**
 * Just the header, padded to the data section, and each tensor's absolute file offset: large files are written
 * by the caller in chunks at those offsets (tensor i occupies its byteLength, then padding to the alignment).
 */
export function ggufHeader(options: WriterOptions): { header: Uint8Array; offsets: number[]; fileSize: number } {
  const alignment = options.alignment ?? 32;
  const header = headerBytes(options).concat();
  const offsets: number[] = [];
  let at = header.length;
  for (const t of options.tensors ?? []) {
    offsets.push(at);
    at += Math.ceil(lengthOf(t) / alignment) * alignment;
  }
  return { header, offsets, fileSize: at };
}

function headerBytes(options: WriterOptions): Bytes {
  const alignment = options.alignment ?? 32;
  const kvs = options.kvs ?? [];
  const tensors = options.tensors ?? [];
  const out = new Bytes();
  out.push(new TextEncoder().encode('GGUF'));
  out.u32(options.version ?? 3);
  out.u64(tensors.length);
  out.u64(kvs.length);
  for (const [key, v] of kvs) {
    out.str(key);
    value(out, v, true);
  }
  let offset = 0n;
  for (const t of tensors) {
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(t.typeId);
    out.u64(t.offset ?? offset);
    offset += BigInt(Math.ceil(lengthOf(t) / alignment) * alignment);
  }
  if (tensors.length) out.pad(alignment);
  return out;
}

// Shorthands for metadata values.
export const str = (value: string): WriterValue => ({ type: 'string', value });
export const u32 = (value: number): WriterValue => ({ type: 'u32', value });
export const f32 = (value: number): WriterValue => ({ type: 'f32', value });
export const strs = (items: readonly string[]): WriterValue => ({ type: 'array', elementType: 'string', items });
export const f32s = (items: readonly number[]): WriterValue => ({ type: 'array', elementType: 'f32', items });
export const i32s = (items: readonly number[]): WriterValue => ({ type: 'array', elementType: 'i32', items });
