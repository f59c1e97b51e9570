/**
 * tiktoken's byte-pair merge: start from single bytes and repeatedly merge the adjacent pair whose
 * concatenation has the lowest rank, the leftmost one on ties, until no adjacent pair is a token.
 *
 * Short pieces use tiktoken's own array scan (quadratic but tiny). Long pieces (no whitespace for
 * thousands of characters) keep the parts in a linked list and find the next merge with a block-minimum
 * queue (BlockMinQueue): O(n·(32 + log n)) instead of O(n²), with exactly tiktoken's order.
 */
import type { ByteVocab } from './byteVocab';

const NO_RANK = 0x7fffffff;
/** Pieces up to this many bytes use the array scan. */
const SMALL_PIECE = 192;

export class BytePairMerger {
  /** After `merge`: token ranks in order. */
  ranks = new Int32Array(256);
  /** After `merge`: token k covers bytes `[starts[k], starts[k + 1])`. */
  starts = new Int32Array(257);

  // Scratch for the array scan.
  private pos = new Int32Array(257);
  private pair = new Int32Array(256);
  // Scratch for long pieces, grown on demand.
  private link = new Int32Array(0);
  private pairRank = new Int32Array(0);

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

  /** Drops scratch space grown for a huge piece (tens of MB for a 4 MB run) once its tokens are read. */
  releaseScratch(): void {
    if (this.ranks.length > 65536) {
      this.ranks = new Int32Array(256);
      this.starts = new Int32Array(257);
    }
    this.link = new Int32Array(0);
    this.pairRank = new Int32Array(0);
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

  // mergeLarge runs once per huge piece, so its loops are optimised on the fly (OSR); each loop lives in
  // its own method so that reaching code after a loop does not throw the optimised loop away.
  private mergeLarge(buf: Uint8Array, m: number): number {
    if (this.pairRank.length < m + 1) {
      this.link = new Int32Array(2 * (m + 1));
      this.pairRank = new Int32Array(m + 1);
    }
    this.initLarge(buf, m);
    this.runLarge(buf, m, new BlockMinQueue(this.pairRank, m));
    return this.collectLarge(buf, m);
  }

  /** link[2i] = next part start, link[2i + 1] = previous part start (interleaved: one cache line per part). */
  private initLarge(buf: Uint8Array, m: number): void {
    const { link, pairRank } = this;
    for (let i = 0; i < m; i++) {
      link[2 * i] = i + 1;
      link[2 * i + 1] = i - 1;
      pairRank[i] = i + 2 <= m ? this.rank(buf, i, i + 2) : NO_RANK;
    }
  }

  private runLarge(buf: Uint8Array, m: number, q: BlockMinQueue): void {
    const { link, pairRank } = this;
    for (;;) {
      const start = q.minPos();
      if (start < 0) break;
      const right = link[2 * start];
      const after = link[2 * right];
      pairRank[right] = NO_RANK; // `right` is gone
      link[2 * start] = after;
      if (after < m) link[2 * after + 1] = start;
      pairRank[start] = after < m ? this.rank(buf, start, link[2 * after]) : NO_RANK;
      const before = link[2 * start + 1];
      if (before >= 0) pairRank[before] = this.rank(buf, before, after);
      q.changed(start);
      q.changed(right);
      if (before >= 0) q.changed(before);
    }
  }

  private collectLarge(buf: Uint8Array, m: number): number {
    const link = this.link;
    let n = 0;
    for (let i = 0; i < m; i = link[2 * i]) {
      const end = link[2 * i];
      this.ranks[n] = end - i === 1 ? this.vocab.byteRank[buf[i]] : this.vocab.rankOf(buf, i, end);
      this.starts[n] = i;
      n++;
    }
    this.starts[n] = m;
    return n;
  }
}

/**
 * "Lowest rank, leftmost" over an array of pair ranks that changes a few entries at a time. A binary heap
 * over a million entries spends its time in cache misses; instead, positions are grouped in blocks of 32
 * whose minimum is found by a sequential rescan, and a small tournament tree (in cache) over block minima
 * gives the global one. Ties go to the lower position: blocks are scanned left to right with a strict `<`,
 * and the tree prefers the lower block.
 */
class BlockMinQueue {
  private static readonly SHIFT = 5;
  private readonly blockRank: Int32Array;
  private readonly blockPos: Int32Array;
  private readonly tree: Int32Array;
  private readonly leaves: number;

  constructor(
    private readonly ranks: Int32Array,
    private readonly m: number,
  ) {
    const blocks = ((m - 1) >> BlockMinQueue.SHIFT) + 1;
    let leaves = 1;
    while (leaves < blocks) leaves <<= 1;
    this.leaves = leaves;
    // Block `blocks` is a sentinel that never has a pair, used for the tree's padding leaves.
    this.blockRank = new Int32Array(blocks + 1).fill(NO_RANK);
    this.blockPos = new Int32Array(blocks + 1).fill(-1);
    this.tree = new Int32Array(2 * leaves).fill(blocks);
    for (let b = 0; b < blocks; b++) {
      this.rescan(b);
      this.tree[leaves + b] = b;
    }
    for (let i = leaves - 1; i >= 1; i--) this.tree[i] = this.better(this.tree[2 * i], this.tree[2 * i + 1]);
  }

  /** Position of the lowest-rank (then leftmost) pair, or -1 if none is left. */
  minPos(): number {
    const b = this.tree[1];
    return this.blockRank[b] === NO_RANK ? -1 : this.blockPos[b];
  }

  /** The pair rank at position p changed. */
  changed(p: number): void {
    const b = p >> BlockMinQueue.SHIFT;
    const r = this.ranks[p];
    if (this.blockPos[b] === p) {
      // The block's minimum moved: it only ever gets worse here (pairs grow), so look again.
      if (r <= this.blockRank[b]) this.blockRank[b] = r;
      else this.rescan(b);
    } else if (r < this.blockRank[b] || (r === this.blockRank[b] && p < this.blockPos[b])) {
      this.blockRank[b] = r;
      this.blockPos[b] = p;
    } else {
      return;
    }
    // Walk up while the block was the winner (it may lose now) or now beats the winner; above the first
    // node where another block stays ahead, nothing changes. (Comparisons inlined: this is the hot loop.)
    const tree = this.tree;
    const rank = this.blockRank;
    const rb = rank[b];
    for (let i = (this.leaves + b) >> 1; i >= 1; i >>= 1) {
      const w = tree[i];
      if (w === b) {
        const x = tree[2 * i];
        const y = tree[2 * i + 1];
        const rx = rank[x];
        const ry = rank[y];
        tree[i] = rx < ry || (rx === ry && x <= y) ? x : y;
      } else {
        const rw = rank[w];
        if (rb < rw || (rb === rw && b < w)) tree[i] = b;
        else break;
      }
    }
  }

  private better(x: number, y: number): number {
    const rx = this.blockRank[x];
    const ry = this.blockRank[y];
    return rx < ry || (rx === ry && x <= y) ? x : y;
  }

  private rescan(b: number): void {
    const lo = b << BlockMinQueue.SHIFT;
    const hi = Math.min(lo + (1 << BlockMinQueue.SHIFT), this.m);
    const ranks = this.ranks;
    let min = NO_RANK;
    let pos = -1;
    for (let i = lo; i < hi; i++) {
      if (ranks[i] < min) {
        min = ranks[i];
        pos = i;
      }
    }
    this.blockRank[b] = min;
    this.blockPos[b] = pos;
  }
}
