/**
 * The mergeable ranks of an encoding as one flat byte array plus an open-addressing hash table keyed
 * by byte content, so a rank lookup hashes a byte range in place (no string or array building).
 */

/** Parsed form of js-tiktoken's `bpe_ranks` text: lines of `<tag> <first rank> <base64> <base64> …`. */
export class ByteVocab {
  /** All token bytes, token `r` at `[offsets[r], offsets[r + 1])` (empty for unused ranks). */
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  /** Highest mergeable rank + 1. */
  readonly rankLimit: number;
  /** Rank of each single byte. */
  readonly byteRank: Int32Array;
  /**
   * Bit `(x << 8) | y` is set when some token holds byte x directly followed by byte y. Where it is
   * clear, no token can span that spot, so a long piece splits there into pieces merged on their own.
   */
  readonly innerPairs: Int32Array;
  private cuts: CutTables | undefined;
  private readonly slots: Int32Array;
  private readonly slotHash: Int32Array;
  private readonly mask: number;

  constructor(bpeRanks: string) {
    const { bytes, offsets, rankLimit } = parseRanks(bpeRanks);
    this.bytes = bytes;
    this.offsets = offsets;
    this.rankLimit = rankLimit;

    let size = 1;
    while (size < rankLimit * 2) size <<= 1;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    this.slotHash = new Int32Array(size);
    for (let r = 0; r < rankLimit; r++) {
      const a = offsets[r];
      const b = offsets[r + 1];
      if (a === b) continue;
      const h = hashBytes(bytes, a, b);
      let idx = h & this.mask;
      while (this.slots[idx] !== -1) {
        const o = this.slots[idx];
        if (this.slotHash[idx] === h && equalBytes(bytes, a, b, bytes, offsets[o], offsets[o + 1])) {
          throw new Error(`rank file lists the same bytes twice (ranks ${o} and ${r})`);
        }
        idx = (idx + 1) & this.mask;
      }
      this.slots[idx] = r;
      this.slotHash[idx] = h;
    }
    this.innerPairs = new Int32Array(65536 >> 5);
    for (let r = 0; r < rankLimit; r++) {
      for (let k = offsets[r]; k + 1 < offsets[r + 1]; k++) {
        const pair = (bytes[k] << 8) | bytes[k + 1];
        this.innerPairs[pair >> 5] |= 1 << (pair & 31);
      }
    }
    this.byteRank = new Int32Array(256);
    const one = new Uint8Array(1);
    for (let v = 0; v < 256; v++) {
      one[0] = v;
      const r = this.rankOf(one, 0, 1);
      if (r < 0) throw new Error(`rank file has no token for byte 0x${v.toString(16)}`);
      this.byteRank[v] = r;
    }
  }

  /** Rank of the bytes `buf[a..b)`, or -1 if they are not one token. */
  rankOf(buf: Uint8Array, a: number, b: number): number {
    const h = hashBytes(buf, a, b);
    const slots = this.slots;
    const mask = this.mask;
    let idx = h & mask;
    for (;;) {
      const r = slots[idx];
      if (r === -1) return -1;
      if (this.slotHash[idx] === h) {
        const o = this.offsets[r];
        if (this.offsets[r + 1] - o === b - a) {
          const bytes = this.bytes;
          let k = 0;
          const n = b - a;
          while (k < n && bytes[o + k] === buf[a + k]) k++;
          if (k === n) return r;
        }
      }
      idx = (idx + 1) & mask;
    }
  }

  /**
   * Byte triples inside tokens and byte pairs that start or end a token (bitsets, 2 MB in all), built on
   * the first long piece: they find more spots no token can span (see BytePairMerger.mergeSplit).
   */
  cutTables(): CutTables {
    if (this.cuts) return this.cuts;
    const triples = new Int32Array((1 << 24) >> 5);
    const starts = new Int32Array(65536 >> 5);
    const ends = new Int32Array(65536 >> 5);
    const { bytes, offsets } = this;
    for (let r = 0; r < this.rankLimit; r++) {
      const a = offsets[r];
      const b = offsets[r + 1];
      if (b - a < 2) continue;
      const first = (bytes[a] << 8) | bytes[a + 1];
      starts[first >> 5] |= 1 << (first & 31);
      const last = (bytes[b - 2] << 8) | bytes[b - 1];
      ends[last >> 5] |= 1 << (last & 31);
      for (let k = a; k + 2 < b; k++) {
        const t = (bytes[k] << 16) | (bytes[k + 1] << 8) | bytes[k + 2];
        triples[t >> 5] |= 1 << (t & 31);
      }
    }
    return (this.cuts = { triples, starts, ends });
  }

  /** Bytes of a mergeable rank (a view; callers copy before handing it out). */
  bytesOf(rank: number): Uint8Array | undefined {
    if (rank < 0 || rank >= this.rankLimit) return undefined;
    const a = this.offsets[rank];
    const b = this.offsets[rank + 1];
    return a === b ? undefined : this.bytes.subarray(a, b);
  }
}

/** Bitsets over byte triples `(x << 16) | (y << 8) | z` and byte pairs `(x << 8) | y`. */
export interface CutTables {
  /** Some token holds x y z in a row. */
  triples: Int32Array;
  /** Some token of 2+ bytes starts with x y. */
  starts: Int32Array;
  /** Some token of 2+ bytes ends with x y. */
  ends: Int32Array;
}

/** FNV-1a over a byte range. */
function hashBytes(buf: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h;
}

function equalBytes(x: Uint8Array, xa: number, xb: number, y: Uint8Array, ya: number, yb: number): boolean {
  if (xb - xa !== yb - ya) return false;
  for (let i = 0; i < xb - xa; i++) if (x[xa + i] !== y[ya + i]) return false;
  return true;
}

const B64 = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

function parseRanks(text: string): { bytes: Uint8Array; offsets: Int32Array; rankLimit: number } {
  // First pass: the rank range, so offsets can be indexed by rank (ranks may have gaps, e.g. p50k's 50256).
  let rankLimit = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    const first = Number.parseInt(parts[1] ?? '', 10);
    if (!Number.isInteger(first) || first < 0) throw new Error(`bad rank line start: ${line.slice(0, 40)}`);
    rankLimit = Math.max(rankLimit, first + parts.length - 2);
  }
  const bytes = new Uint8Array(Math.ceil(text.length * 0.75));
  const starts = new Int32Array(rankLimit).fill(-1);
  const ends = new Int32Array(rankLimit);
  let w = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // <tag> <first rank>
    while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 10) i++;
    if (i >= n || text.charCodeAt(i) === 10) {
      i++;
      continue;
    }
    i++;
    let rank = 0;
    while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 10) rank = rank * 10 + (text.charCodeAt(i++) - 48);
    while (i < n && text.charCodeAt(i) === 32) {
      i++;
      const start = w;
      let acc = 0;
      let bits = 0;
      for (; i < n; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 32 || ch === 10) break;
        if (ch === 61) continue; // '=' padding
        const v = ch < 128 ? B64[ch] : -1;
        if (v < 0) throw new Error(`bad base64 character ${JSON.stringify(text[i])} in rank ${rank}`);
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          bytes[w++] = (acc >> bits) & 0xff;
        }
      }
      if (starts[rank] !== -1) throw new Error(`rank ${rank} listed twice`);
      starts[rank] = start;
      ends[rank] = w;
      rank++;
    }
  }
  // Offsets in rank order; our byte writes were already in rank order per line, but lines need not be.
  const offsets = new Int32Array(rankLimit + 1);
  const ordered = new Uint8Array(w);
  let o = 0;
  for (let r = 0; r < rankLimit; r++) {
    offsets[r] = o;
    if (starts[r] >= 0) {
      ordered.set(bytes.subarray(starts[r], ends[r]), o);
      o += ends[r] - starts[r];
    }
  }
  offsets[rankLimit] = o;
  return { bytes: ordered, offsets, rankLimit };
}
