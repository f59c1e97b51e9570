/**
 * A Hugging Face tokenizer.json as an engine Tokenizer: the same pipeline as Rust tokenizers 0.22
 * (`TokenizerImpl::encode`): added tokens out first → normalizer → added tokens in normalized text →
 * pre-tokenizer → model, then optionally the post-processor's special tokens. Every token gets the UTF-16
 * span of the original text it came from (alignedString.ts); tokens that split one character (ByteLevel
 * bytes, <0xNN> fallback) each cover the whole character; inserted text (Prepend ▁, added BOS) gets an
 * empty span.
 */
import { sourcePathName, type TokenInfo } from '../../shared/embeddingTypes';
import { MEMO_PIECE_MAX_UNITS, Output, PieceMemo } from '../tokenizer/pieceTokens';
import type { Encoded, EncodeOptions, Tokenizer } from '../types';
import { runSteps } from '../steps';
import { type AddedToken, AddedTokenMatcher, readAddedTokens } from './addedTokens';
import { Aligned } from './alignedString';
import { BYTE_TO_CHAR } from './byteLevelAlphabet';
import { type Json, obj } from './configReaders';
import { TokenDisplay } from './display';
import { createModelSteps, type Model, TokenSink } from './models';
import { createNormalizer, type Normalizer } from './normalizers';
import { createPostProcessor, type SpecialWrap } from './postProcessor';
import { createPreTokenizer, type PreTokenizer, type PreTokenizerInfo } from './preTokenizers';

/**
 * Text per step of `encodeSteps` (UTF-16 units): a few milliseconds of work. Pauses fall between pieces; a piece
 * longer than a step (a SentencePiece-style text without a pre-tokenizer is one piece; a long run without spaces)
 * pauses inside, in the model's own steps (BpeModel.tokenizeSteps: between junction-cut segments, or inside one
 * merge when cutting is off), with the ids and spans of one go.
 */
const ENCODE_STEP_UNITS = 16_384;

/** Units tokenized since the last pause of `encodeSteps` (per call: nothing carries over a pause in shared state). */
interface StepBudget {
  units: number;
}

/** The components of a tokenizer.json, built one step each. */
interface TokenizerParts {
  root: Json;
  model: Model;
  normalizer: Normalizer | null;
  pre: PreTokenizerInfo;
  wrap: SpecialWrap;
  added: AddedToken[];
  /** Added tokens matched in the raw text, and in the normalized text. */
  rawMatcher: AddedTokenMatcher;
  normalizedMatcher: AddedTokenMatcher;
}

/** The file id of a string in the model's vocabulary. */
function modelId(model: Model, content: string): number | undefined {
  const t = model.lookup(content);
  return t === undefined ? undefined : model.ids[t];
}

export interface HfTokenizerOptions {
  /** Where the JSON came from (shown in descriptions and errors). */
  sourcePath?: string;
  /** Display name; defaults to one derived from sourcePath. */
  name?: string;
}

export class HfTokenizer implements Tokenizer {
  readonly kind = 'tokenizer.json' as const;
  readonly name: string;
  readonly sourcePath: string | undefined;
  readonly modelType: 'BPE' | 'WordPiece';
  /** Highest id (model vocabulary or added token) + 1: the rows an embedding table needs. */
  readonly vocabSize: number;
  private readonly model: Model;
  private readonly normalizer: Normalizer | null;
  private readonly pre: PreTokenizer | null;
  private readonly byteLevel: boolean;
  private readonly wrap: SpecialWrap;
  private readonly rawMatcher: AddedTokenMatcher;
  private readonly normalizedMatcher: AddedTokenMatcher;
  private readonly display: TokenDisplay;
  private readonly memo = new PieceMemo();
  private readonly sink = new TokenSink();
  // Scratch for byte-level words: per byte, the piece-relative unit range of its character.
  private byteStart = new Int32Array(256);
  private byteEnd = new Int32Array(256);

  /**
   * Builds a tokenizer from parsed tokenizer.json content in steps: the model's big tables (vocabulary, merges) and
   * the added tokens pause every few thousand entries, and each smaller component is a step of its own.
   */
  static *build(json: unknown, options: HfTokenizerOptions = {}): Generator<void, HfTokenizer, void> {
    const root = obj(json, 'tokenizer.json');
    const model = yield* createModelSteps(root.model);
    yield;
    const normalizer = createNormalizer(root.normalizer);
    yield;
    const pre = createPreTokenizer(root.pre_tokenizer);
    const wrap = createPostProcessor(root.post_processor);
    yield;
    const added = yield* readAddedTokens(root.added_tokens, (c) => modelId(model, c), model.tokens.length);
    yield;
    const raw = added.filter((t) => !t.normalized);
    const rawMatcher = yield* AddedTokenMatcher.build(
      raw,
      raw.map((t) => t.content),
    );
    yield;
    const normalized = added.filter((t) => t.normalized);
    const normalizedMatcher = yield* AddedTokenMatcher.build(
      normalized,
      normalized.map((t) => (normalizer ? normalizer.normalize(Aligned.identity(t.content)).text : t.content)),
    );
    yield;
    return new HfTokenizer({ root, model, normalizer, pre, wrap, added, rawMatcher, normalizedMatcher }, options);
  }

  private constructor(parts: TokenizerParts, options: HfTokenizerOptions) {
    const { root, added } = parts;
    this.sourcePath = options.sourcePath;
    this.name = options.name ?? tokenizerName(options.sourcePath);
    this.model = parts.model;
    this.modelType = this.model.type;
    this.normalizer = parts.normalizer;
    this.pre = parts.pre.pre;
    this.byteLevel = parts.pre.byteLevel;
    this.wrap = parts.wrap;
    this.rawMatcher = parts.rawMatcher;
    this.normalizedMatcher = parts.normalizedMatcher;
    this.display = new TokenDisplay(root.decoder, this.byteLevel, this.model, added);
    let max = -1;
    for (const id of this.model.ids) if (id > max) max = id;
    for (const t of added) if (t.id > max) max = t.id;
    for (const id of [...this.wrap.prefix, ...this.wrap.suffix]) {
      if (!this.display.has(id)) throw new RangeError(`post_processor adds token ${id}, which is neither in model.vocab nor in added_tokens`);
    }
    this.vocabSize = max + 1;
  }

  /** The raw token string as the file spells it (Ġ, ▁, ## and all), for tools. */
  tokenString(id: number): string | undefined {
    return this.display.raw(id);
  }

  encode(input: string, options: EncodeOptions): Encoded {
    return runSteps(this.encodeSteps(input, options));
  }

  /**
   * `encode` in steps: pauses after about ENCODE_STEP_UNITS of text so the engine worker can yield to the event
   * loop and notice a cancel. The pipeline runs in the same order either way, so the ids and spans are identical.
   */
  *encodeSteps(input: string, options: EncodeOptions): Generator<void, Encoded, void> {
    // Rust receives JS strings as UTF-8: a lone surrogate arrives as U+FFFD (one unit, so spans line up).
    const text = wellFormed(input);
    // Once per tokenizer, in steps: the model's own preparation (BPE: junction pairs for long words) and the id → token
    // map that token display needs.
    if (this.model.prepareSteps) yield* this.model.prepareSteps();
    yield* this.display.prepareSteps();
    const out = new Output((text.length >> 2) + 16);
    const add = options.addSpecialTokens === true;
    if (add) for (const id of this.wrap.prefix) emit(out, id, 0, 0);
    yield* this.encodeRaw(Aligned.identity(text, 0), options.allowSpecial, out, { units: 0 });
    if (add) for (const id of this.wrap.suffix) emit(out, id, text.length, text.length);
    return out.finish();
  }

  tokenBytes(id: number): Uint8Array {
    return this.display.bytes(id);
  }

  tokenInfos(_text: string, encoded: Encoded, from: number, to: number): TokenInfo[] {
    const count = encoded.ids.length;
    if (from < 0 || to > count || from > to) throw new RangeError(`token range [${from}, ${to}) is outside 0..${count}`);
    const infos: TokenInfo[] = [];
    for (let k = from; k < to; k++) {
      const id = encoded.ids[k];
      infos.push({
        id,
        start: encoded.spans[2 * k],
        end: encoded.spans[2 * k + 1],
        bytes: Array.from(this.display.bytes(id)),
        text: this.display.text(id),
      });
    }
    return infos;
  }

  /** Forgets memoised pieces. */
  clearCache(): void {
    this.memo.clear();
  }

  private *encodeRaw(s: Aligned, allowSpecial: boolean, out: Output, budget: StepBudget): Generator<void, void, void> {
    let prev = 0;
    for (const m of this.rawMatcher.find(s.text, allowSpecial)) {
      yield* this.encodeNormalized(s.slice(prev, m.start), allowSpecial, out, budget);
      this.emitAdded(m.token, s, m.start, m.end, out);
      prev = m.end;
    }
    yield* this.encodeNormalized(s.slice(prev, s.length), allowSpecial, out, budget);
  }

  private *encodeNormalized(raw: Aligned, allowSpecial: boolean, out: Output, budget: StepBudget): Generator<void, void, void> {
    if (raw.length === 0) return;
    const s = this.normalizer ? this.normalizer.normalize(raw) : raw;
    if (this.normalizedMatcher.empty) {
      yield* this.encodePlain(s, out, budget);
      return;
    }
    let prev = 0;
    for (const m of this.normalizedMatcher.find(s.text, allowSpecial)) {
      yield* this.encodePlain(s.slice(prev, m.start), out, budget);
      this.emitAdded(m.token, s, m.start, m.end, out);
      prev = m.end;
    }
    yield* this.encodePlain(s.slice(prev, s.length), out, budget);
  }

  private emitAdded(token: AddedToken, s: Aligned, a: number, b: number, out: Output): void {
    const [start, end] = s.span(a, b);
    emit(out, token.id, start, end);
  }

  private *encodePlain(s: Aligned, out: Output, budget: StepBudget): Generator<void, void, void> {
    if (s.length === 0) return;
    const pause = (units: number): boolean => {
      budget.units += units;
      if (budget.units < ENCODE_STEP_UNITS) return false;
      budget.units = 0;
      return true;
    };
    if (s.isIdentity && (!this.pre || this.pre.ranges)) {
      // Pieces are plain substrings of the original text: no aligned strings needed.
      const text = s.text;
      const base = s.startOf(0);
      if (!this.pre) {
        if (this.steppable(text.length)) {
          out.pushPiece(yield* this.pieceSteps(text), base);
          budget.units = 0;
          return;
        }
        this.encodeRange(text, 0, text.length, base, out);
        if (pause(text.length)) yield;
        return;
      }
      // The pre-tokenizer scans with a callback: collect the ranges first, then tokenize them between pauses.
      let ranges = new Int32Array(64);
      let n = 0;
      this.pre.ranges!(text, (a, b) => {
        if (n + 2 > ranges.length) {
          const grown = new Int32Array(ranges.length * 2);
          grown.set(ranges);
          ranges = grown;
        }
        ranges[n++] = a;
        ranges[n++] = b;
      });
      for (let k = 0; k < n; k += 2) {
        const a = ranges[k];
        const b = ranges[k + 1];
        if (this.steppable(b - a)) {
          out.pushPiece(yield* this.pieceSteps(text.slice(a, b)), base + a);
          budget.units = 0;
          continue;
        }
        this.encodeRange(text, a, b, base, out);
        if (pause(b - a)) yield;
      }
      return;
    }
    if (!this.pre) {
      if (this.steppable(s.length)) {
        this.emitPiece(s, yield* this.pieceSteps(s.text), out);
        budget.units = 0;
        return;
      }
      this.encodePiece(s, out);
      if (pause(s.length)) yield;
      return;
    }
    const pieces: Aligned[] = [];
    this.pre.split(s, pieces);
    for (const p of pieces) {
      if (this.steppable(p.length)) {
        this.emitPiece(p, yield* this.pieceSteps(p.text), out);
        budget.units = 0;
        continue;
      }
      this.encodePiece(p, out);
      if (pause(p.length)) yield;
    }
  }

  /** Tokens of text[a..b), a piece whose unit k is original unit base + k. */
  private encodeRange(text: string, a: number, b: number, base: number, out: Output): void {
    const entry = this.piece(a === 0 && b === text.length ? text : text.slice(a, b));
    out.pushPiece(entry, base + a);
  }

  /** A piece's tokens, memoised for short pieces. */
  private piece(text: string): Int32Array {
    if (text.length > MEMO_PIECE_MAX_UNITS) return this.tokenizePiece(text);
    let entry = this.memo.get(text);
    if (entry === undefined) {
      entry = this.tokenizePiece(text);
      this.memo.set(text, entry);
    }
    return entry;
  }

  private encodePiece(p: Aligned, out: Output): void {
    if (p.isIdentity) {
      this.encodeRange(p.text, 0, p.length, p.startOf(0), out);
      return;
    }
    this.emitPiece(p, this.piece(p.text), out);
  }

  /** Whether a piece this long is tokenized in the model's steps (pausing inside it) rather than in one go. */
  private steppable(units: number): boolean {
    return units > ENCODE_STEP_UNITS && this.model.tokenizeSteps !== undefined;
  }

  /**
   * `tokenizePiece` in the model's steps, into a sink (and for byte-level models, byte maps) of its own: other texts
   * are encoded while this one waits.
   */
  private *pieceSteps(text: string): Generator<void, Int32Array, void> {
    const sink = new TokenSink();
    if (!this.byteLevel) {
      yield* this.model.tokenizeSteps!(text, sink, ENCODE_STEP_UNITS);
      return this.entryOf(sink);
    }
    const byteStart = new Int32Array(text.length * 3);
    const byteEnd = new Int32Array(text.length * 3);
    const word = byteLevelWord(text, byteStart, byteEnd);
    yield* this.model.tokenizeSteps!(word, sink, ENCODE_STEP_UNITS);
    return this.byteLevelEntry(sink, byteStart, byteEnd);
  }

  /** A piece's tokens (relative units) placed through the piece's alignment with the original text. */
  private emitPiece(p: Aligned, entry: Int32Array, out: Output): void {
    for (let k = 0; k < entry.length; k += 3) {
      const [start, end] = p.span(entry[k + 1], entry[k + 2]);
      emit(out, entry[k], start, end);
    }
  }

  /** Tokens of one piece as [file id, unit start, unit end]* relative to the piece. */
  private tokenizePiece(text: string): Int32Array {
    const sink = this.sink;
    sink.n = 0;
    if (!this.byteLevel) {
      this.model.tokenize(text, sink);
      return this.entryOf(sink);
    }
    const need = text.length * 3;
    if (this.byteStart.length < need) {
      this.byteStart = new Int32Array(need);
      this.byteEnd = new Int32Array(need);
    }
    this.model.tokenize(byteLevelWord(text, this.byteStart, this.byteEnd), sink);
    return this.byteLevelEntry(sink, this.byteStart, this.byteEnd);
  }

  /** A sink's tokens as [file id, unit start, unit end]* (positions as the model reported them). */
  private entryOf(sink: TokenSink): Int32Array {
    const ids = this.model.ids;
    const e = new Int32Array(sink.n * 3);
    for (let k = 0; k < sink.n; k++) {
      e[3 * k] = ids[sink.tok[k]];
      e[3 * k + 1] = sink.w0[k];
      e[3 * k + 2] = sink.w1[k];
    }
    return e;
  }

  /** The same for a byte-level word: each token covers the characters of its first and last bytes. */
  private byteLevelEntry(sink: TokenSink, byteStart: Int32Array, byteEnd: Int32Array): Int32Array {
    const ids = this.model.ids;
    const e = new Int32Array(sink.n * 3);
    for (let k = 0; k < sink.n; k++) {
      e[3 * k] = ids[sink.tok[k]];
      e[3 * k + 1] = byteStart[sink.w0[k]];
      e[3 * k + 2] = byteEnd[sink.w1[k] - 1];
    }
    return e;
  }
}

/**
 * A piece's UTF-8 bytes spelled in the ByteLevel alphabet; records each byte's character range in `bs`/`be`
 * (at least 3 × the piece's length).
 */
function byteLevelWord(text: string, bs: Int32Array, be: Int32Array): string {
  let word = '';
  let m = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    const first = m;
    if (cp < 0x80) word += BYTE_TO_CHAR[cp];
    else if (cp < 0x800) word += BYTE_TO_CHAR[0xc0 | (cp >> 6)] + BYTE_TO_CHAR[0x80 | (cp & 0x3f)];
    else if (cp < 0x10000) word += BYTE_TO_CHAR[0xe0 | (cp >> 12)] + BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3f)] + BYTE_TO_CHAR[0x80 | (cp & 0x3f)];
    else
      word +=
        BYTE_TO_CHAR[0xf0 | (cp >> 18)] + BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3f)] + BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3f)] + BYTE_TO_CHAR[0x80 | (cp & 0x3f)];
    m = word.length;
    for (let b = first; b < m; b++) {
      bs[b] = i;
      be[b] = i + w;
    }
    i += w;
  }
  return word;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(s: string): string {
  return /[\uD800-\uDFFF]/.test(s) ? s.replace(LONE_SURROGATE, '\uFFFD') : s;
}

function emit(out: Output, id: number, start: number, end: number): void {
  out.grow(1);
  out.ids[out.n] = id;
  out.spans[2 * out.n] = start;
  out.spans[2 * out.n + 1] = end;
  out.n++;
}

/**
 * A short name for a tokenizer file: the model id of a Hugging Face cache path
 * (`…/models--meta-llama--Llama-3.1-8B/snapshots/<rev>/tokenizer.json` → `meta-llama/Llama-3.1-8B`), else
 * the folder holding the file, else "tokenizer.json".
 */
export function tokenizerName(path: string | undefined): string {
  return path ? sourcePathName(path) : 'tokenizer.json';
}
