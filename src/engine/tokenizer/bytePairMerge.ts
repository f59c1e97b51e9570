/**
 * tiktoken's byte-pair merge: start from single bytes and repeatedly merge the adjacent pair whose
 * concatenation has the lowest rank, the leftmost one on ties, until no adjacent pair is a token.
 *
 * Short pieces use tiktoken's own array scan (quadratic but tiny). Long pieces (no whitespace for
 * thousands of characters) use a min-heap keyed by (rank, start byte) over a linked list of parts:
 * the heap's order is exactly "lowest rank, then leftmost", stale entries are recognised because a
 * part's pair only ever grows (so its rank changes on every merge), making this O(n log n).
 */
import type { ByteVocab } from './byteVocab';

const NO_RANK = 0x7fffffff;
/** Pieces up to this many bytes use the array scan. */
const SMALL_PIECE = 192;
const TWO_32 = 4294967296;

export class BytePairMerger {
  /** After `merge`: token ranks in order. */
  ranks = new Int32Array(256);
  /** After `merge`: token k covers bytes `[starts[k], starts[k + 1])`. */
  starts = new Int32Array(257);

  // Scratch for the array scan.
  private pos = new Int32Array(257);
  private pair = new Int32Array(256);
  // Scratch for the heap version, grown on demand.
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private pairRank = new Int32Array(0);
  private partRank = new Int32Array(0);
  private heap = new Float64Array(0);

  constructor(private readonly vocab: ByteVocab) {}

  /** Splits `buf[0..m)` (m >= 1) into tokens; returns how many. */
  merge(buf: Uint8Array, m: number): number {
    if (this.ranks.length < m) {
      const cap = Math.max(m, this.ranks.length * 2);
      this.ranks = new Int32Array(cap);
      this.starts = new Int32Array(cap + 1);
    }
    return m <= SMALL_PIECE ? this.mergeSmall(buf, m) : this.mergeLarge(buf, m);
  }

  private rank(buf: Uint8Array, a: number, b: number): number {
    const r = this.vocab.rankOf(buf, a, b);
    return r < 0 ? NO_RANK : r;
  }

  private mergeSmall(buf: Uint8Array, m: number): number {
    const pos = this.pos;
    const pair = this.pair;
    const tok = this.ranks;
    const byteRank = this.vocab.byteRank;
    for (let i = 0; i < m; i++) {
      pos[i] = i;
      tok[i] = byteRank[buf[i]];
      pair[i] = i + 2 <= m ? this.rank(buf, i, i + 2) : NO_RANK;
    }
    pos[m] = m;
    let n = m; // parts; pos has n + 1 entries
    while (n > 1) {
      let min = NO_RANK;
      let at = -1;
      for (let i = 0; i < n - 1; i++) {
        if (pair[i] < min) {
          min = pair[i];
          at = i;
        }
      }
      if (at < 0) break;
      tok[at] = min;
      for (let k = at + 1; k < n; k++) {
        pos[k] = pos[k + 1];
        tok[k] = tok[k + 1];
        pair[k] = pair[k + 1];
      }
      n--;
      pair[at] = at + 1 < n ? this.rank(buf, pos[at], pos[at + 2]) : NO_RANK;
      if (at > 0) pair[at - 1] = this.rank(buf, pos[at - 1], pos[at + 1]);
    }
    const starts = this.starts;
    for (let i = 0; i <= n; i++) starts[i] = pos[i];
    return n;
  }

  private mergeLarge(buf: Uint8Array, m: number): number {
    if (this.next.length < m + 1) {
      this.next = new Int32Array(m + 1);
      this.prev = new Int32Array(m + 1);
      this.pairRank = new Int32Array(m + 1);
      this.partRank = new Int32Array(m + 1);
      this.heap = new Float64Array(3 * m + 4);
    }
    const { next, prev, pairRank, partRank, heap } = this;
    const byteRank = this.vocab.byteRank;
    let size = 0;
    const push = (key: number): void => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p] <= key) break;
        heap[i] = heap[p];
        i = p;
      }
      heap[i] = key;
    };
    const pop = (): number => {
      const top = heap[0];
      const last = heap[--size];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && heap[c + 1] < heap[c]) c++;
        if (heap[c] >= last) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
      return top;
    };

    for (let i = 0; i < m; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      partRank[i] = byteRank[buf[i]];
      const r = i + 2 <= m ? this.rank(buf, i, i + 2) : NO_RANK;
      pairRank[i] = r;
      if (r !== NO_RANK) push(r * TWO_32 + i);
    }
    while (size > 0) {
      const key = pop();
      const rank = Math.floor(key / TWO_32);
      const start = key - rank * TWO_32;
      if (partRank[start] < 0 || pairRank[start] !== rank) continue; // stale
      const right = next[start];
      const after = next[right];
      partRank[start] = rank;
      partRank[right] = -1;
      next[start] = after;
      if (after < m) prev[after] = start;
      const r1 = after < m ? this.rank(buf, start, next[after]) : NO_RANK;
      pairRank[start] = r1;
      if (r1 !== NO_RANK) push(r1 * TWO_32 + start);
      const before = prev[start];
      if (before >= 0) {
        const r0 = this.rank(buf, before, after);
        pairRank[before] = r0;
        if (r0 !== NO_RANK) push(r0 * TWO_32 + before);
      }
    }
    let n = 0;
    for (let i = 0; i < m; i = next[i]) {
      this.ranks[n] = partRank[i];
      this.starts[n] = i;
      n++;
    }
    this.starts[n] = m;
    return n;
  }
}
