/**
 * GGUF metadata value types (ids from ggml's `enum gguf_type`) and the in-memory form of a parsed value.
 * Numeric arrays stay typed arrays, so a 262,144-entry `tokenizer.ggml.scores` costs 1 MB, not 262,144 boxes.
 */

export const GGUF_VALUE_TYPES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'] as const;
export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];

/** Fixed byte size of a scalar type; strings and arrays have a length prefix instead. */
export const SCALAR_BYTES: Readonly<Record<Exclude<GgufValueType, 'string' | 'array'>, number>> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  bool: 1,
  u64: 8,
  i64: 8,
  f64: 8,
};

/** Smallest encoding of one value of a type: the floor used to bound counts by the bytes left in the file. */
export function minValueBytes(type: GgufValueType): number {
  if (type === 'string') return 8; // u64 length
  if (type === 'array') return 12; // u32 element type + u64 count
  return SCALAR_BYTES[type];
}

export type GgufNumericArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | BigUint64Array | BigInt64Array | Float64Array;

export interface GgufArray {
  readonly kind: 'array';
  readonly elementType: GgufValueType;
  /** Typed array for numbers, boolean[] / string[] / GgufArray[] otherwise. */
  readonly items: GgufNumericArray | readonly boolean[] | readonly string[] | readonly GgufArray[];
}

/** u64 / i64 are bigint; every other number is a JS number (f32 widened exactly). */
export type GgufValue = number | bigint | boolean | string | GgufArray;

export interface GgufKv {
  readonly key: string;
  readonly type: GgufValueType;
  readonly value: GgufValue;
}

export function isGgufArray(v: GgufValue): v is GgufArray {
  return typeof v === 'object' && v !== null && (v as GgufArray).kind === 'array';
}

/** `u32`, or `array<string>`: how messages name a value's type. */
export function describeValueType(kv: { type: GgufValueType; value: GgufValue }): string {
  return isGgufArray(kv.value) ? `array<${kv.value.elementType}>` : kv.type;
}
