/**
 * The one set of checks the webviews apply to what the host sends (messages.ts, analysisMessages.ts and the
 * stored-state decoder all build on these). Anything can arrive on `window.message` (other frames, extensions,
 * a host bug), so each field is checked and named in the error. Vectors become typed arrays of the declared
 * length: VS Code delivers typed arrays as typed arrays, but a JSON round trip turns them into
 * `{ "0": …, "1": … }` objects or plain arrays, which are accepted too. No DOM: Node unit tests import it.
 */

export class InvalidMessage extends Error {
  override name = 'InvalidMessage';
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidMessage(`${what}: expected an object`);
  return v as Obj;
}

/** A finite number: NaN and ±Infinity are refused (use `numOrNaN` where NaN carries a meaning). */
export function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidMessage(`${what}: expected a finite number`);
  return v;
}

/** A finite number or NaN: a cosine similarity involving a zero vector is undefined, and the engine says NaN. */
export function numOrNaN(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isNaN(v)) return v;
  return num(v, what);
}

export function int(v: unknown, what: string, min = 0): number {
  const n = num(v, what);
  if (!Number.isInteger(n) || n < min) throw new InvalidMessage(`${what}: expected an integer ≥ ${min}`);
  return n;
}

export function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new InvalidMessage(`${what}: expected a string`);
  return v;
}

export function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new InvalidMessage(`${what}: expected a boolean`);
  return v;
}

export function oneOf<T extends string>(v: unknown, options: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new InvalidMessage(`${what}: expected one of ${options.join(', ')}`);
  }
  return v as T;
}

export function ints(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new InvalidMessage(`${what}: expected an array`);
  return v.map((x, i) => int(x, `${what}[${i}]`));
}

export function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new InvalidMessage(`${what}: expected an array`);
  return v;
}

export function tuple<N extends number>(v: unknown, n: N, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n) throw new InvalidMessage(`${what}: expected ${n} integers`);
  return ints(v, what);
}

/** `null`, or what `parse` makes of the value. */
export function nullable<T>(v: unknown, parse: (v: unknown) => T): T | null {
  return v === null ? null : parse(v);
}

/**
 * The elements of a typed array, a plain array or a JSON-serialised typed array, checked to be `length`
 * numbers. Element values are not range-checked: NaN (an undefined cosine) and ±Infinity (an overflowed
 * float16 weight) are real values a table can hold, and the views draw them as such.
 */
function numbers(v: unknown, length: number, what: string): ArrayLike<number> {
  let src: ArrayLike<unknown>;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) src = v as unknown as ArrayLike<number>;
  else if (Array.isArray(v)) src = v;
  else if (v !== null && typeof v === 'object') src = { ...(v as Obj), length } as ArrayLike<unknown>;
  else throw new InvalidMessage(`${what}: expected a typed array`);
  if (src.length !== length) throw new InvalidMessage(`${what}: expected ${length} values, got ${src.length}`);
  for (let i = 0; i < length; i++) {
    const x = src[i];
    if (typeof x !== 'number') throw new InvalidMessage(`${what}: element ${i} ${x === undefined ? 'missing' : 'is not a number'}`);
  }
  return src as ArrayLike<number>;
}

export function toFloat32(v: unknown, length: number, what: string): Float32Array {
  return v instanceof Float32Array && v.length === length ? v : Float32Array.from(numbers(v, length, what));
}

export function toFloat64(v: unknown, length: number, what: string): Float64Array {
  return v instanceof Float64Array && v.length === length ? v : Float64Array.from(numbers(v, length, what));
}

/** Integers only: a fractional or non-finite element would be truncated silently by Int32Array.from. */
export function toInt32(v: unknown, length: number, what: string): Int32Array {
  if (v instanceof Int32Array && v.length === length) return v;
  const src = numbers(v, length, what);
  for (let i = 0; i < length; i++) {
    const x = src[i]!;
    if (!Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) throw new InvalidMessage(`${what}: element ${i} is not a 32-bit integer`);
  }
  return Int32Array.from(src);
}
