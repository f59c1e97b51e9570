/**
 * A tiktoken-exact BPE tokenizer over one encoding: pre-tokenize (preTokenizer.ts), byte-pair merge each
 * piece (bytePairMerge.ts), and report each token's UTF-16 span.
 *
 * Spans: a token covers `[start of the character holding its first byte, end of the character holding its
 * last byte)`. When a character's UTF-8 bytes are split over several tokens, each of those tokens' spans
 * includes the whole character, so consecutive spans may overlap by that character. A surrogate pair is one
 * character (two UTF-16 units). A lone surrogate is encoded as U+FFFD (EF BF BD), as tiktoken sees it
 * (JS strings reach tiktoken's WASM through TextEncoder), and its span is its one UTF-16 unit.
 */
import type { EncodingName, TokenInfo } from '../../shared/embeddingTypes';
import type { Encoded, EncodeOptions, Tokenizer } from '../types';
import { runSteps } from '../steps';
import { BytePairMerger } from './bytePairMerge';
import type { ByteVocab } from './byteVocab';
import { createScanner, type PatternKind, type PieceScanner } from './preTokenizer';
import { MEMO_PIECE_MAX_UNITS, Output, PieceMemo } from './pieceTokens';
import { displayBytes } from './tokenDisplay';

/** Text per step of `encodeSteps`: a few milliseconds of work even on the slowest inputs (digit runs). */
const ENCODE_STEP_UNITS = 16_384;

export interface EncodingData {
  encoding: EncodingName;
  vocab: ByteVocab;
  pattern: PatternKind;
  specialTokens: Record<string, number>;
  vocabSize: number;
}

/** Growable output arrays (also used by the tokenizer.json engine). */
export class BpeTokenizer implements Tokenizer {
  readonly encoding: EncodingName;
  readonly kind = 'encoding' as const;
  readonly vocabSize: number;
  private readonly vocab: ByteVocab;
  private readonly scan: PieceScanner;
  private readonly merger: BytePairMerger;
  private readonly specialIds = new Map<string, number>();
  private readonly specialTexts = new Map<number, string>();
  private readonly specialPattern: RegExp | null;
  private readonly memo = new PieceMemo();
  private readonly asciiPieces: Int32Array[] = [];
  // Scratch: UTF-8 bytes of the current piece, and per byte the piece-relative UTF-16 span of its character.
  private u8 = new Uint8Array(256);
  private charStart = new Int32Array(256);
  private charEnd = new Int32Array(256);

  constructor(data: EncodingData) {
    this.encoding = data.encoding;
    this.vocab = data.vocab;
    this.vocabSize = data.vocabSize;
    this.scan = createScanner(data.pattern);
    this.merger = new BytePairMerger(data.vocab);
    for (const [text, id] of Object.entries(data.specialTokens)) {
      this.specialIds.set(text, id);
      this.specialTexts.set(id, text);
    }
    const names = [...this.specialIds.keys()].sort((a, b) => b.length - a.length);
    this.specialPattern = names.length ? new RegExp(names.map((t) => t.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'g') : null;
    for (let c = 0; c < 128; c++) this.asciiPieces[c] = this.piece(String.fromCharCode(c), 0, 1);
  }

  get name(): string {
    return this.encoding;
  }

  encode(text: string, options: EncodeOptions): Encoded {
    return runSteps(this.encodeSteps(text, options));
  }

  /**
   * `encode` in steps: pauses after about ENCODE_STEP_UNITS of text so the worker can yield to the event loop
   * and notice a cancel between steps. Pieces are scanned in the same order either way, so the result is identical.
   */
  *encodeSteps(text: string, options: EncodeOptions): Generator<void, Encoded, void> {
    const out = new Output((text.length >> 2) + 16);
    if (options.allowSpecial && this.specialPattern) {
      const re = this.specialPattern;
      re.lastIndex = 0;
      let from = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const at = m.index;
        const special = m[0];
        const resumeAt = re.lastIndex;
        yield* this.segmentSteps(text, from, at, out);
        re.lastIndex = resumeAt; // another encode may have used the shared pattern while this one was paused
        out.grow(1);
        out.ids[out.n] = this.specialIds.get(special)!;
        out.spans[2 * out.n] = at;
        out.spans[2 * out.n + 1] = at + special.length;
        out.n++;
        from = at + special.length;
      }
      yield* this.segmentSteps(text, from, text.length, out);
    } else {
      yield* this.segmentSteps(text, 0, text.length, out);
    }
    return out.finish();
  }

  /** Forgets memoised pieces (frees memory; the next texts run at cold-cache speed until it refills). */
  clearCache(): void {
    this.memo.clear();
  }

  tokenBytes(id: number): Uint8Array {
    const b = this.vocab.bytesOf(id);
    if (b) return b.slice();
    const special = this.specialTexts.get(id);
    if (special !== undefined) return new TextEncoder().encode(special);
    throw new RangeError(`${this.encoding} has no token ${id} (ids are 0..${this.vocabSize - 1}, some unused)`);
  }

  tokenInfos(_text: string, encoded: Encoded, from: number, to: number): TokenInfo[] {
    const count = encoded.ids.length;
    if (from < 0 || to > count || from > to) {
      throw new RangeError(`token range [${from}, ${to}) is outside 0..${count}`);
    }
    const infos: TokenInfo[] = [];
    for (let k = from; k < to; k++) {
      const id = encoded.ids[k];
      const start = encoded.spans[2 * k];
      const end = encoded.spans[2 * k + 1];
      const special = this.specialTexts.get(id);
      if (special !== undefined) {
        infos.push({ id, start, end, bytes: Array.from(new TextEncoder().encode(special)), text: special });
        continue;
      }
      const bytes = Array.from(this.tokenBytes(id));
      infos.push({ id, start, end, bytes, text: displayBytes(bytes) });
    }
    return infos;
  }

  private *segmentSteps(text: string, from: number, to: number, out: Output): Generator<void, void, void> {
    let i = from;
    while (i < to) {
      i = this.encodeSegment(text, i, to, i + ENCODE_STEP_UNITS, out);
      if (i < to) yield;
    }
  }

  /**
   * Encodes the pieces of `text[from, to)` that start before `stopBefore` and returns where the next piece
   * starts. The scanner always sees the whole segment end `to` (its look-aheads depend on what follows).
   */
  private encodeSegment(text: string, from: number, to: number, stopBefore: number, out: Output): number {
    const scan = this.scan;
    const memo = this.memo;
    let i = from;
    while (i < to && i < stopBefore) {
      const j = scan(text, i, to);
      let entry: Int32Array | undefined;
      if (j - i === 1 && text.charCodeAt(i) < 128) {
        entry = this.asciiPieces[text.charCodeAt(i)];
      } else if (j - i <= MEMO_PIECE_MAX_UNITS) {
        const key = text.slice(i, j);
        entry = memo.get(key);
        if (entry === undefined) {
          entry = this.piece(text, i, j);
          memo.set(key, entry);
        }
      }
      if (entry !== undefined) {
        out.pushPiece(entry, i);
      } else {
        this.pieceInto(text, i, j, out);
      }
      i = j;
    }
    return i;
  }

  /** Tokens of one piece as [id, relStart, relEnd]* (for the cache). */
  private piece(text: string, i: number, j: number): Int32Array {
    const m = this.toUtf8(text, i, j);
    const whole = this.vocab.rankOf(this.u8, 0, m);
    if (whole >= 0) return Int32Array.of(whole, 0, j - i);
    const n = this.merger.merge(this.u8, m);
    const e = new Int32Array(n * 3);
    const { ranks, starts } = this.merger;
    for (let k = 0; k < n; k++) {
      e[3 * k] = ranks[k];
      e[3 * k + 1] = this.charStart[starts[k]];
      e[3 * k + 2] = this.charEnd[starts[k + 1] - 1];
    }
    return e;
  }

  /** Tokens of one (long, uncached) piece straight into the output. */
  private pieceInto(text: string, i: number, j: number, out: Output): void {
    const m = this.toUtf8(text, i, j);
    const whole = this.vocab.rankOf(this.u8, 0, m);
    if (whole >= 0) {
      // tiktoken takes a piece that is itself a token as is, without merging.
      out.grow(1);
      out.ids[out.n] = whole;
      out.spans[2 * out.n] = i;
      out.spans[2 * out.n + 1] = j;
      out.n++;
      return;
    }
    const n = this.merger.merge(this.u8, m);
    const { ranks, starts } = this.merger;
    out.grow(n);
    for (let k = 0; k < n; k++) {
      out.ids[out.n] = ranks[k];
      out.spans[2 * out.n] = i + this.charStart[starts[k]];
      out.spans[2 * out.n + 1] = i + this.charEnd[starts[k + 1] - 1];
      out.n++;
    }
    if (m > 65536) {
      // Don't keep tens of MB of scratch alive for the next, usually small, text.
      this.merger.releaseScratch();
      this.u8 = new Uint8Array(256);
      this.charStart = new Int32Array(256);
      this.charEnd = new Int32Array(256);
    }
  }

  /** UTF-8 of text[i..j) into this.u8, recording each byte's character span; returns the byte count. */
  private toUtf8(text: string, i: number, j: number): number {
    const need = (j - i) * 3;
    if (this.u8.length < need) {
      const cap = Math.max(need, this.u8.length * 2);
      this.u8 = new Uint8Array(cap);
      this.charStart = new Int32Array(cap);
      this.charEnd = new Int32Array(cap);
    }
    const u8 = this.u8;
    const cs = this.charStart;
    const ce = this.charEnd;
    let m = 0;
    for (let p = i; p < j; p++) {
      const rel = p - i;
      let c = text.charCodeAt(p);
      if (c < 0x80) {
        u8[m] = c;
        cs[m] = rel;
        ce[m++] = rel + 1;
        continue;
      }
      let w = 1;
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = p + 1 < j ? text.charCodeAt(p + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          w = 2;
        } else {
          c = 0xfffd; // lone surrogate, as TextEncoder (and so tiktoken's WASM) sees it
        }
      }
      const start = m;
      if (c < 0x800) {
        u8[m++] = 0xc0 | (c >> 6);
        u8[m++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        u8[m++] = 0xe0 | (c >> 12);
        u8[m++] = 0x80 | ((c >> 6) & 0x3f);
        u8[m++] = 0x80 | (c & 0x3f);
      } else {
        u8[m++] = 0xf0 | (c >> 18);
        u8[m++] = 0x80 | ((c >> 12) & 0x3f);
        u8[m++] = 0x80 | ((c >> 6) & 0x3f);
        u8[m++] = 0x80 | (c & 0x3f);
      }
      for (let b = start; b < m; b++) {
        cs[b] = rel;
        ce[b] = rel + w;
      }
      p += w - 1;
    }
    return m;
  }
}
