/**
 * tiktoken's byte-pair merge: start from single bytes and repeatedly merge the adjacent pair whose
 * concatenation has the lowest rank, the leftmost one on ties, until no adjacent pair is a token.
 *
 * Short pieces use tiktoken's own array scan (quadratic but tiny). Long pieces (no whitespace for
 * thousands of characters) keep the parts in a linked list and the candidate pairs in per-rank buckets
 * (RankBuckets): about O(n) instead of O(n²), with exactly tiktoken's order. Before that, a long piece is
 * cut where no token can span two neighbouring bytes (mergeSplit), so most of it merges in short segments.
 */
import type { ByteVocab } from './byteVocab';

const NO_RANK = 0x7fffffff;
/** Pieces up to this many bytes use the array scan. */
const SMALL_PIECE = 192;
/** Segments of a split long piece up to this many bytes use the array scan (they are many; n² adds up). */
const SMALL_SEGMENT = 64;
const PAIR_MEMO_BITS = 16;
// Fields of a part's record in BytePairMerger.node (long pieces).
const NODE = 4;
const NEXT = 0;
const PREV = 1;
const PAIR = 2;
const TOKEN = 3;
const PAIR_MEMO_MASK = (1 << PAIR_MEMO_BITS) - 1;

export class BytePairMerger {
  /** After `merge`: token ranks in order. */
  ranks = new Int32Array(256);
  /** After `merge`: token k covers bytes `[starts[k], starts[k + 1])`. */
  starts = new Int32Array(257);

  // Scratch for the array scan.
  private pos = new Int32Array(SMALL_PIECE + 1);
  private tok = new Int32Array(SMALL_PIECE);
  private pair = new Int32Array(SMALL_PIECE);
  // Scratch for long pieces, grown on demand.
  private node = new Int32Array(0);
  private buckets: RankBuckets | undefined;
  /**
   * Direct-mapped memo (left token, right token) → rank of their concatenation, 4 ints per slot. Long
   * pieces repeat the same few thousand pairs, and one probe here is one cache line where a byte-hash
   * lookup touches three scattered ones (slot, offsets, bytes).
   */
  private readonly pairMemo = new Int32Array(4 << PAIR_MEMO_BITS).fill(-1);

  constructor(private readonly vocab: ByteVocab) {}

  /** Splits `buf[0..m)` (m >= 1) into tokens; returns how many. */
  merge(buf: Uint8Array, m: number): number {
    if (this.ranks.length < m) {
      const cap = Math.max(m, this.ranks.length * 2);
      this.ranks = new Int32Array(cap);
      this.starts = new Int32Array(cap + 1);
    }
    const n = m <= SMALL_PIECE ? this.mergeSmall(buf, 0, m, 0) : this.mergeSplit(buf, m);
    this.starts[n] = m;
    return n;
  }

  /**
   * A long piece (no whitespace for a while) is cut at spots no token can span: a pair spanning such a
   * spot never has a rank, so tiktoken's merges on either side never interact, and merging each segment
   * alone gives exactly its tokens. A token spanning the spot between bytes i-1 and i covers [s, t) with
   * s <= i-1 and t >= i+1, so it holds the pair (i-1, i) (ByteVocab.innerPairs); if s < i-1 it holds the
   * triple (i-2, i-1, i), else it starts with the pair; if t > i+1 it holds (i-1, i, i+1), else it ends
   * with the pair (ByteVocab.cutTables). Random letters fall into segments of 3–25 bytes this way.
   */
  private mergeSplit(buf: Uint8Array, m: number): number {
    const inner = this.vocab.innerPairs;
    const { triples, starts, ends } = this.vocab.cutTables();
    let n = 0;
    let a = 0;
    for (let i = 1; i < m; i++) {
      const pair = (buf[i - 1] << 8) | buf[i];
      let cut = (inner[pair >> 5] & (1 << (pair & 31))) === 0;
      if (!cut && i >= 2 && (starts[pair >> 5] & (1 << (pair & 31))) === 0) {
        const t = (buf[i - 2] << 16) | pair;
        cut = (triples[t >> 5] & (1 << (t & 31))) === 0;
      }
      if (!cut && i + 1 < m && (ends[pair >> 5] & (1 << (pair & 31))) === 0) {
        const t = (pair << 8) | buf[i + 1];
        cut = (triples[t >> 5] & (1 << (t & 31))) === 0;
      }
      if (cut) {
        n = this.mergeSegment(buf, a, i, n);
        a = i;
      }
    }
    return this.mergeSegment(buf, a, m, n);
  }

  /** Tokens of `buf[a..b)` into ranks/starts from index n; returns the new count. */
  private mergeSegment(buf: Uint8Array, a: number, b: number, n: number): number {
    if (b - a === 1) {
      this.ranks[n] = this.vocab.byteRank[buf[a]];
      this.starts[n] = a;
      return n + 1;
    }
    if (b - a <= SMALL_SEGMENT) return this.mergeSmall(buf, a, b, n);
    this.mergeLarge(buf.subarray(a, b), b - a);
    return this.collectLarge(b - a, a, n);
  }

  /** Drops scratch space grown for a huge piece (tens of MB for a 4 MB run) once its tokens are read. */
  releaseScratch(): void {
    if (this.ranks.length > 65536) {
      this.ranks = new Int32Array(256);
      this.starts = new Int32Array(257);
    }
    this.node = new Int32Array(0);
  }

  /** Rank of token `left` followed by token `right` (bytes `buf[a..b)`), through the pair memo. */
  private pairRankOf(left: number, right: number, buf: Uint8Array, a: number, b: number): number {
    const memo = this.pairMemo;
    const slot = ((Math.imul(left, 0x9e3779b1) ^ right) & PAIR_MEMO_MASK) << 2;
    if (memo[slot] === left && memo[slot + 1] === right) return memo[slot + 2];
    const r = this.rank(buf, a, b);
    memo[slot] = left;
    memo[slot + 1] = right;
    memo[slot + 2] = r;
    return r;
  }

  private rank(buf: Uint8Array, a: number, b: number): number {
    const r = this.vocab.rankOf(buf, a, b);
    return r < 0 ? NO_RANK : r;
  }

  /** tiktoken's array scan over `buf[a..b)` (at most SMALL_PIECE bytes); tokens go to ranks/starts from n. */
  private mergeSmall(buf: Uint8Array, a: number, b: number, n0: number): number {
    const pos = this.pos;
    const pair = this.pair;
    const tok = this.tok;
    const byteRank = this.vocab.byteRank;
    const m = b - a;
    for (let i = 0; i < m; i++) {
      pos[i] = a + i;
      tok[i] = byteRank[buf[a + i]];
    }
    for (let i = 0; i + 1 < m; i++) pair[i] = this.pairRankOf(tok[i], tok[i + 1], buf, a + i, a + i + 2);
    pair[m - 1] = NO_RANK;
    pos[m] = b;
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
      pair[at] = at + 1 < n ? this.pairRankOf(min, tok[at + 1], buf, pos[at], pos[at + 2]) : NO_RANK;
      if (at > 0) pair[at - 1] = this.pairRankOf(tok[at - 1], min, buf, pos[at - 1], pos[at + 1]);
    }
    const ranks = this.ranks;
    const starts = this.starts;
    for (let i = 0; i < n; i++) {
      ranks[n0 + i] = tok[i];
      starts[n0 + i] = pos[i];
    }
    return n0 + n;
  }

  // mergeLarge runs once per huge piece, so its loops are optimised on the fly (OSR); each loop lives in
  // its own method so that reaching code after a loop does not throw the optimised loop away.
  private mergeLarge(buf: Uint8Array, m: number): void {
    if (this.node.length < NODE * (m + 1)) this.node = new Int32Array(NODE * (m + 1));
    const q = (this.buckets ??= new RankBuckets(this.vocab.rankLimit));
    q.reserve(3 * m + 8);
    this.initLarge(buf, m, q);
    this.runLarge(buf, m, q);
  }

  /**
   * One 16-byte record per part, keyed by its first byte: next part, previous part, rank of the pair it
   * starts, its own token rank. A merge touches four parts; packed, that is four cache lines, not twelve.
   */
  private initLarge(buf: Uint8Array, m: number, q: RankBuckets): void {
    const nd = this.node;
    const byteRank = this.vocab.byteRank;
    for (let i = 0; i < m; i++) nd[NODE * i + TOKEN] = byteRank[buf[i]];
    for (let i = 0; i < m; i++) {
      const o = NODE * i;
      nd[o + NEXT] = i + 1;
      nd[o + PREV] = i - 1;
      const r = i + 2 <= m ? this.pairRankOf(nd[o + TOKEN], nd[o + NODE + TOKEN], buf, i, i + 2) : NO_RANK;
      nd[o + PAIR] = r;
      if (r !== NO_RANK) q.add(r, i);
    }
  }

  /**
   * Drains the buckets lowest rank first, each in position order. Merging a rank-r pair only creates pairs
   * of longer tokens, so never another rank-r pair; if one of them ranks below r, that bucket goes first and
   * the rest of bucket r waits (still in order). Entries whose pair changed since are skipped.
   */
  private runLarge(buf: Uint8Array, m: number, q: RankBuckets): void {
    const nd = this.node;
    let r = q.first(0);
    while (r >= 0) {
      q.sort(r);
      let lower = NO_RANK;
      for (let start = q.pop(r); start >= 0; start = q.pop(r)) {
        const s = NODE * start;
        if (nd[s + PAIR] !== r) continue; // stale
        const right = nd[s + NEXT];
        const after = nd[NODE * right + NEXT];
        nd[NODE * right + PAIR] = NO_RANK; // `right` is gone
        nd[s + TOKEN] = r;
        nd[s + NEXT] = after;
        let r1 = NO_RANK;
        if (after < m) {
          const a = NODE * after;
          nd[a + PREV] = start;
          r1 = this.pairRankOf(r, nd[a + TOKEN], buf, start, nd[a + NEXT]);
        }
        nd[s + PAIR] = r1;
        if (r1 !== NO_RANK) {
          q.add(r1, start);
          if (r1 < lower) lower = r1;
        }
        const before = nd[s + PREV];
        if (before >= 0) {
          const bo = NODE * before;
          const r0 = this.pairRankOf(nd[bo + TOKEN], r, buf, before, after);
          nd[bo + PAIR] = r0;
          if (r0 !== NO_RANK) {
            q.add(r0, before);
            if (r0 < lower) lower = r0;
          }
        }
        if (lower < r) break;
      }
      r = lower < r ? lower : q.first(r);
    }
  }

  /** The parts left in node (a segment of m bytes starting at byte `offset`) into ranks/starts from n. */
  private collectLarge(m: number, offset: number, n: number): number {
    const nd = this.node;
    for (let i = 0; i < m; i = nd[NODE * i + NEXT]) {
      this.ranks[n] = nd[NODE * i + TOKEN];
      this.starts[n] = offset + i;
      n++;
    }
    return n;
  }
}

/**
 * One FIFO list of pair positions per rank (in typed arrays), with a two-level bitmap to find the lowest
 * non-empty rank. Lists are appended in position order almost always; a list that was not is sorted
 * before it is drained. All lists are empty again when a merge finishes, so nothing needs resetting.
 *
 * Memory layout is for cache misses, which is what a long merge spends its time on: a rank's list head,
 * tail, tail position and sorted flag share one 16-byte record, and an entry's position and link share
 * 8 bytes, so an `add` touches two cache lines (rank record, old tail) instead of five.
 */
class RankBuckets {
  /** Per rank: [head entry or -1, tail entry, position at the tail, 1 if out of order]. */
  private readonly list: Int32Array;
  private readonly bits: Int32Array;
  private readonly summary: Int32Array;
  /** Per entry: [position, next entry or -1]. */
  private entry = new Int32Array(0);
  private used = 0;
  private scratch = new Int32Array(0);

  constructor(ranks: number) {
    this.list = new Int32Array(4 * ranks);
    for (let r = 0; r < ranks; r++) this.list[4 * r] = -1;
    this.bits = new Int32Array((ranks >> 5) + 1);
    this.summary = new Int32Array((ranks >> 10) + 1);
  }

  /** Room for this many additions in the coming merge. */
  reserve(entries: number): void {
    if (this.entry.length < 2 * entries) this.entry = new Int32Array(2 * entries);
    this.used = 0;
  }

  add(rank: number, at: number): void {
    const e = this.used++;
    const en = this.entry;
    en[2 * e] = at;
    en[2 * e + 1] = -1;
    const list = this.list;
    const l = 4 * rank;
    if (list[l] < 0) {
      list[l] = e;
      list[l + 3] = 0;
      this.bits[rank >> 5] |= 1 << (rank & 31);
      this.summary[rank >> 10] |= 1 << ((rank >> 5) & 31);
    } else {
      en[2 * list[l + 1] + 1] = e;
      if (at < list[l + 2]) list[l + 3] = 1;
    }
    list[l + 1] = e;
    list[l + 2] = at;
  }

  /** Removes and returns the first position of a rank's list, or -1 (then the rank is marked empty). */
  pop(rank: number): number {
    const l = 4 * rank;
    const e = this.list[l];
    if (e < 0) return -1;
    const en = this.entry;
    const n = en[2 * e + 1];
    this.list[l] = n;
    if (n < 0) {
      const w = rank >> 5;
      this.bits[w] &= ~(1 << (rank & 31));
      if (this.bits[w] === 0) this.summary[w >> 5] &= ~(1 << (w & 31));
    }
    return en[2 * e];
  }

  /** Puts a rank's list in position order if appends came out of order. */
  sort(rank: number): void {
    const l = 4 * rank;
    if (!this.list[l + 3]) return;
    const en = this.entry;
    let n = 0;
    for (let e = this.list[l]; e >= 0; e = en[2 * e + 1]) n++;
    if (this.scratch.length < n) this.scratch = new Int32Array(n);
    const s = this.scratch.subarray(0, n);
    let k = 0;
    for (let e = this.list[l]; e >= 0; e = en[2 * e + 1]) s[k++] = en[2 * e];
    s.sort();
    k = 0;
    for (let e = this.list[l]; e >= 0; e = en[2 * e + 1]) en[2 * e] = s[k++];
    this.list[l + 2] = s[n - 1];
    this.list[l + 3] = 0;
  }

  /** Lowest non-empty rank >= from, or -1. */
  first(from: number): number {
    let w = from >> 5;
    if (w >= this.bits.length) return -1;
    const word = this.bits[w] & (-1 << (from & 31));
    if (word !== 0) return (w << 5) + ctz(word);
    w++;
    let sw = w >> 5;
    if (sw >= this.summary.length) return -1;
    let sword = this.summary[sw] & (-1 << (w & 31));
    while (sword === 0) {
      if (++sw >= this.summary.length) return -1;
      sword = this.summary[sw];
    }
    const bw = (sw << 5) + ctz(sword);
    return (bw << 5) + ctz(this.bits[bw]);
  }
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}
