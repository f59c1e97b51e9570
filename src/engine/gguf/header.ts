/**
 * Strict GGUF v2/v3 reader (layout per ggml `docs/gguf.md` and `src/gguf.cpp`): magic, version, tensor and
 * key/value counts, the key/values (all 13 value types, arrays of arrays up to a small depth), the tensor infos
 * and the aligned data section. Only the header bytes are read; tensor data stays in the file.
 *
 * Defensive by construction, after the parser bugs llama.cpp has had (CVE-2024-23496, #18674, #19003, #26318):
 * every count or length is checked against the bytes actually left in the header region before anything is
 * allocated for it, sizes are computed with BigInt so nothing wraps, and every violation is one GgufError.
 */
import { MemoryByteSource, type ByteSource } from '../safetensors/byteSource';
import { asGgufError, GgufError } from './errors';
import { ggmlType, removedGgmlTypeName, type GgmlTypeInfo } from './ggmlTypes';
import { LOAD_STEP_ENTRIES } from '../hfTokenizer/leanJson';
import { runSteps, sliceSteps } from '../steps';
import {
  GGUF_VALUE_TYPES,
  minValueBytes,
  SCALAR_BYTES,
  type GgufArray,
  type GgufKv,
  type GgufNumericArray,
  type GgufValue,
  type GgufValueType,
} from './values';

const MAGIC = 0x46554747; // "GGUF" read as little-endian u32
/** Key/values and tensor infos must fit in this many bytes from the start of the file. */
export const MAX_GGUF_HEADER_BYTES = 512 * 1024 * 1024;
/** One string (a key, a token, or a whole embedded tokenizer.json). */
export const MAX_GGUF_STRING_BYTES = 256 * 1024 * 1024;
/** Array levels: 1 = an array of scalars or strings; deeper = arrays of arrays. */
export const MAX_ARRAY_NESTING = 3;
/** ggml's GGML_MAX_DIMS. */
export const MAX_TENSOR_DIMS = 4;
/** ggml's GGML_MAX_NAME: tensor names are shorter than this. */
export const MAX_TENSOR_NAME_BYTES = 64;
export const DEFAULT_ALIGNMENT = 32;
const INT64_MAX = (1n << 63n) - 1n;

export interface GgufTensorInfo {
  readonly name: string;
  /** ggml order: `dims[0]` is the innermost (contiguous) dimension. */
  readonly dims: readonly number[];
  readonly type: GgmlTypeInfo;
  /** Offset relative to the start of the data section (a multiple of the alignment). */
  readonly offset: number;
  /** Absolute file offset of the first byte. */
  readonly fileOffset: number;
  readonly byteLength: number;
}

export interface GgufFile {
  readonly version: 2 | 3;
  readonly fileSize: number;
  readonly alignment: number;
  /** Absolute file offset of the data section. */
  readonly dataStart: number;
  readonly metadata: ReadonlyMap<string, GgufKv>;
  /** In file order. */
  readonly tensors: ReadonlyMap<string, GgufTensorInfo>;
}

export function readGgufHeader(source: ByteSource, label = 'the GGUF file'): GgufFile {
  return runSteps(readGgufHeaderSteps(source, label));
}

/**
 * `readGgufHeader` in steps: a vocabulary's string arrays (150k+ tokens and merges) are read LOAD_STEP_ENTRIES
 * elements at a time, so the engine worker answers other requests while a model opens.
 */
export function* readGgufHeaderSteps(source: ByteSource, label = 'the GGUF file'): Generator<void, GgufFile, void> {
  try {
    return yield* new HeaderReader(source, label).readSteps();
  } catch (e) {
    throw asGgufError(e);
  }
}

export function parseGgufBytes(bytes: Uint8Array, label?: string): GgufFile {
  return readGgufHeader(new MemoryByteSource(bytes), label);
}

const CHUNK = 1 << 20;

/** Sequential reads of the header region through a 1 MB window; strings larger than it are read directly. */
class HeaderReader {
  private pos = 0;
  private buffer = new Uint8Array(0);
  private nodeBuffer = Buffer.alloc(0);
  /** `buffer[0, len)`, holding file bytes `[windowStart, windowStart + len)`. */
  private window = new Uint8Array(0);
  private windowStart = 0;
  private view = new DataView(this.window.buffer);
  private readonly limit: number;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly source: ByteSource,
    private readonly label: string,
  ) {
    this.limit = Math.min(source.size, MAX_GGUF_HEADER_BYTES);
  }

  *readSteps(): Generator<void, GgufFile, void> {
    const fileSize = this.source.size;
    if (fileSize < 24) {
      throw new GgufError('truncated', `${this.label} is ${fileSize} bytes; a GGUF file starts with a 24-byte header.`);
    }
    const magic = this.u32('the magic number');
    if (magic !== MAGIC) {
      throw new GgufError('badMagic', `${this.label} does not start with "GGUF" (is it really a .gguf file?).`);
    }
    const version = this.u32('the version');
    if (version !== 2 && version !== 3) {
      throw new GgufError(
        'unsupportedVersion',
        version === 1
          ? `${this.label} is GGUF version 1 (2023, 32-bit counts); convert it again with a current llama.cpp.`
          : `${this.label} is GGUF version ${version}; only versions 2 and 3 can be read.`,
      );
    }
    const tensorCount = this.count('the tensor count', 8 + 4 + 8 + 4 + 8, 'tensor infos');
    const kvCount = this.count('the key/value count', 8 + 4 + 1, 'key/values');

    const metadata = new Map<string, GgufKv>();
    for (let i = 0; i < kvCount; i++) {
      const key = this.string(`the name of key/value #${i}`);
      if (metadata.has(key)) throw new GgufError('duplicateKey', `${this.label} has the key ${JSON.stringify(key)} twice.`);
      const type = this.valueType(`the type of ${JSON.stringify(key)}`);
      const value = yield* this.value(type, key, 0);
      metadata.set(key, { key, type, value });
    }
    const alignment = readAlignment(metadata, this.label);

    const raw: { name: string; dims: bigint[]; type: GgmlTypeInfo; offset: bigint }[] = [];
    const names = new Set<string>();
    for (let i = 0; i < tensorCount; i++) {
      const name = this.string(`the name of tensor #${i}`);
      const q = JSON.stringify(name);
      if (new TextEncoder().encode(name).length >= MAX_TENSOR_NAME_BYTES) {
        throw new GgufError('invalidTensorInfo', `Tensor name ${q.slice(0, 80)}… in ${this.label} is longer than ggml's ${MAX_TENSOR_NAME_BYTES - 1} bytes.`);
      }
      if (names.has(name)) throw new GgufError('duplicateTensor', `${this.label} has two tensors named ${q}.`);
      names.add(name);
      const nDims = this.u32(`the dimension count of tensor ${q}`);
      if (nDims > MAX_TENSOR_DIMS) {
        throw new GgufError('invalidTensorInfo', `Tensor ${q} in ${this.label} has ${nDims} dimensions; ggml allows at most ${MAX_TENSOR_DIMS}.`);
      }
      const dims: bigint[] = [];
      for (let d = 0; d < nDims; d++) dims.push(this.u64(`dimension ${d} of tensor ${q}`));
      const typeId = this.u32(`the type of tensor ${q}`);
      const type = ggmlType(typeId);
      if (!type) {
        const removed = removedGgmlTypeName(typeId);
        throw new GgufError(
          'unknownGgmlType',
          removed
            ? `Tensor ${q} in ${this.label} uses ggml type ${removed} (id ${typeId}), which ggml removed; re-quantize the model with a current llama.cpp.`
            : `Tensor ${q} in ${this.label} has unknown ggml type id ${typeId}.`,
        );
      }
      const offset = this.u64(`the data offset of tensor ${q}`);
      raw.push({ name, dims, type, offset });
    }

    // The data section starts at the next multiple of the alignment (ggml pads only when there are tensors).
    const headerEnd = this.pos;
    const dataStart = tensorCount > 0 ? Math.ceil(headerEnd / alignment) * alignment : headerEnd;
    if (dataStart > fileSize) {
      throw new GgufError('truncated', `${this.label} ends (at byte ${fileSize}) before its data section (byte ${dataStart}); the file is truncated.`);
    }
    const tensors = layTensors(raw, alignment, dataStart, fileSize, this.label);
    return { version: version as 2 | 3, fileSize, alignment, dataStart, metadata, tensors };
  }

  // ── values ──

  private valueType(what: string): GgufValueType {
    const id = this.u32(what);
    const type = GGUF_VALUE_TYPES[id];
    if (type === undefined) {
      throw new GgufError('unknownValueType', `${what} in ${this.label} is ${id}, not a GGUF value type (0–12).`);
    }
    return type;
  }

  private *value(type: GgufValueType, key: string, depth: number): Generator<void, GgufValue, void> {
    switch (type) {
      case 'string':
        return this.string(`the value of ${JSON.stringify(key)}`);
      case 'array':
        return yield* this.array(key, depth + 1);
      case 'bool':
        return this.bool(key);
      case 'u64':
        return this.u64(`the value of ${JSON.stringify(key)}`);
      case 'i64':
        return this.i64(`the value of ${JSON.stringify(key)}`);
      default: {
        this.need(SCALAR_BYTES[type], `the value of ${JSON.stringify(key)}`);
        const at = this.pos - this.windowStart;
        this.pos += SCALAR_BYTES[type];
        const v = this.view;
        switch (type) {
          case 'u8':
            return v.getUint8(at);
          case 'i8':
            return v.getInt8(at);
          case 'u16':
            return v.getUint16(at, true);
          case 'i16':
            return v.getInt16(at, true);
          case 'u32':
            return v.getUint32(at, true);
          case 'i32':
            return v.getInt32(at, true);
          case 'f32':
            return v.getFloat32(at, true);
          case 'f64':
            return v.getFloat64(at, true);
        }
      }
    }
  }

  private bool(key: string): boolean {
    this.need(1, `the value of ${JSON.stringify(key)}`);
    const b = this.window[this.pos - this.windowStart];
    this.pos++;
    if (b > 1) throw new GgufError('invalidBool', `A bool in ${JSON.stringify(key)} of ${this.label} is ${b}, not 0 or 1.`);
    return b === 1;
  }

  private *array(key: string, depth: number): Generator<void, GgufArray, void> {
    const q = JSON.stringify(key);
    if (depth > MAX_ARRAY_NESTING) {
      throw new GgufError('nestingTooDeep', `${q} in ${this.label} nests arrays more than ${MAX_ARRAY_NESTING} levels deep.`);
    }
    const elementType = this.valueType(`the element type of array ${q}`);
    const n = this.count(`the length of array ${q}`, minValueBytes(elementType), `${elementType} elements`);
    switch (elementType) {
      case 'string': {
        const items: string[] = new Array(n);
        yield* sliceSteps(n, LOAD_STEP_ENTRIES, (from, to) => {
          for (let i = from; i < to; i++) items[i] = this.string(`element ${i} of ${q}`);
        });
        return { kind: 'array', elementType, items };
      }
      case 'array': {
        const items: GgufArray[] = new Array(n);
        for (let i = 0; i < n; i++) {
          items[i] = yield* this.array(key, depth + 1);
        }
        return { kind: 'array', elementType, items };
      }
      case 'bool': {
        const items: boolean[] = new Array(n);
        yield* sliceSteps(n, LOAD_STEP_ENTRIES, (from, to) => {
          for (let i = from; i < to; i++) items[i] = this.bool(key);
        });
        return { kind: 'array', elementType, items };
      }
      default: {
        const size = SCALAR_BYTES[elementType];
        const bytes = this.bytes(n * size, `array ${q}`);
        return { kind: 'array', elementType, items: numericArray(elementType, bytes, n) };
      }
    }
  }

  private string(what: string): string {
    const len = this.u64(`the length of ${what}`);
    const left = this.limit - this.pos;
    if (len > BigInt(MAX_GGUF_STRING_BYTES)) {
      throw new GgufError('stringTooLong', `${what} in ${this.label} claims ${len} bytes; strings over ${MAX_GGUF_STRING_BYTES} bytes are refused.`);
    }
    if (len > BigInt(left)) {
      throw new GgufError('truncated', `${what} in ${this.label} claims ${len} bytes but only ${left} bytes of header remain (truncated or corrupt file).`);
    }
    const n = Number(len);
    if (n > CHUNK) return this.decodeUtf8(this.bytes(n, what), what);
    this.need(n, what);
    const start = this.pos - this.windowStart;
    this.pos += n;
    // Node's UTF-8 slice is several times faster than TextDecoder for the 100k+ short strings of a vocabulary;
    // it replaces invalid bytes with U+FFFD, so only strings that contain one are checked strictly.
    const s = this.nodeBuffer.toString('utf8', start, start + n);
    return s.includes('\uFFFD') ? this.decodeUtf8(this.window.subarray(start, start + n), what) : s;
  }

  private decodeUtf8(bytes: Uint8Array, what: string): string {
    try {
      return this.utf8.decode(bytes);
    } catch {
      throw new GgufError('invalidUtf8', `${what} in ${this.label} is not valid UTF-8.`);
    }
  }

  /**
   * A u64 count whose items take at least `minItemBytes` each: refused before any allocation when the bytes
   * left in the header region could not hold that many.
   */
  private count(what: string, minItemBytes: number, items: string): number {
    const n = this.u64(what);
    const left = Math.max(0, this.limit - this.pos);
    const fit = Math.floor(left / minItemBytes);
    if (n > BigInt(fit)) {
      throw new GgufError(
        'countTooLarge',
        `${what} of ${this.label} is ${n}, but the ${left} bytes left could hold at most ${fit} ${items} (truncated or corrupt file).`,
      );
    }
    return Number(n);
  }

  // ── primitive reads ──

  private u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos - this.windowStart, true);
    this.pos += 4;
    return v;
  }

  private u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos - this.windowStart, true);
    this.pos += 8;
    return v;
  }

  private i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos - this.windowStart, true);
    this.pos += 8;
    return v;
  }

  /** A copy of the next `n` bytes (n already checked against the bytes left). */
  private bytes(n: number, what: string): Uint8Array {
    if (n <= CHUNK) {
      this.need(n, what);
      const start = this.pos - this.windowStart;
      this.pos += n;
      return this.window.slice(start, start + n);
    }
    if (this.pos + n > this.limit) this.truncated(what);
    const out = new Uint8Array(n);
    this.source.readAt(out, this.pos);
    this.pos += n;
    return out;
  }

  /** Make `[pos, pos + n)` (n ≤ CHUNK) available in the window. */
  private need(n: number, what: string): void {
    if (this.pos + n > this.limit) this.truncated(what);
    if (this.pos >= this.windowStart && this.pos + n <= this.windowStart + this.window.length) return;
    const len = Math.min(CHUNK, this.limit - this.pos);
    if (this.buffer.length < len) {
      this.buffer = new Uint8Array(len);
      this.nodeBuffer = Buffer.from(this.buffer.buffer, 0, len);
    }
    this.window = this.buffer.subarray(0, len);
    this.source.readAt(this.window, this.pos);
    this.windowStart = this.pos;
    this.view = new DataView(this.buffer.buffer, 0, len);
  }

  private truncated(what: string): never {
    if (this.limit < this.source.size) {
      throw new GgufError('headerTooLarge', `${this.label}: the header runs past ${MAX_GGUF_HEADER_BYTES} bytes while reading ${what}; refused.`);
    }
    throw new GgufError('truncated', `${this.label} ends (at byte ${this.source.size}) while reading ${what}; the file is truncated.`);
  }
}

function numericArray(type: GgufValueType, bytes: Uint8Array, n: number): GgufNumericArray {
  // `bytes` is a fresh copy starting at offset 0, so the typed views are aligned (little-endian hosts;
  // GGUF is little-endian and so is every platform VS Code runs on).
  const b = bytes.buffer;
  switch (type) {
    case 'u8':
      return new Uint8Array(b, 0, n);
    case 'i8':
      return new Int8Array(b, 0, n);
    case 'u16':
      return new Uint16Array(b, 0, n);
    case 'i16':
      return new Int16Array(b, 0, n);
    case 'u32':
      return new Uint32Array(b, 0, n);
    case 'i32':
      return new Int32Array(b, 0, n);
    case 'f32':
      return new Float32Array(b, 0, n);
    case 'u64':
      return new BigUint64Array(b, 0, n);
    case 'i64':
      return new BigInt64Array(b, 0, n);
    case 'f64':
      return new Float64Array(b, 0, n);
    default:
      throw new Error(`not a numeric type: ${type}`);
  }
}

function readAlignment(metadata: ReadonlyMap<string, GgufKv>, label: string): number {
  const kv = metadata.get('general.alignment');
  if (!kv) return DEFAULT_ALIGNMENT;
  if (kv.type !== 'u32') {
    throw new GgufError('invalidAlignment', `general.alignment in ${label} is a ${kv.type}; it must be a u32.`);
  }
  const a = kv.value as number;
  if (a === 0 || (a & (a - 1)) !== 0) {
    throw new GgufError('invalidAlignment', `general.alignment in ${label} is ${a}; it must be a power of two.`);
  }
  return a;
}

function layTensors(
  raw: readonly { name: string; dims: bigint[]; type: GgmlTypeInfo; offset: bigint }[],
  alignment: number,
  dataStart: number,
  fileSize: number,
  label: string,
): Map<string, GgufTensorInfo> {
  const dataSize = BigInt(Math.max(0, fileSize - dataStart));
  const laid: GgufTensorInfo[] = [];
  for (const t of raw) {
    const q = JSON.stringify(t.name);
    const shape = `[${t.dims.join(', ')}]`;
    // Product in BigInt: a dimension of 2^42+1 must not wrap to a small size (llama.cpp #18674).
    let elements = 1n;
    for (const d of t.dims) {
      if (d > INT64_MAX) throw new GgufError('sizeOverflow', `Tensor ${q} in ${label} has dimension ${d}, beyond int64.`);
      elements *= d;
      if (elements > INT64_MAX) throw new GgufError('sizeOverflow', `Tensor ${q} in ${label} has shape ${shape}: its element count overflows 64 bits.`);
    }
    const ne0 = t.dims.length ? t.dims[0] : 1n;
    if (ne0 % BigInt(t.type.blockSize) !== 0n) {
      throw new GgufError(
        'invalidTensorInfo',
        `Tensor ${q} in ${label} (${t.type.name}, shape ${shape}) has rows of ${ne0} values, not a multiple of the ${t.type.blockSize}-value block.`,
      );
    }
    const bytes = (elements / BigInt(t.type.blockSize)) * BigInt(t.type.blockBytes);
    if (t.offset % BigInt(alignment) !== 0n) {
      throw new GgufError('misalignedTensor', `Tensor ${q} in ${label} starts at data offset ${t.offset}, not a multiple of the alignment ${alignment}.`);
    }
    if (t.offset > dataSize || bytes > dataSize - t.offset) {
      throw new GgufError(
        'tensorBeyondFile',
        `Tensor ${q} in ${label} (${t.type.name}, shape ${shape}, ${bytes} bytes at data offset ${t.offset}) ends past the end of the file ` +
          `(${dataSize} data bytes; truncated file?).`,
      );
    }
    const dims = t.dims.map(Number);
    const offset = Number(t.offset);
    laid.push({ name: t.name, dims, type: t.type, offset, fileOffset: dataStart + offset, byteLength: Number(bytes) });
  }
  const byOffset = [...laid].sort((a, b) => a.offset - b.offset || a.byteLength - b.byteLength);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1];
    const cur = byOffset[i];
    if (cur.offset < prev.offset + prev.byteLength) {
      throw new GgufError(
        'overlappingTensors',
        `Tensors ${JSON.stringify(prev.name)} (data bytes ${prev.offset}–${prev.offset + prev.byteLength}) and ${JSON.stringify(cur.name)} ` +
          `(from ${cur.offset}) overlap in ${label}.`,
      );
    }
  }
  return new Map(laid.map((t) => [t.name, t]));
}
