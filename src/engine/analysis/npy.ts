/**
 * NumPy `.npy` format version 1.0, written byte-for-byte like `numpy.save` (NumPy ≥ 1.24 / 2.x):
 *   magic `\x93NUMPY`, version 1 0, little-endian uint16 header length, then the header — the dict repr
 *   `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`, plus NumPy's "growth" spaces (room for the
 *   first axis to grow to 21 digits in place), padded with spaces and a final `\n` so that magic + length +
 *   header is a multiple of 64 bytes — then the data in C order, little-endian.
 * Readers (numpy.load, torch via numpy) only need the header to parse; matching NumPy exactly lets tests
 * compare our bytes with the bytes NumPy itself wrote (test/fixtures/analysis-torch-reference.json).
 */

export type NpyDtype = '<f4' | '<i4' | '<i8';

export interface NpyArray {
  descr: NpyDtype;
  fortranOrder: boolean;
  shape: number[];
  /** Float32Array for `<f4`, Int32Array for `<i4`, BigInt64Array for `<i8`. */
  data: Float32Array | Int32Array | BigInt64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const PREFIX_LEN = MAGIC.length + 2 + 2; // magic, version, uint16 header length
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function pyShapeRepr(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function itemSize(descr: NpyDtype): number {
  return descr === '<f4' || descr === '<i4' ? 4 : 8;
}

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0) throw new RangeError(`bad .npy shape (${shape.join(', ')})`);
    n *= s;
  }
  return n;
}

/** The complete header block (magic … trailing `\n`) for an array of this dtype and shape. */
export function npyHeader(descr: NpyDtype, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyShapeRepr(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = dict.length + 1; // + the trailing newline
  const padlen = ARRAY_ALIGN - ((PREFIX_LEN + hlen) % ARRAY_ALIGN);
  const headerLen = hlen + padlen;
  if (headerLen > 0xffff) throw new RangeError('shape too long for a version 1.0 .npy header');
  const out = new Uint8Array(PREFIX_LEN + headerLen);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLen & 0xff;
  out[9] = headerLen >>> 8;
  const text = dict + ' '.repeat(padlen) + '\n';
  for (let i = 0; i < text.length; i++) out[PREFIX_LEN + i] = text.charCodeAt(i); // ASCII only
  return out;
}

/**
 * A `.npy` file for C-ordered data: Float32Array → `<f4` (what PyTorch's float32 tensors are), Int32Array → `<i4`,
 * BigInt64Array or plain number[] of integers → `<i8` (token IDs, like `torch.tensor(ids)`'s int64).
 */
export function encodeNpy(data: Float32Array | Int32Array | BigInt64Array | readonly number[], shape: readonly number[]): Uint8Array {
  const numel = numelOf(shape);
  if (data.length !== numel) {
    throw new RangeError(`shape (${shape.join(', ')}) needs ${numel} values, got ${data.length}`);
  }
  const descr: NpyDtype = data instanceof Float32Array ? '<f4' : data instanceof Int32Array ? '<i4' : '<i8';
  const header = npyHeader(descr, shape);
  const out = new Uint8Array(header.length + numel * itemSize(descr));
  out.set(header, 0);
  const view = new DataView(out.buffer, header.length);
  if ((data instanceof Float32Array || data instanceof Int32Array || data instanceof BigInt64Array) && LITTLE_ENDIAN_HOST) {
    // Typed arrays are in host byte order: on little-endian hosts (all Node targets in practice) copy in bulk.
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  } else if (data instanceof Float32Array) for (let i = 0; i < numel; i++) view.setFloat32(i * 4, data[i]!, true);
  else if (data instanceof Int32Array) for (let i = 0; i < numel; i++) view.setInt32(i * 4, data[i]!, true);
  else if (data instanceof BigInt64Array) for (let i = 0; i < numel; i++) view.setBigInt64(i * 8, data[i]!, true);
  else {
    for (let i = 0; i < numel; i++) {
      const v = data[i]!;
      if (!Number.isSafeInteger(v)) throw new RangeError(`int64 .npy data must be integers, got ${v} at ${i}`);
      view.setBigInt64(i * 8, BigInt(v), true);
    }
  }
  return out;
}

/** Reads a version 1.x/2.x `.npy` of dtype `<f4`, `<i4` or `<i8` in C order (what encodeNpy and numpy.save write). */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error('not a .npy file (magic \\x93NUMPY missing)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new Error(`unsupported .npy version ${major}.${bytes[7]}`);
  }
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`malformed .npy header: ${header.trim()}`);
  }
  if (descr !== '<f4' && descr !== '<i4' && descr !== '<i8') throw new Error(`unsupported .npy dtype ${descr}`);
  if (fortran === 'True') throw new Error('Fortran-ordered .npy arrays are not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const numel = numelOf(shape);
  const dataStart = start + headerLen;
  const size = itemSize(descr);
  if (bytes.length < dataStart + numel * size) throw new Error('truncated .npy data');
  const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart, numel * size);
  let data: Float32Array | Int32Array | BigInt64Array;
  if (descr === '<f4') {
    const a = new Float32Array(numel);
    for (let i = 0; i < numel; i++) a[i] = dv.getFloat32(i * 4, true);
    data = a;
  } else if (descr === '<i4') {
    const a = new Int32Array(numel);
    for (let i = 0; i < numel; i++) a[i] = dv.getInt32(i * 4, true);
    data = a;
  } else {
    const a = new BigInt64Array(numel);
    for (let i = 0; i < numel; i++) a[i] = dv.getBigInt64(i * 8, true);
    data = a;
  }
  return { descr, fortranOrder: false, shape, data };
}
