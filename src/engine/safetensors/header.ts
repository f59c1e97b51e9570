/**
 * Strict safetensors header parser. The file is: u64 little-endian header length N, N bytes of UTF-8 JSON,
 * then the data section. Every rule of the reference parser (huggingface/safetensors) is checked, plus a
 * few it leaves implicit (duplicate keys, integer-only numbers), and every violation is a SafetensorsError.
 * Nothing is allocated from a size the file claims before that size has been checked.
 *
 * The JSON is read by a small schema-driven parser instead of JSON.parse because JSON.parse silently keeps
 * the last of duplicate keys, turns big integers into inexact doubles, and builds whole trees for values we
 * only need to skip. Names are kept in Maps, so `__proto__` or `constructor` are just names.
 */
import { MemoryByteSource, type ByteSource } from './byteSource';
import { DTYPE_BITS } from './dtypes';
import { SafetensorsError } from './errors';

/** The reference parser's cap; larger headers are refused before anything is allocated. */
export const MAX_HEADER_BYTES = 100_000_000;
/** serde_json's default recursion limit; only reachable inside values we skip. */
const MAX_NESTING = 128;
/** Far above any real tensor; keeps a hostile header from making us hold millions of dims. */
export const MAX_RANK = 1024;

export interface SafetensorsTensorInfo {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte offsets relative to the start of the data section, `[start, end)`. */
  readonly dataOffsets: readonly [number, number];
}

export interface SafetensorsHeader {
  /** N, the JSON header's byte length. */
  readonly headerLength: number;
  /** Absolute file offset of the data section (8 + N). */
  readonly dataStart: number;
  readonly fileSize: number;
  /** In file order (sorted by offsets). */
  readonly tensors: ReadonlyMap<string, SafetensorsTensorInfo>;
  readonly metadata: ReadonlyMap<string, string> | null;
}

export function readSafetensorsHeader(source: ByteSource, label = 'the weights file'): SafetensorsHeader {
  const fileSize = source.size;
  if (fileSize < 8) {
    throw new SafetensorsError('fileTooSmall', `${label} is ${fileSize} bytes; a safetensors file starts with an 8-byte header length.`);
  }
  const lengthBytes = new Uint8Array(8);
  source.readAt(lengthBytes, 0);
  const n = new DataView(lengthBytes.buffer).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(
      'headerTooLarge',
      `${label} claims a ${n} byte header; more than ${MAX_HEADER_BYTES} bytes is refused (is this really a .safetensors file?).`,
    );
  }
  const headerLength = Number(n);
  if (8 + headerLength > fileSize) {
    throw new SafetensorsError(
      'headerLengthBeyondFile',
      `${label} claims a ${headerLength} byte header but has only ${fileSize - 8} bytes after the length field (truncated file?).`,
    );
  }
  const headerBytes = new Uint8Array(headerLength);
  source.readAt(headerBytes, 8);
  const text = decodeHeaderText(headerBytes, label);
  const { tensors, metadata } = new HeaderJsonParser(text, label).parse();
  const dataStart = 8 + headerLength;
  const ordered = validateLayout(tensors, fileSize - dataStart, label);
  return { headerLength, dataStart, fileSize, tensors: ordered, metadata };
}

/** Parse a whole file held in memory (tests, fuzzing, tiny files). */
export function parseSafetensorsBytes(bytes: Uint8Array, label?: string): SafetensorsHeader {
  return readSafetensorsHeader(new MemoryByteSource(bytes), label);
}

function decodeHeaderText(bytes: Uint8Array, label: string): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new SafetensorsError('invalidHeaderStart', `The header of ${label} starts with a UTF-8 byte order mark; it must start with '{'.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new SafetensorsError('invalidUtf8', `The header of ${label} is not valid UTF-8.`);
  }
  if (text.length === 0 || text.charCodeAt(0) !== 0x7b /* { */) {
    throw new SafetensorsError('invalidHeaderStart', text.length === 0 ? `The header of ${label} is empty.` : `The header of ${label} must start with '{'.`);
  }
  return text;
}

/** Characters that need no attention inside a JSON string. */
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

interface RawTensor {
  name: string;
  dtype: string;
  shape: number[];
  start: number;
  end: number;
}

/** A `repeated` test for one object's keys: true for a key already seen in it. */
function repeatedKeys(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  };
}

/** Recursive-descent reader of exactly the header's JSON schema; skips (validates) unknown fields. */
class HeaderJsonParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly label: string,
  ) {}

  parse(): { tensors: RawTensor[]; metadata: Map<string, string> | null } {
    const tensors: RawTensor[] = [];
    let metadata: Map<string, string> | null = null;
    this.expect(0x7b);
    this.members(
      () => 'the header',
      repeatedKeys(),
      (key) => {
        if (key === '__metadata__') metadata = this.metadataObject();
        else tensors.push(this.tensorInfo(key));
      },
    );
    this.ws();
    if (this.i !== this.s.length) throw this.syntax('unexpected text after the header object');
    return { tensors, metadata };
  }

  private metadataObject(): Map<string, string> {
    const map = new Map<string, string>();
    if (this.peek() !== 0x7b) {
      this.skipValue(0); // a JSON syntax error is reported as such first
      throw new SafetensorsError('invalidMetadata', `__metadata__ in ${this.label} must be an object of strings.`);
    }
    this.i++;
    this.members(
      () => '__metadata__',
      (key) => map.has(key),
      (key) => {
        if (this.peek() !== 0x22) {
          this.skipValue(0);
          throw new SafetensorsError('invalidMetadata', `__metadata__ entry ${JSON.stringify(key)} in ${this.label} must be a string.`);
        }
        map.set(key, this.string());
      },
    );
    return map;
  }

  private tensorInfo(name: string): RawTensor {
    // Only error messages quote the name; a getter keeps 100k-tensor headers from paying for it.
    const self = {
      get q() {
        return JSON.stringify(name);
      },
    };
    if (this.peek() !== 0x7b) {
      this.skipValue(0);
      throw new SafetensorsError('invalidTensorInfo', `Tensor ${self.q} in ${this.label} must be an object with dtype, shape and data_offsets.`);
    }
    this.i++;
    let dtype: string | undefined;
    let shape: number[] | undefined;
    let offsets: number[] | undefined;
    // The three known fields are tracked by their variables; a Set only if there are extra fields.
    let extra: Set<string> | null = null;
    this.members(
      () => `tensor ${self.q}`,
      (key) =>
        key === 'dtype'
          ? dtype !== undefined
          : key === 'shape'
            ? shape !== undefined
            : key === 'data_offsets'
              ? offsets !== undefined
              : (extra ??= new Set()).has(key),
      (key) => {
        if (key === 'dtype') {
          if (this.peek() !== 0x22) {
            this.skipValue(0);
            throw new SafetensorsError('invalidTensorInfo', `dtype of tensor ${self.q} must be a string.`);
          }
          dtype = this.string();
        } else if (key === 'shape') {
          shape = this.integerArray('invalidShape', () => `shape of tensor ${self.q}`, MAX_RANK);
        } else if (key === 'data_offsets') {
          offsets = this.integerArray('invalidOffsets', () => `data_offsets of tensor ${self.q}`, 2);
        } else {
          extra!.add(key);
          this.skipValue(0); // unknown fields are ignored, as the reference parser does
        }
      },
    );
    if (dtype === undefined || shape === undefined || offsets === undefined) {
      const missing = [dtype === undefined && 'dtype', shape === undefined && 'shape', offsets === undefined && 'data_offsets'].filter(Boolean);
      throw new SafetensorsError('invalidTensorInfo', `Tensor ${self.q} in ${this.label} has no ${missing.join(', ')}.`);
    }
    if (!DTYPE_BITS.has(dtype!)) {
      throw new SafetensorsError('unknownDtype', `Tensor ${self.q} has unknown dtype ${JSON.stringify(dtype)}.`);
    }
    if (offsets!.length !== 2) {
      throw new SafetensorsError('invalidOffsets', `data_offsets of tensor ${self.q} must be exactly two numbers [start, end].`);
    }
    const [start, end] = offsets!;
    if (start > end) {
      throw new SafetensorsError('invalidOffsets', `data_offsets of tensor ${self.q} end (${end}) before they start (${start}).`);
    }
    return { name, dtype: dtype!, shape: shape!, start, end };
  }

  /** `[ n, n, … ]` of non-negative safe integers written without sign, fraction or exponent. */
  private integerArray(code: 'invalidShape' | 'invalidOffsets', what: () => string, maxLength: number): number[] {
    const out: number[] = [];
    if (this.peek() !== 0x5b) {
      this.skipValue(0);
      throw new SafetensorsError(code, `${what()} must be an array of non-negative integers.`);
    }
    this.i++;
    this.elements(() => {
      const raw = this.numberLexeme(code, what);
      if (!/^(0|[1-9][0-9]*)$/.test(raw)) {
        throw new SafetensorsError(code, `${what()} must contain non-negative integers only, found ${raw.slice(0, 40)}.`);
      }
      const v = raw.length > 16 ? Number.MAX_SAFE_INTEGER + 1 : Number(raw);
      if (v > Number.MAX_SAFE_INTEGER) throw new SafetensorsError(code, `${what()} contains ${raw.slice(0, 40)}, which is too large.`);
      if (out.length === maxLength) {
        throw new SafetensorsError(
          code,
          maxLength === 2 ? `${what()} must be exactly two numbers [start, end].` : `${what()} has more than ${maxLength} dimensions.`,
        );
      }
      out.push(v);
    });
    return out;
  }

  private numberLexeme(code: 'invalidShape' | 'invalidOffsets', what: () => string): string {
    const start = this.i;
    const c = this.peek();
    if (!(c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      this.skipValue(0);
      throw new SafetensorsError(code, `${what()} must contain numbers only.`);
    }
    this.skipNumber();
    return this.s.slice(start, this.i);
  }

  private skipValue(depth: number): void {
    if (depth > MAX_NESTING) throw this.syntax(`values nested deeper than ${MAX_NESTING} levels`);
    const c = this.peek();
    if (c === 0x22) {
      this.string();
    } else if (c === 0x7b) {
      this.i++;
      this.members(
        () => 'an object',
        repeatedKeys(),
        () => this.skipValue(depth + 1),
      );
    } else if (c === 0x5b) {
      this.i++;
      this.elements(() => this.skipValue(depth + 1));
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.skipNumber();
    } else if (this.s.startsWith('true', this.i)) {
      this.i += 4;
    } else if (this.s.startsWith('false', this.i)) {
      this.i += 5;
    } else if (this.s.startsWith('null', this.i)) {
      this.i += 4;
    } else {
      throw this.syntax('expected a value');
    }
  }

  /** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  private skipNumber(): void {
    const s = this.s;
    if (this.peek() === 0x2d) this.i++;
    if (this.peek() === 0x30) this.i++;
    else if (this.digits() === 0) throw this.syntax('malformed number');
    if (this.peek() === 0x2e) {
      this.i++;
      if (this.digits() === 0) throw this.syntax('malformed number');
    }
    const e = this.peek();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (this.digits() === 0) throw this.syntax('malformed number');
    }
  }

  private digits(): number {
    const from = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c < 0x30 || c > 0x39) break;
      this.i++;
    }
    return this.i - from;
  }

  private string(): string {
    if (this.peek() !== 0x22) throw this.syntax('expected a string');
    this.i++;
    const s = this.s;
    let out = '';
    let chunkStart = this.i;
    for (;;) {
      // Skip the run of plain characters natively (sticky regex), then handle the special one.
      PLAIN_RUN.lastIndex = this.i;
      PLAIN_RUN.test(s);
      this.i = PLAIN_RUN.lastIndex;
      if (this.i >= s.length) throw this.syntax('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) throw this.syntax('control character inside a string');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(chunkStart, this.i);
      const esc = s.charCodeAt(this.i + 1);
      this.i += 2;
      switch (esc) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const hi = this.hex4();
          if (hi >= 0xd800 && hi <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate (serde_json rejects lone ones too).
            if (s.charCodeAt(this.i) !== 0x5c || s.charCodeAt(this.i + 1) !== 0x75) throw this.syntax('lone surrogate in \\u escape');
            this.i += 2;
            const lo = this.hex4();
            if (lo < 0xdc00 || lo > 0xdfff) throw this.syntax('lone surrogate in \\u escape');
            out += String.fromCharCode(hi, lo);
          } else if (hi >= 0xdc00 && hi <= 0xdfff) {
            throw this.syntax('lone surrogate in \\u escape');
          } else {
            out += String.fromCharCode(hi);
          }
          break;
        }
        default:
          this.i -= 1;
          throw this.syntax('invalid escape in a string');
      }
      chunkStart = this.i;
    }
  }

  private hex4(): number {
    const h = this.s.slice(this.i, this.i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) throw this.syntax('invalid \\u escape');
    this.i += 4;
    return parseInt(h, 16);
  }

  /**
   * The members of an object whose `{` was just read, through its `}`: `value(key)` reads each value. A key for
   * which `repeated(key)` holds is refused as a duplicate in `where()` before its value is read.
   */
  private members(where: () => string, repeated: (key: string) => boolean, value: (key: string) => void): void {
    this.ws();
    if (this.eat(0x7d)) return;
    for (;;) {
      this.ws();
      const keyAt = this.i;
      const key = this.string();
      if (repeated(key)) throw this.duplicate(key, where(), keyAt);
      this.ws();
      this.expect(0x3a);
      this.ws();
      value(key);
      this.ws();
      if (this.eat(0x2c)) continue;
      this.expect(0x7d);
      return;
    }
  }

  /** The elements of an array whose `[` was just read, through its `]`: `each()` reads one. */
  private elements(each: () => void): void {
    this.ws();
    if (this.eat(0x5d)) return;
    for (;;) {
      this.ws();
      each();
      this.ws();
      if (this.eat(0x2c)) continue;
      this.expect(0x5d);
      return;
    }
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  private peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  private eat(c: number): boolean {
    if (this.peek() !== c) return false;
    this.i++;
    return true;
  }

  private expect(c: number): void {
    if (!this.eat(c)) throw this.syntax(`expected '${String.fromCharCode(c)}'`);
  }

  private syntax(what: string): SafetensorsError {
    const at = this.i >= this.s.length ? 'at the end of the header' : `at character ${this.i} of the header`;
    return new SafetensorsError('invalidJson', `The header of ${this.label} is not valid JSON: ${what} ${at}.`);
  }

  private duplicate(key: string, where: string, at: number): SafetensorsError {
    return new SafetensorsError(
      'duplicateKey',
      `The header of ${this.label} names ${JSON.stringify(key)} twice in ${where} (character ${at}); a JSON reader would silently keep only one.`,
    );
  }
}

/**
 * The data section must be tiled exactly: sorted by offsets, tensors start at 0, follow each other with no
 * gap or overlap, each spans exactly product(shape) × dtype size bytes, and the last ends at the end of the file.
 */
function validateLayout(tensors: RawTensor[], dataSize: number, label: string): Map<string, SafetensorsTensorInfo> {
  const sorted = [...tensors].sort((a, b) => a.start - b.start || a.end - b.end);
  const out = new Map<string, SafetensorsTensorInfo>();
  let expected = 0;
  for (const t of sorted) {
    if (t.start !== expected) {
      throw new SafetensorsError(
        'offsetsNotContiguous',
        t.start > expected
          ? `Tensor ${JSON.stringify(t.name)} starts at data byte ${t.start}, leaving a gap after byte ${expected}; tensors must be packed back to back.`
          : `Tensor ${JSON.stringify(t.name)} starts at data byte ${t.start}, overlapping the previous tensor which ends at ${expected}.`,
      );
    }
    const nbytes = tensorBytes(t);
    if (nbytes !== t.end - t.start) {
      throw new SafetensorsError(
        'tensorSizeMismatch',
        `Tensor ${JSON.stringify(t.name)} (${t.dtype}, shape [${t.shape}]) needs ${nbytes} bytes but its data_offsets span ${t.end - t.start}.`,
      );
    }
    expected = t.end;
    out.set(t.name, { name: t.name, dtype: t.dtype, shape: t.shape, dataOffsets: [t.start, t.end] });
  }
  if (expected !== dataSize) {
    throw new SafetensorsError(
      'dataSizeMismatch',
      `The tensors of ${label} cover ${expected} data bytes but the file has ${dataSize} (truncated or padded file?).`,
    );
  }
  return out;
}

/**
 * product(shape) × bits / 8, exactly. Doubles are exact while every partial product stays ≤ 2^53 (dims are
 * non-negative, so partial products only grow until a 0); beyond that BigInt takes over, so nothing wraps.
 */
function tensorBytes(t: RawTensor): number {
  const bits = DTYPE_BITS.get(t.dtype)!;
  let fast = bits;
  for (const d of t.shape) fast *= d;
  let totalBits: bigint;
  if (fast <= Number.MAX_SAFE_INTEGER) {
    if (fast % 8 === 0) return fast / 8;
    totalBits = BigInt(fast);
  } else {
    totalBits = BigInt(bits);
    for (const d of t.shape) totalBits *= BigInt(d);
  }
  if (totalBits % 8n !== 0n) {
    throw new SafetensorsError('misalignedTensor', `Tensor ${JSON.stringify(t.name)} (${t.dtype}, shape [${t.shape}]) does not fill whole bytes.`);
  }
  const nbytes = totalBits / 8n;
  if (nbytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SafetensorsError(
      'sizeOverflow',
      `Tensor ${JSON.stringify(t.name)} (${t.dtype}, shape [${t.shape}]) would be ${nbytes} bytes, far beyond any file.`,
    );
  }
  return Number(nbytes);
}
