/**
 * Rust tokenizers' `Word::merge_all` for one word of a BPE model: the word's symbols in a linked list, candidate
 * merges in a min-heap keyed by (rank, position); entries whose pair changed since are skipped. All the state of
 * one merge lives in a WordMerge, so the merge can run whole (`mergeSome(Infinity)`) or in slices between pauses:
 * a long word whose junction cutting is off is merged in steps with a WordMerge of its own, while other words use
 * the model's shared one meanwhile. Same pops in the same order either way, so the tokens are identical.
 */
import type { PairTable } from './pairTable';
import type { TokenSink } from './models';

/** Heap keys pack (rank, position) into one double: rank × 2^32 + position. */
const POS_SCALE = 4294967296;

export class WordMerge {
  /** Symbol k: its token (−1 once merged into its left neighbour) and the word units [w0, w1) it covers. */
  private sc = new Int32Array(64);
  private w0 = new Int32Array(64);
  private w1 = new Int32Array(64);
  private prev = new Int32Array(64);
  private next = new Int32Array(64);
  private heapKey = new Float64Array(64);
  private heapNew = new Int32Array(64);
  /** Symbols added. */
  n = 0;
  private size = 0;
  // A run of unknown characters not yet added (fuse_unk joins a run into one unknown token).
  private unkTok = -1;
  private unkStart = 0;
  private unkEnd = 0;

  constructor(
    /** (left, right) → merge rank. */
    private readonly merges: PairTable,
    /** Token made by merge `rank`. */
    private readonly result: Int32Array,
  ) {}

  /** Starts a new word. */
  reset(): void {
    this.n = 0;
    this.size = 0;
    this.unkTok = -1;
  }

  /** Appends a symbol (after any pending unknown run). */
  add(t: number, s: number, e: number): void {
    if (this.unkTok >= 0) this.flushUnknown();
    this.push(t, s, e);
  }

  /** An unknown character at [s, e): its own unknown token, or joined to the run before it when `fuse`. */
  addUnknown(unk: number, fuse: boolean, s: number, e: number): void {
    if (this.unkTok >= 0 && fuse) {
      this.unkEnd = e;
      return;
    }
    if (this.unkTok >= 0) this.flushUnknown();
    this.unkTok = unk;
    this.unkStart = s;
    this.unkEnd = e;
  }

  /** Adds a pending unknown run; call once all symbols are added. */
  flushUnknown(): void {
    if (this.unkTok < 0) return;
    this.push(this.unkTok, this.unkStart, this.unkEnd);
    this.unkTok = -1;
  }

  /** Appends a byte-fallback symbol: like Rust, before a pending unknown run, which goes on after it. */
  addByte(t: number, s: number, e: number): void {
    this.push(t, s, e);
  }

  private push(t: number, s: number, e: number): void {
    if (this.n === this.sc.length) {
      this.sc = grown(this.sc, this.n * 2);
      this.w0 = grown(this.w0, this.n * 2);
      this.w1 = grown(this.w1, this.n * 2);
    }
    this.sc[this.n] = t;
    this.w0[this.n] = s;
    this.w1[this.n] = e;
    this.n++;
  }

  /** Links symbols [from, to) and queues the merges that start there (every symbol must be added first). */
  link(from: number, to: number): void {
    const n = this.n;
    if (from === 0 && this.prev.length < n) {
      this.prev = new Int32Array(this.sc.length);
      this.next = new Int32Array(this.sc.length);
    }
    // Each merge queues at most two new pairs: at most 3n entries.
    if (from === 0 && this.heapKey.length < 3 * n) {
      this.heapKey = new Float64Array(3 * this.sc.length);
      this.heapNew = new Int32Array(3 * this.sc.length);
    }
    const { sc, prev, next, merges, result } = this;
    for (let k = from; k < to; k++) {
      prev[k] = k - 1;
      next[k] = k + 1 < n ? k + 1 : -1;
      if (k + 1 < n) {
        const r = merges.get(sc[k], sc[k + 1]);
        if (r >= 0) this.heapPush(r * POS_SCALE + k, result[r]);
      }
    }
  }

  /** Does up to `limit` heap pops (lowest rank, then leftmost, first); true once no merge is left. */
  mergeSome(limit: number): boolean {
    const { sc, prev, next, w1, heapKey: keys, heapNew: news, merges, result } = this;
    for (let pops = 0; pops < limit; pops++) {
      if (this.size === 0) return true;
      const topKey = keys[0];
      const topNew = news[0];
      // pop
      const size = --this.size;
      if (size > 0) {
        const lastKey = keys[size];
        const lastNew = news[size];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && keys[c + 1] < keys[c]) c++;
          if (keys[c] >= lastKey) break;
          keys[i] = keys[c];
          news[i] = news[c];
          i = c;
        }
        keys[i] = lastKey;
        news[i] = lastNew;
      }
      const pos = topKey % POS_SCALE;
      if (sc[pos] < 0) continue; // removed symbol
      const right = next[pos];
      if (right < 0) continue;
      const r = merges.get(sc[pos], sc[right]);
      if (r < 0 || result[r] !== topNew) continue; // stale entry
      // merge
      sc[pos] = topNew;
      w1[pos] = w1[right];
      sc[right] = -1;
      const after = next[right];
      next[pos] = after;
      if (after >= 0) prev[after] = pos;
      const before = prev[pos];
      if (before >= 0) {
        const rp = merges.get(sc[before], topNew);
        if (rp >= 0) this.heapPush(rp * POS_SCALE + before, result[rp]);
      }
      if (after >= 0) {
        const rn = merges.get(topNew, sc[after]);
        if (rn >= 0) this.heapPush(rn * POS_SCALE + pos, result[rn]);
      }
    }
    return this.size === 0;
  }

  /** The merged symbols, in order, into `out`. */
  emit(out: TokenSink): void {
    if (this.n === 0) return;
    const { sc, w0, w1, next } = this;
    for (let k = 0; k >= 0; k = next[k]) out.push(sc[k], w0[k], w1[k]);
  }

  private heapPush(key: number, nw: number): void {
    const keys = this.heapKey;
    const news = this.heapNew;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      keys[i] = keys[p];
      news[i] = news[p];
      i = p;
    }
    keys[i] = key;
    news[i] = nw;
  }
}

function grown(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
