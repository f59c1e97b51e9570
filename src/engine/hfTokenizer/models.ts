/**
 * The tokenizer.json models: BPE (Rust tokenizers' `models/bpe`, merge order reproduced exactly) and
 * WordPiece (`models/wordpiece`). A model turns one word (a pre-tokenized piece; for byte-level models its
 * UTF-8 bytes in the ByteLevel alphabet) into tokens, each covering word units [w0, w1).
 *
 * Ids: the file's ids are kept in `ids`; internally tokens are numbered densely in file order so that a
 * pair of tokens fits one JS number as a map key.
 */
import { arr, bool, type Json, obj, optStr, str } from './configReaders';
import { invalid, unsupported } from './errors';
import { runSteps, sliceSteps } from '../steps';
import { LOAD_STEP_ENTRIES, PreparedMerges, PreparedVocab } from './leanJson';
import { PairTable } from './pairTable';
import { WordMerge } from './wordMerge';

/** Largest id accepted (ids are u32 in Rust; we keep them in Int32 spans and Uint32 ids). */
export const MAX_TOKEN_ID = 0x7fffffff;
/** Merge ranks fit WordMerge's heap keys (rank × 2^32 + position) exactly. */
const MAX_MERGES = 1 << 21;
/** Words longer than this are cut where no merge can join the two sides (see BpeModel.tokenize). */
const CUT_ABOVE = 64;
const SEGMENT_CACHE_MAX = 64;
const SEGMENT_CACHE_ENTRIES = 100_000;
/**
 * Longest word `tokenize` merges whole while the junction pairs are not computed yet (longer ones compute them
 * first, in one go). Encoding prepares them in steps first (`prepareSteps`), so this is for direct callers.
 */
const JUNCTIONS_ABOVE = 65_536;
/** `cutSegments` without a limit on segments: every one is merged there. */
const NO_LONG_SEGMENT = new Int32Array(2);
const utf8Encoder = new TextEncoder();

/** Tokens produced for one word: internal token numbers and word-unit ranges. */
export class TokenSink {
  tok = new Int32Array(64);
  w0 = new Int32Array(64);
  w1 = new Int32Array(64);
  n = 0;
  push(t: number, a: number, b: number): void {
    if (this.n === this.tok.length) {
      const grow = (x: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.tok = grow(this.tok);
      this.w0 = grow(this.w0);
      this.w1 = grow(this.w1);
    }
    this.tok[this.n] = t;
    this.w0[this.n] = a;
    this.w1[this.n] = b;
    this.n++;
  }
}

export interface Model {
  readonly type: 'BPE' | 'WordPiece';
  /** File id of each internal token number. */
  readonly ids: Int32Array;
  /** Token string of each internal token number. */
  readonly tokens: string[];
  /** Internal number of a token string, if it is in the model's vocabulary. */
  lookup(token: string): number | undefined;
  /** Appends the tokens of `word` to `out` (positions relative to the word). */
  tokenize(word: string, out: TokenSink): void;
  /**
   * Work done once, before the first long word, in steps (optional; BPE: the junction pairs that let long words be
   * cut). Encoding runs it first; `tokenize` works without it, only slower on long words.
   */
  prepareSteps?(): Generator<void, void, void>;
  /** The same in steps that pause after about `stepUnits` units of a long word (optional; identical result). */
  tokenizeSteps?(word: string, out: TokenSink, stepUnits: number): Generator<void, void, void>;
  /** Model-specific display of a token string (e.g. WordPiece's ## prefix), undefined when unknown. */
  readonly byteFallback: boolean;
  readonly continuingSubwordPrefix: string | null;
}

interface Vocab {
  tokens: string[];
  ids: Int32Array;
  index: Map<string, number>;
}

/** Parses `model.vocab` (token → id) in steps, with the checks Rust leaves to chance: ids in range, no duplicates. */
function* readVocab(v: unknown, where: string): Generator<void, Vocab, void> {
  // Read by the lean tokenizer.json scanner: keys unique, ids plain integers ≤ MAX_TOKEN_ID.
  if (v instanceof PreparedVocab) {
    yield* checkUniqueIds(v.ids, v.tokens, where);
    return v;
  }
  const o = obj(v, where);
  const keys = Object.keys(o);
  const ids = new Int32Array(keys.length);
  const index = new Map<string, number>();
  yield* sliceSteps(keys.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let i = from; i < to; i++) {
      const id = o[keys[i]];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_TOKEN_ID) {
        throw invalid(`${where}[${JSON.stringify(keys[i])}] = ${JSON.stringify(id)}: ids must be integers from 0 to ${MAX_TOKEN_ID}`);
      }
      ids[i] = id;
      index.set(keys[i], i);
    }
  });
  yield* checkUniqueIds(ids, keys, where);
  return { tokens: keys, ids, index };
}

/** Duplicate ids, through a hash set of ids filled in steps; names the culprits only when found. */
function* checkUniqueIds(ids: Int32Array, keys: string[], where: string): Generator<void, void, void> {
  let cap = 16;
  while (cap < ids.length * 2) cap *= 2;
  const mask = cap - 1;
  const seen = new Int32Array(cap).fill(-1);
  yield* sliceSteps(ids.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let i = from; i < to; i++) {
      const id = ids[i];
      let p = Math.imul(id, 0x9e3779b1) & mask;
      while (seen[p] !== -1) {
        if (seen[p] === id) {
          const clash = keys.filter((_, k) => ids[k] === id);
          throw invalid(`${where}: id ${id} is given to both ${JSON.stringify(clash[0])} and ${JSON.stringify(clash[1])}`);
        }
        p = (p + 1) & mask;
      }
      seen[p] = id;
    }
  });
}

/** Builds the model of `tokenizer.json`'s `model` in steps (pausing every few thousand entries of a big vocabulary). */
export function* createModelSteps(v: unknown): Generator<void, Model, void> {
  const o = obj(v, 'model');
  const type =
    o.type === undefined
      ? o.merges !== undefined
        ? 'BPE'
        : o.vocab !== undefined && Array.isArray(o.vocab)
          ? 'Unigram'
          : 'WordPiece'
      : str(o.type, 'model.type');
  if (type === 'BPE') return yield* BpeModel.build(o);
  if (type === 'WordPiece') return new WordPieceModel(o, yield* readVocab(o.vocab, 'model.vocab'));
  throw unsupported(`model type "${type}" is not supported (supported: BPE, WordPiece)`);
}

class BpeModel implements Model {
  readonly type = 'BPE' as const;
  readonly ids: Int32Array;
  readonly tokens: string[];
  readonly byteFallback: boolean;
  readonly continuingSubwordPrefix: string | null;
  private readonly index: Map<string, number>;
  private readonly endOfWordSuffix: string | null;
  private readonly unk: number | undefined;
  private readonly fuseUnk: boolean;
  private readonly ignoreMerges: boolean;
  /** (left, right) → merge rank (its index in the file; a repeated pair keeps the last). Set by `readMerges`. */
  private merges!: PairTable;
  /** Internal token number made by merge `rank`. Set by `readMerges`. */
  private mergeResult!: Int32Array;
  /** Byte-fallback token of each byte value (-1: missing). */
  private readonly byteTokens = new Int32Array(256).fill(-1);
  /** Single-character token of a code point (−1 unknown), filled on demand. */
  private readonly charToken = new Map<number, number>();
  /**
   * Pairs of adjacent characters (a × 0x110000 + b) that some merge joins (last char of its left part,
   * first of its right). Between two known characters whose pair is not here, no token ever forms, so a
   * long word can be cut there and each side merged alone with the same result. Null: cutting is off
   * (prefix/suffix models, or merges that involve byte-fallback or unknown tokens). Undefined until
   * `findJunctions` runs (~0.1 s for Gemma 3's 514k merges): in steps at the first encode (`prepareSteps`), not at
   * load. Cutting only saves time, so a word merged whole before that gets the same tokens.
   */
  private junctions: PairTable | null | undefined;
  private readonly segmentCache = new Map<string, Int32Array>();
  /** The merge of words merged in one go (a stepped merge has a WordMerge of its own). Set by `readMerges`. */
  private shared!: WordMerge;
  private scratch = new TokenSink();

  /** Reads the vocabulary, merges and junction pairs in steps. */
  static *build(o: Json): Generator<void, BpeModel, void> {
    const model = new BpeModel(o, yield* readVocab(o.vocab, 'model.vocab'));
    yield* model.readMerges(o.merges, o.vocab);
    model.shared = new WordMerge(model.merges, model.mergeResult);
    return model;
  }

  private constructor(o: Json, vocab: Vocab) {
    this.tokens = vocab.tokens;
    this.ids = vocab.ids;
    this.index = vocab.index;
    if (o.dropout !== undefined && o.dropout !== null && o.dropout !== 0) {
      throw unsupported(`model.dropout = ${JSON.stringify(o.dropout)} (random merges) is not supported; tokenization would not be reproducible`);
    }
    this.byteFallback = bool(o.byte_fallback, 'model.byte_fallback', false);
    this.fuseUnk = bool(o.fuse_unk, 'model.fuse_unk', false);
    this.ignoreMerges = bool(o.ignore_merges, 'model.ignore_merges', false);
    // An empty prefix or suffix (GPT-2's and Qwen's files spell them "") changes no token: the same as none.
    this.continuingSubwordPrefix = optStr(o.continuing_subword_prefix, 'model.continuing_subword_prefix') || null;
    this.endOfWordSuffix = optStr(o.end_of_word_suffix, 'model.end_of_word_suffix') || null;
    const unkToken = optStr(o.unk_token, 'model.unk_token');
    if (unkToken !== null) {
      this.unk = this.index.get(unkToken);
      // Rust fails only when an unknown character shows up; failing at load is clearer.
      if (this.unk === undefined) throw invalid(`model.unk_token ${JSON.stringify(unkToken)} is not in model.vocab`);
    }
    for (let b = 0; b < 256; b++) {
      const t = this.index.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      if (t !== undefined) this.byteTokens[b] = t;
    }
  }

  /** `model.merges` into the pair table, in steps (`vocab`: the `model.vocab` value the merges were read against). */
  private *readMerges(v: unknown, vocab: unknown): Generator<void, void, void> {
    // Resolved by the lean tokenizer.json scanner against this vocabulary (a + b, so not with a subword prefix).
    if (v instanceof PreparedMerges && v.vocab === vocab && this.continuingSubwordPrefix === null) {
      const { left, right, result } = v;
      if (left.length > MAX_MERGES) throw unsupported(`model.merges has ${left.length} entries; at most ${MAX_MERGES} are supported`);
      this.mergeResult = result;
      const merges = (this.merges = new PairTable(left.length));
      yield* sliceSteps(left.length, LOAD_STEP_ENTRIES, (from, to) => {
        for (let rank = from; rank < to; rank++) merges.set(left[rank]!, right[rank]!, rank);
      });
      return;
    }
    const list = v instanceof PreparedMerges ? v.toJSON() : arr(v, 'model.merges');
    if (list.length > MAX_MERGES) throw unsupported(`model.merges has ${list.length} entries; at most ${MAX_MERGES} are supported`);
    this.mergeResult = new Int32Array(list.length);
    this.merges = new PairTable(list.length);
    let rank = 0;
    yield* sliceSteps(list.length, LOAD_STEP_ENTRIES, (from, to) => {
      for (let i = from; i < to; i++) if (this.readMerge(list[i], i, rank)) rank++;
    });
  }

  /** Merge `i` of the file as rank `rank`; false for a `#version` line (not a merge). */
  private readMerge(m: unknown, i: number, rank: number): boolean {
    const prefix = this.continuingSubwordPrefix;
    let a: string;
    let b: string;
    if (typeof m === 'string') {
      const sp = m.indexOf(' ');
      if (sp < 0 || m.indexOf(' ', sp + 1) >= 0) {
        if (m.startsWith('#version')) return false;
        throw invalid(`model.merges[${i}] ${JSON.stringify(m)} must be two tokens separated by one space`);
      }
      a = m.slice(0, sp);
      b = m.slice(sp + 1);
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') {
      [a, b] = m as [string, string];
    } else {
      throw invalid(`model.merges[${i}] must be "a b" or ["a", "b"]`);
    }
    const ta = this.index.get(a);
    const tb = this.index.get(b);
    if (ta === undefined || tb === undefined) {
      throw invalid(`model.merges[${i}]: ${JSON.stringify(ta === undefined ? a : b)} is not in model.vocab`);
    }
    if (prefix !== null && !b.startsWith(prefix)) {
      throw invalid(`model.merges[${i}]: ${JSON.stringify(b)} lacks the continuing_subword_prefix`);
    }
    const merged = a + b.slice(prefix?.length ?? 0);
    const tn = this.index.get(merged);
    if (tn === undefined) throw invalid(`model.merges[${i}]: the merge result ${JSON.stringify(merged)} is not in model.vocab`);
    this.merges.set(ta, tb, rank);
    this.mergeResult[rank] = tn;
    return true;
  }

  lookup(token: string): number | undefined {
    return this.index.get(token);
  }

  *prepareSteps(): Generator<void, void, void> {
    if (this.junctions === undefined) yield* this.findJunctions();
  }

  tokenize(word: string, out: TokenSink): void {
    if (this.tokenizeShort(word, out)) return;
    const junctions = this.junctions === undefined && word.length > JUNCTIONS_ABOVE ? runSteps(this.findJunctions()) : this.junctions;
    if (!junctions) this.mergeWord(word, 0, word.length, out);
    else this.cutSegments(word, 0, word.length, out, Infinity, NO_LONG_SEGMENT);
  }

  /**
   * `tokenize` in steps that pause after about `stepUnits` units of a long word: between its junction-cut segments
   * (exact, see `junctions`), and inside a segment or a word that cannot be cut (cutting off) through a WordMerge
   * of its own. Only `out` and that WordMerge (the caller's own) hold state across a pause; the shared scratch is
   * used within one step.
   */
  *tokenizeSteps(word: string, out: TokenSink, stepUnits: number): Generator<void, void, void> {
    if (this.tokenizeShort(word, out)) return;
    const junctions = this.junctions === undefined ? yield* this.findJunctions() : this.junctions;
    if (junctions === null) {
      yield* this.mergeWordSteps(word, 0, word.length, out, stepUnits);
      return;
    }
    const long = new Int32Array(2);
    for (let from = 0; from < word.length;) {
      from = this.cutSegments(word, from, from + stepUnits, out, stepUnits, long);
      if (long[1] > long[0]) {
        yield;
        yield* this.mergeWordSteps(word, long[0], long[1], out, stepUnits);
        long.fill(0);
      }
      if (from < word.length) yield;
    }
  }

  /** Handles the words merged whole (empty, a whole token under ignore_merges, short); false leaves a long word. */
  private tokenizeShort(word: string, out: TokenSink): boolean {
    if (word.length === 0) return true;
    if (this.ignoreMerges) {
      const whole = this.index.get(word);
      if (whole !== undefined) {
        out.push(whole, 0, word.length);
        return true;
      }
    }
    if (word.length <= CUT_ABOVE) {
      this.mergeWord(word, 0, word.length, out);
      return true;
    }
    return false;
  }

  /**
   * Merges the cut segments of `word` from `from` (a segment start) until a segment ends at or after `until`;
   * returns where the next segment starts (word.length when the word is done). A segment longer than `longAbove`
   * is not merged here: it is left in `long` ([start, end)) and the return value is its end.
   */
  private cutSegments(word: string, from: number, until: number, out: TokenSink, longAbove: number, long: Int32Array): number {
    const junctions = this.junctions!;
    let segStart = from;
    let prevCp = word.codePointAt(from)!;
    let prevKnown = this.charTokenOf(prevCp) >= 0;
    for (let i = from + (prevCp > 0xffff ? 2 : 1); i < word.length;) {
      const cp = word.codePointAt(i)!;
      const known = this.charTokenOf(cp) >= 0;
      if (known && prevKnown && junctions.get(prevCp, cp) < 0) {
        if (i - segStart > longAbove) {
          long[0] = segStart;
          long[1] = i;
          return i;
        }
        this.segment(word, segStart, i, out);
        segStart = i;
        if (segStart >= until) return segStart;
      }
      prevCp = cp;
      prevKnown = known;
      i += cp > 0xffff ? 2 : 1;
    }
    if (word.length - segStart > longAbove) {
      long[0] = segStart;
      long[1] = word.length;
      return word.length;
    }
    this.segment(word, segStart, word.length, out);
    return word.length;
  }

  /** One cut segment of a long word, through a small cache (prose falls into short, repeating segments). */
  private segment(word: string, a: number, b: number, out: TokenSink): void {
    if (b - a > SEGMENT_CACHE_MAX) {
      this.mergeWord(word, a, b, out);
      return;
    }
    const key = word.slice(a, b);
    let e = this.segmentCache.get(key);
    if (e === undefined) {
      const s = this.scratch;
      s.n = 0;
      this.mergeWord(key, 0, key.length, s);
      e = new Int32Array(s.n * 3);
      for (let k = 0; k < s.n; k++) {
        e[3 * k] = s.tok[k];
        e[3 * k + 1] = s.w0[k];
        e[3 * k + 2] = s.w1[k];
      }
      if (this.segmentCache.size >= SEGMENT_CACHE_ENTRIES) this.segmentCache.clear();
      this.segmentCache.set((' ' + key).slice(1), e);
    }
    for (let k = 0; k < e.length; k += 3) out.push(e[k], a + e[k + 1], a + e[k + 2]);
  }

  private charTokenOf(cp: number): number {
    let t = this.charToken.get(cp);
    if (t === undefined) {
      t = this.index.get(String.fromCodePoint(cp)) ?? -1;
      this.charToken.set(cp, t);
    }
    return t;
  }

  /**
   * Fills `junctions` from the merges, in steps of a few thousand table slots (null when cutting is off). Two stepped
   * encodes may both compute it; the later one stores an identical table.
   */
  private *findJunctions(): Generator<void, PairTable | null, void> {
    if (this.continuingSubwordPrefix !== null || this.endOfWordSuffix !== null) return (this.junctions = null);
    const special = new Uint8Array(this.tokens.length);
    for (const t of this.byteTokens) if (t >= 0) special[t] = 1;
    if (this.unk !== undefined) special[this.unk] = 1;
    // Far fewer distinct character pairs than merges: start small and let the table grow.
    const set = new PairTable(4096);
    const keys = new Int32Array(2 * LOAD_STEP_ENTRIES);
    const slots = this.merges.capacity;
    for (let from = 0; from < slots; from += LOAD_STEP_ENTRIES) {
      if (from > 0) yield;
      const n = this.merges.keysIn(from, Math.min(slots, from + LOAD_STEP_ENTRIES), keys);
      if (!this.addJunctions(set, special, keys, n)) return (this.junctions = null);
    }
    return (this.junctions = set);
  }

  /** Adds the junction of each merge (keys[2k], keys[2k + 1]); false once a merge involves a special token. */
  private addJunctions(set: PairTable, special: Uint8Array, keys: Int32Array, n: number): boolean {
    const tokens = this.tokens;
    for (let k = 0; k < n; k++) {
      const ta = keys[2 * k];
      const tb = keys[2 * k + 1];
      if (special[ta] === 1 || special[tb] === 1) return false;
      const a = tokens[ta];
      const lo = a.charCodeAt(a.length - 1);
      const last = a.codePointAt(a.length - (a.length > 1 && lo >= 0xdc00 && lo <= 0xdfff ? 2 : 1))!;
      set.set(last, tokens[tb].codePointAt(0)!, 1);
    }
    return true;
  }

  /** Rust's `merge_word` + `Word::merge_all` on word[a..b) in one go (positions in `out` relative to the word). */
  private mergeWord(word: string, a: number, b: number, out: TokenSink): void {
    const m = this.shared;
    m.reset();
    this.addSymbols(m, word, a, b, a, b);
    m.flushUnknown();
    m.link(0, m.n);
    m.mergeSome(Infinity);
    m.emit(out);
  }

  /**
   * `mergeWord` in steps of about `stepUnits` units or heap pops, with a WordMerge of its own: the same symbols and
   * the same pops in the same order (so the same tokens), in the same O(n log n) time.
   */
  private *mergeWordSteps(word: string, a: number, b: number, out: TokenSink, stepUnits: number): Generator<void, void, void> {
    const m = new WordMerge(this.merges, this.mergeResult);
    m.reset();
    for (let from = a; from < b;) {
      let to = Math.min(b, from + stepUnits);
      const hi = word.charCodeAt(to - 1);
      if (to < b && hi >= 0xd800 && hi <= 0xdbff) to++; // never between the halves of a surrogate pair
      this.addSymbols(m, word, a, b, from, to);
      from = to;
      yield;
    }
    m.flushUnknown();
    for (let from = 0; from < m.n; from += stepUnits) {
      m.link(from, Math.min(m.n, from + stepUnits));
      yield;
    }
    while (!m.mergeSome(stepUnits)) yield;
    m.emit(out);
  }

  /** Rust's `merge_word` for the characters of word[from..to) of the word word[a..b): their symbols into `m`. */
  private addSymbols(m: WordMerge, word: string, a: number, b: number, from: number, to: number): void {
    const prefix = this.continuingSubwordPrefix;
    const suffix = this.endOfWordSuffix;
    for (let i = from; i < to;) {
      const cp = word.codePointAt(i)!;
      const next = i + (cp > 0xffff ? 2 : 1);
      let t: number;
      let s: string | null = null;
      if (prefix === null && suffix === null) t = this.charTokenOf(cp);
      else {
        s = word.slice(i, next);
        if (i !== a && prefix !== null) s = prefix + s;
        if (next === b && suffix !== null) s = s + suffix;
        t = this.index.get(s) ?? -1;
      }
      if (t >= 0) m.add(t, i, next);
      else {
        let fellBack = false;
        if (this.byteFallback) {
          const bytes = utf8Encoder.encode(s ?? word.slice(i, next));
          fellBack = true;
          for (const byte of bytes) if (this.byteTokens[byte] < 0) fellBack = false;
          if (fellBack) for (const byte of bytes) m.addByte(this.byteTokens[byte], i, next);
        }
        if (!fellBack && this.unk !== undefined) m.addUnknown(this.unk, this.fuseUnk, i, next);
      }
      i = next;
    }
  }
}

class WordPieceModel implements Model {
  readonly type = 'WordPiece' as const;
  readonly ids: Int32Array;
  readonly tokens: string[];
  readonly byteFallback = false;
  readonly continuingSubwordPrefix: string;
  private readonly index: Map<string, number>;
  private readonly unk: number;
  private readonly maxChars: number;
  /** Longest vocabulary entry in UTF-16 units (no longer substring can match). */
  private readonly longest: number;

  constructor(o: Json, vocab: Vocab) {
    this.tokens = vocab.tokens;
    this.ids = vocab.ids;
    this.index = vocab.index;
    const unkToken = str(o.unk_token ?? '[UNK]', 'model.unk_token');
    const unk = this.index.get(unkToken);
    if (unk === undefined) throw invalid(`model.unk_token ${JSON.stringify(unkToken)} is not in model.vocab`);
    this.unk = unk;
    this.continuingSubwordPrefix = str(o.continuing_subword_prefix ?? '##', 'model.continuing_subword_prefix');
    const max = o.max_input_chars_per_word ?? 100;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) throw invalid('model.max_input_chars_per_word must be a non-negative integer');
    this.maxChars = max;
    this.longest = this.tokens.reduce((m, t) => Math.max(m, t.length), 0);
  }

  lookup(token: string): number | undefined {
    return this.index.get(token);
  }

  /** Greedy longest-match-first, as Rust's WordPiece::tokenize; a word with an unmatched rest is one [UNK]. */
  tokenize(word: string, out: TokenSink): void {
    let chars = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff || i === 0 || word.charCodeAt(i - 1) < 0xd800 || word.charCodeAt(i - 1) > 0xdbff) chars++;
    }
    if (chars > this.maxChars) {
      out.push(this.unk, 0, word.length);
      return;
    }
    const mark = out.n;
    const prefix = this.continuingSubwordPrefix;
    let start = 0;
    while (start < word.length) {
      let end = Math.min(word.length, start + this.longest);
      let found = -1;
      while (start < end) {
        const sub = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        const t = this.index.get(sub);
        if (t !== undefined) {
          found = t;
          break;
        }
        const lo = word.charCodeAt(end - 1);
        end -= lo >= 0xdc00 && lo <= 0xdfff && end - 2 >= start ? 2 : 1;
      }
      if (found < 0) {
        out.n = mark;
        out.push(this.unk, 0, word.length);
        return;
      }
      out.push(found, start, end);
      start = end;
    }
  }
}
