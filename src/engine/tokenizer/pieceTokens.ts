/**
 * What both BPE tokenizers share (tiktoken encodings in bpeTokenizer.ts, tokenizer.json in ../hfTokenizer):
 * the growing token output, and the memo of a short piece's tokens as `[id, relStart, relEnd]*` with spans
 * relative to the piece, so one entry serves the piece wherever it occurs.
 */
import type { Encoded } from '../types';

/** Pieces up to this many UTF-16 units are memoised. */
export const MEMO_PIECE_MAX_UNITS = 48;
/** The memo is cleared when it grows past this many pieces, which bounds memory on endless novel input. */
const MEMO_ENTRIES_MAX = 100_000;

/** Token ids and UTF-16 spans, grown as tokens are appended. */
export class Output {
  ids: Uint32Array;
  spans: Int32Array;
  n = 0;
  constructor(capacity: number) {
    this.ids = new Uint32Array(capacity);
    this.spans = new Int32Array(capacity * 2);
  }
  grow(extra: number): void {
    const need = this.n + extra;
    if (need <= this.ids.length) return;
    const cap = Math.max(need, this.ids.length * 2);
    const ids = new Uint32Array(cap);
    ids.set(this.ids.subarray(0, this.n));
    const spans = new Int32Array(cap * 2);
    spans.set(this.spans.subarray(0, this.n * 2));
    this.ids = ids;
    this.spans = spans;
  }
  /** Appends a piece's memoised tokens (`[id, relStart, relEnd]*`), its spans moved to start at unit `at`. */
  pushPiece(entry: Int32Array, at: number): void {
    this.grow(entry.length / 3);
    const ids = this.ids;
    const spans = this.spans;
    let n = this.n;
    for (let t = 0; t < entry.length; t += 3) {
      ids[n] = entry[t];
      spans[2 * n] = at + entry[t + 1];
      spans[2 * n + 1] = at + entry[t + 2];
      n++;
    }
    this.n = n;
  }
  finish(): Encoded {
    return { ids: this.ids.slice(0, this.n), spans: this.spans.slice(0, this.n * 2) };
  }
}

/** piece text → its tokens `[id, relStart, relEnd]*`, for pieces of at most MEMO_PIECE_MAX_UNITS units. */
export class PieceMemo {
  private readonly map = new Map<string, Int32Array>();

  get(piece: string): Int32Array | undefined {
    return this.map.get(piece);
  }

  set(piece: string, tokens: Int32Array): void {
    if (this.map.size >= MEMO_ENTRIES_MAX) this.map.clear();
    // `piece` may be a V8 sliced string that keeps all of the text alive; store a copy of its own.
    this.map.set((' ' + piece).slice(1), tokens);
  }

  clear(): void {
    this.map.clear();
  }
}
