/**
 * Reading tokenizer.json without a JS object per vocabulary entry or merge. `JSON.parse` of Llama 3's 9 MB file
 * builds a 128k-key object and 280k merge strings, which the BPE model then looks up one string at a time to
 * make its Map and pair table: most of the time and memory of loading a tokenizer. Here the UTF-8 bytes are
 * scanned once:
 * - `model.vocab` becomes a `PreparedVocab`: all token strings come from ONE decode of the keys joined by
 *   newlines (a raw JSON string never holds a newline byte) and one `split`; a hash table over the keys' UTF-8
 *   bytes finds a token by a byte range of the file, without making a string.
 * - `model.merges` becomes a `PreparedMerges`: each merge's left, right and merged token numbers, resolved by
 *   hashing byte ranges of the file ("a b" → a, b and a+b).
 * - the rest of the file (normalizer, pre-tokenizer, added tokens…: a few KB) goes through `JSON.parse`.
 *
 * The scanner takes only the common, well-formed shape. Anything else — a syntax error, numbers that are not
 * plain integers, duplicate keys, a merge naming an unknown token, `#version` lines — makes it give up, and the
 * caller parses the whole text with `JSON.parse` as before: same object, same errors, same ids.
 *
 * The scan runs in steps (`parseTokenizerJsonSteps`): it pauses after every LOAD_STEP_ENTRIES vocabulary entries or
 * merges, so the engine worker can answer other requests and notice a cancel while a 33 MB file loads.
 */
import { decodeUtf8 } from '#engine-files';
import { runSteps, sliceSteps } from '../steps';

/** `model.vocab` as the models keep it: token strings and file ids by internal number (file order), and the reverse map. */
export class PreparedVocab {
  constructor(
    readonly tokens: string[],
    readonly ids: Int32Array,
    readonly index: Map<string, number>,
  ) {}

  /** The plain `{token: id}` object, for code that wants parsed tokenizer.json. */
  toJSON(): Record<string, number> {
    const o = Object.create(null) as Record<string, number>;
    for (let i = 0; i < this.tokens.length; i++) o[this.tokens[i]!] = this.ids[i]!;
    return o;
  }
}

/** `model.merges` resolved against a PreparedVocab's internal numbers: merge i joins left[i] and right[i] into result[i]. */
export class PreparedMerges {
  constructor(
    readonly vocab: PreparedVocab,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly result: Int32Array,
    /** Whether the file spells merges `["a", "b"]` rather than `"a b"`. */
    readonly arrays: boolean,
  ) {}

  get length(): number {
    return this.left.length;
  }

  /** The merges as the file spells them, for code that wants parsed tokenizer.json. */
  toJSON(): (string | [string, string])[] {
    const t = this.vocab.tokens;
    return Array.from(this.left, (a, i): string | [string, string] => (this.arrays ? [t[a]!, t[this.right[i]!]!] : `${t[a]} ${t[this.right[i]!]}`));
  }
}

/**
 * Entries (vocabulary keys, merges, table slots) handled between two pauses of a stepped load: well under a
 * millisecond each, so the worker's ~8 ms slices stay near their length.
 */
export const LOAD_STEP_ENTRIES = 8192;

/** Largest id taken by the fast path (larger ones go through JSON.parse and the model's own checks). */
const MAX_FAST_ID = 0x7fffffff;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Thrown inside the scanner to give up; never escapes this module. */
class GiveUp extends Error {}
const giveUp = new GiveUp();

const utf8Encoder = new TextEncoder();

function isWs(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === 0x0d || c === 0x09;
}

/** Growable Int32 list. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Token numbers by the UTF-8 bytes of their strings (open addressing, FNV-1a over bytes). Key t is
 * `keys[starts[t], ends[t])`, so a lookup by a byte range of the file makes no string.
 */
class ByteKeyIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private constructor(
    private readonly keys: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
  ) {
    let cap = 16;
    while (cap < starts.length * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The index over keys t = `keys[starts[t], ends[t])`, built in steps; gives up on a duplicate key. */
  static *build(keys: Uint8Array, starts: Int32Array, ends: Int32Array): Generator<void, ByteKeyIndex, void> {
    const index = new ByteKeyIndex(keys, starts, ends);
    yield* sliceSteps(starts.length, LOAD_STEP_ENTRIES, (from, to) => index.insert(from, to));
    return index;
  }

  private insert(from: number, to: number): void {
    const { keys, starts, ends, slots, mask } = this;
    for (let t = from; t < to; t++) {
      const s = starts[t]!;
      const e = ends[t]!;
      let p = hashBytes(keys, s, e, FNV_OFFSET) & mask;
      for (;;) {
        const q = slots[p]!;
        if (q < 0) break;
        if (this.equals(q, keys, s, e, keys, e, e)) throw giveUp; // duplicate key: JSON.parse keeps the last
        p = (p + 1) & mask;
      }
      slots[p] = t;
    }
  }

  /** The token whose bytes are `a[as, ae) ++ b[bs, be)`, or −1. */
  find(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
    let p = hashBytes(b, bs, be, hashBytes(a, as, ae, FNV_OFFSET)) & this.mask;
    for (;;) {
      const q = this.slots[p]!;
      if (q < 0) return -1;
      if (this.equals(q, a, as, ae, b, bs, be)) return q;
      p = (p + 1) & this.mask;
    }
  }

  private equals(t: number, a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
    const keys = this.keys;
    let k = this.starts[t]!;
    if (this.ends[t]! - k !== ae - as + (be - bs)) return false;
    for (let i = as; i < ae; i++) if (keys[k++] !== a[i]) return false;
    for (let i = bs; i < be; i++) if (keys[k++] !== b[i]) return false;
    return true;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
function hashBytes(bytes: Uint8Array, start: number, end: number, h: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Raw `model.vocab` entries: key t lies at `[starts[t], ends[t])` of the file, `escaped[t]` if it has escapes. */
interface VocabEntries {
  starts: Int32Array;
  ends: Int32Array;
  escaped: Uint8Array;
  ids: Int32Array;
}

class Scanner {
  i = 0;
  constructor(readonly b: Uint8Array) {}

  ws(): void {
    const b = this.b;
    let i = this.i;
    while (i < b.length && isWs(b[i]!)) i++;
    this.i = i;
  }

  expect(c: number): void {
    if (this.b[this.i] !== c) throw giveUp;
    this.i++;
  }

  /** Where the last `rawString` lay between its quotes, and whether it has escapes. */
  start = 0;
  end = 0;
  escaped = false;

  /** Reads the JSON string at `i` (a quote) into start/end/escaped, without decoding it. */
  rawString(): void {
    const b = this.b;
    if (b[this.i] !== QUOTE) throw giveUp;
    const start = this.i + 1;
    let i = start;
    let escaped = false;
    for (;;) {
      if (i >= b.length) throw giveUp;
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      } else if (c < 0x20) throw giveUp;
      i++;
    }
    this.i = i + 1;
    this.start = start;
    this.end = i;
    this.escaped = escaped;
  }

  /** The JSON string at `i` as a JS string (keys of small objects). */
  string(): string {
    this.rawString();
    return decodeRaw(this.b, this.start, this.end, this.escaped);
  }

  /** A plain non-negative integer (no sign, fraction, exponent or leading zero). */
  integer(): number {
    const b = this.b;
    let i = this.i;
    let c = b[i]!;
    if (!(c >= 0x30 && c <= 0x39)) throw giveUp;
    let value = c - 0x30;
    c = b[++i]!;
    if (value === 0 && c >= 0x30 && c <= 0x39) throw giveUp;
    while (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      if (value > MAX_FAST_ID) throw giveUp;
      c = b[++i]!;
    }
    if (c === 0x2e || c === 0x65 || c === 0x45) throw giveUp;
    this.i = i;
    return value;
  }

  /** Skips any JSON value without building it (JSON.parse of the rest checks what is skipped). */
  skipValue(): void {
    const b = this.b;
    const c = b[this.i];
    if (c === QUOTE) {
      this.rawString();
      return;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0;
      for (;;) {
        if (this.i >= b.length) throw giveUp;
        const d = b[this.i]!;
        if (d === QUOTE) {
          this.rawString();
          continue;
        }
        this.i++;
        if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
        else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return;
      }
    }
    const start = this.i;
    while (this.i < b.length) {
      const d = b[this.i]!;
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isWs(d)) break;
      this.i++;
    }
    if (this.i === start) throw giveUp;
  }

  /** Enters the object at `i`; true when it is empty (then it is consumed whole). */
  openObject(): boolean {
    this.expect(OPEN_BRACE);
    this.ws();
    if (this.b[this.i] !== CLOSE_BRACE) return false;
    this.i++;
    return true;
  }

  /** The next member's key, leaving `i` at its value. */
  memberKey(): string {
    this.ws();
    const key = this.string();
    this.ws();
    this.expect(COLON);
    this.ws();
    return key;
  }

  /** After a member's value: true at the object's end, false before the next member. */
  closeMember(): boolean {
    this.ws();
    const c = this.b[this.i++];
    if (c === CLOSE_BRACE) return true;
    if (c !== COMMA) throw giveUp;
    return false;
  }

  /** `{"token": id, …}` → raw key ranges and ids, in steps. */
  *vocabEntries(): Generator<void, VocabEntries, void> {
    const guess = this.b.length >> 5;
    const e: VocabLists = { starts: new IntList(guess), ends: new IntList(guess), ids: new IntList(guess), escaped: [] };
    if (!this.openObject()) while (!this.vocabSlice(e)) yield;
    const flags = new Uint8Array(e.starts.length);
    for (const k of e.escaped) flags[k] = 1;
    return { starts: e.starts.toArray(), ends: e.ends.toArray(), escaped: flags, ids: e.ids.toArray() };
  }

  /** Up to LOAD_STEP_ENTRIES vocabulary entries; true once the object's end is read. */
  private vocabSlice(e: VocabLists): boolean {
    const b = this.b;
    for (let k = 0; k < LOAD_STEP_ENTRIES; k++) {
      this.ws();
      this.rawString();
      if (this.escaped) e.escaped.push(e.starts.length);
      e.starts.push(this.start);
      e.ends.push(this.end);
      this.ws();
      this.expect(COLON);
      this.ws();
      e.ids.push(this.integer());
      this.ws();
      const c = b[this.i++];
      if (c === CLOSE_BRACE) return true;
      if (c !== COMMA) throw giveUp;
    }
    return false;
  }
}

/** VocabEntries while they are read. */
interface VocabLists {
  starts: IntList;
  ends: IntList;
  ids: IntList;
  escaped: number[];
}

/** A raw JSON string's bytes as a JS string. */
function decodeRaw(b: Uint8Array, start: number, end: number, escaped: boolean): string {
  const s = decodeUtf8(b.subarray(start, end));
  if (!escaped) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    throw giveUp;
  }
}

/** Bytes of joined vocabulary keys decoded at once (cut at a newline, so never inside a character). */
const DECODE_CHUNK_BYTES = 1 << 17;

/** Vocabulary from raw key ranges: strings by a few decodes + splits, the byte index over the keys' UTF-8. */
function* buildVocab(b: Uint8Array, e: VocabEntries): Generator<void, { vocab: PreparedVocab; keyIndex: ByteKeyIndex }, void> {
  const count = e.ids.length;
  let rawBytes = 0;
  for (let t = 0; t < count; t++) rawBytes += e.ends[t]! - e.starts[t]! + 1;
  const joined = new Uint8Array(rawBytes);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let at = 0;
  yield* sliceSteps(count, LOAD_STEP_ENTRIES, (from, to) => {
    let p = at; // a local in the loop, not the closure's variable
    for (let t = from; t < to; t++) {
      starts[t] = p;
      for (let k = e.starts[t]!, end = e.ends[t]!; k < end; k++) joined[p++] = b[k]!;
      ends[t] = p;
      joined[p++] = NEWLINE;
    }
    at = p;
  });
  const tokens: string[] = [];
  for (let from = 0; from < rawBytes;) {
    yield;
    let to = Math.min(rawBytes, from + DECODE_CHUNK_BYTES);
    while (joined[to - 1] !== NEWLINE) to++; // the last byte is a newline
    for (const token of decodeUtf8(joined.subarray(from, to - 1)).split('\n')) tokens.push(token);
    from = to;
  }
  if (tokens.length !== count) throw giveUp;
  let keys = joined;
  // Keys with escapes: decode them, and index their real UTF-8 (kept after the joined keys), not the escape text.
  const escapedCount = e.escaped.reduce((n, f) => n + f, 0);
  if (escapedCount > 0) {
    const extra: Uint8Array[] = [];
    let total = rawBytes;
    for (let t = 0; t < count; t++) {
      if (e.escaped[t] !== 1) continue;
      try {
        tokens[t] = JSON.parse(`"${tokens[t]}"`) as string;
      } catch {
        throw giveUp;
      }
      const bytes = utf8Encoder.encode(tokens[t]);
      extra.push(bytes);
      starts[t] = total;
      total += bytes.length;
      ends[t] = total;
      if (extra.length % LOAD_STEP_ENTRIES === 0) yield;
    }
    keys = new Uint8Array(total);
    keys.set(joined);
    let k = rawBytes;
    for (const bytes of extra) {
      keys.set(bytes, k);
      k += bytes.length;
    }
  }
  const keyIndex = yield* ByteKeyIndex.build(keys, starts, ends);
  const index = new Map<string, number>();
  yield* sliceSteps(count, LOAD_STEP_ENTRIES, (from, to) => {
    for (let t = from; t < to; t++) index.set(tokens[t]!, t);
  });
  // Distinct bytes that decode to one string (invalid UTF-8 becomes U+FFFD): leave the file to JSON.parse.
  if (index.size !== count) throw giveUp;
  return { vocab: new PreparedVocab(tokens, e.ids, index), keyIndex };
}

/** `model.merges` (all `"a b"` or all `["a", "b"]`) resolved through the byte index, in steps; gives up on anything unknown. */
function* scanMerges(s: Scanner, vocab: PreparedVocab, keyIndex: ByteKeyIndex): Generator<void, PreparedMerges, void> {
  const reader = new MergesReader(s, keyIndex);
  s.expect(OPEN_BRACKET);
  s.ws();
  if (s.b[s.i] === CLOSE_BRACKET) s.i++;
  else while (!reader.slice()) yield;
  return new PreparedMerges(vocab, reader.left.toArray(), reader.right.toArray(), reader.result.toArray(), reader.arrays === true);
}

/** The merges read so far. */
class MergesReader {
  readonly left: IntList;
  readonly right: IntList;
  readonly result: IntList;
  /** Whether the merges are spelled `["a", "b"]` (null before the first). */
  arrays: boolean | null = null;

  constructor(
    private readonly s: Scanner,
    private readonly keyIndex: ByteKeyIndex,
  ) {
    const guess = s.b.length >> 5;
    this.left = new IntList(guess);
    this.right = new IntList(guess);
    this.result = new IntList(guess);
  }

  /** Up to LOAD_STEP_ENTRIES merges; true once the array's end is read. */
  slice(): boolean {
    const s = this.s;
    const b = s.b;
    for (let n = 0; n < LOAD_STEP_ENTRIES; n++) {
      s.ws();
      const isString = b[s.i] === QUOTE;
      if (this.arrays === isString) throw giveUp; // both spellings in one file: leave it to JSON.parse
      this.arrays = !isString;
      if (isString) {
        s.rawString();
        let src = b;
        let start = s.start;
        let end = s.end;
        if (s.escaped) {
          src = utf8Encoder.encode(decodeRaw(b, start, end, true));
          start = 0;
          end = src.length;
        }
        let sp = -1;
        for (let k = start; k < end; k++) {
          if (src[k] === SPACE) {
            if (sp >= 0) throw giveUp;
            sp = k;
          }
        }
        if (sp < 0) throw giveUp;
        this.add(src, start, sp, src, sp + 1, end);
      } else {
        s.expect(OPEN_BRACKET);
        s.ws();
        s.rawString();
        const a = s.escaped ? utf8Encoder.encode(decodeRaw(b, s.start, s.end, true)) : b;
        const as = s.escaped ? 0 : s.start;
        const ae = s.escaped ? a.length : s.end;
        s.ws();
        s.expect(COMMA);
        s.ws();
        s.rawString();
        const c = s.escaped ? utf8Encoder.encode(decodeRaw(b, s.start, s.end, true)) : b;
        this.add(a, as, ae, c, s.escaped ? 0 : s.start, s.escaped ? c.length : s.end);
        s.ws();
        s.expect(CLOSE_BRACKET);
      }
      s.ws();
      const d = b[s.i++];
      if (d === CLOSE_BRACKET) return true;
      if (d !== COMMA) throw giveUp;
    }
    return false;
  }

  /** The merge of `a[as, ae)` and `c[cs, ce)`. */
  private add(a: Uint8Array, as: number, ae: number, c: Uint8Array, cs: number, ce: number): void {
    const keyIndex = this.keyIndex;
    const ta = keyIndex.find(a, as, ae, a, ae, ae);
    const tb = keyIndex.find(c, cs, ce, c, ce, ce);
    const tn = keyIndex.find(a, as, ae, c, cs, ce);
    if (ta < 0 || tb < 0 || tn < 0) throw giveUp;
    this.left.push(ta);
    this.right.push(tb);
    this.result.push(tn);
  }
}

interface Span {
  start: number;
  end: number;
  empty: string;
}

/**
 * Parses tokenizer.json bytes (UTF-8) in steps. With the usual layout, `model.vocab` is a PreparedVocab and
 * `model.merges` a PreparedMerges; otherwise (or on any doubt) this is exactly `JSON.parse` of the text, errors
 * included (that fallback is one native call: it cannot pause).
 */
export function* parseTokenizerJsonSteps(bytes: Uint8Array): Generator<void, unknown, void> {
  // A plain Uint8Array view: Node's Buffer#subarray is much slower than the typed array one.
  const lean = yield* leanParse(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (lean !== null) return lean;
  yield;
  return JSON.parse(decodeUtf8(bytes));
}

/** `parseTokenizerJsonSteps` without pauses. */
export function parseTokenizerJsonBytes(bytes: Uint8Array): unknown {
  return runSteps(parseTokenizerJsonSteps(bytes));
}

/** The same for text already decoded (tests, callers that have a string). */
export function parseTokenizerJsonText(text: string): unknown {
  return parseTokenizerJsonBytes(utf8Encoder.encode(text));
}

/** The lean read, or null to leave the file to JSON.parse. */
function* leanParse(bytes: Uint8Array): Generator<void, unknown, void> {
  const s = new Scanner(bytes);
  let vocab: PreparedVocab | null = null;
  let merges: PreparedMerges | null = null;
  const cut: Span[] = [];
  try {
    const seenTop = new Set<string>();
    s.ws();
    if (!s.openObject()) {
      do {
        const key = s.memberKey();
        if (seenTop.has(key)) throw giveUp;
        seenTop.add(key);
        if (key !== 'model' || bytes[s.i] !== OPEN_BRACE) {
          s.skipValue();
          continue;
        }
        const seenModel = new Set<string>();
        let keyIndex: ByteKeyIndex | null = null;
        if (s.openObject()) continue;
        do {
          const modelKey = s.memberKey();
          if (seenModel.has(modelKey)) throw giveUp;
          seenModel.add(modelKey);
          const start = s.i;
          const c = bytes[start];
          if (modelKey === 'vocab' && c === OPEN_BRACE) {
            const built = yield* buildVocab(bytes, yield* s.vocabEntries());
            vocab = built.vocab;
            keyIndex = built.keyIndex;
            cut.push({ start, end: s.i, empty: '{}' });
          } else if (modelKey === 'merges' && c === OPEN_BRACKET && vocab !== null && keyIndex !== null) {
            merges = yield* scanMerges(s, vocab, keyIndex);
            cut.push({ start, end: s.i, empty: '[]' });
          } else {
            // merges before vocab (never seen in practice) are left to JSON.parse
            if (modelKey === 'merges') throw giveUp;
            s.skipValue();
          }
        } while (!s.closeMember());
      } while (!s.closeMember());
    }
    s.ws();
    if (s.i !== bytes.length || vocab === null) return null;
  } catch (e) {
    if (e instanceof GiveUp) return null;
    throw e;
  }
  yield;
  // The rest of the file, with the two big values replaced by empty ones, parsed as usual.
  let rest = '';
  let at = 0;
  for (const span of cut) {
    rest += decodeUtf8(bytes.subarray(at, span.start)) + span.empty;
    at = span.end;
  }
  rest += decodeUtf8(bytes.subarray(at));
  let root: { model?: { vocab?: unknown; merges?: unknown } };
  try {
    root = JSON.parse(rest) as typeof root;
  } catch {
    return null;
  }
  root.model!.vocab = vocab;
  if (merges !== null) root.model!.merges = merges;
  return root;
}
