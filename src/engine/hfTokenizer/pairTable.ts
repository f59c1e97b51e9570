/**
 * A hash map from a pair of non-negative int32s to an int32 (open addressing, linear probing). BPE looks
 * up (left token, right token) for every candidate merge; a JS Map keyed by `a × count + b` would key on
 * heap doubles and take seconds to build for Gemma's 515k merges.
 */
export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected: number) {
    // At most 2/3 full: Llama 3's 280k merges fit 2^19 slots (6 MB) instead of 2^20 (12 MB), Gemma 3's 514k 2^20
    // instead of 2^21; linear probing still ends after ~3 slots on a miss, mostly in the same cache line.
    let cap = 16;
    while (cap * 2 < expected * 3) cap *= 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slot(a: number, b: number): number {
    return ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 7) & this.mask;
  }

  /** Value of (a, b), or −1. */
  get(a: number, b: number): number {
    const ka = this.keysA;
    let i = this.slot(a, b);
    for (;;) {
      const k = ka[i];
      if (k === -1) return -1;
      if (k === a && this.keysB[i] === b) return this.vals[i];
      i = (i + 1) & this.mask;
    }
  }

  /** Sets (a, b) → value (replacing an earlier value, as a later duplicate merge does in Rust). */
  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 3 > this.keysA.length * 2) this.rehash();
    let i = this.slot(a, b);
    for (;;) {
      const k = this.keysA[i];
      if (k === -1) {
        this.keysA[i] = a;
        this.keysB[i] = b;
        this.vals[i] = value;
        this.count++;
        return;
      }
      if (k === a && this.keysB[i] === b) {
        this.vals[i] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Slots in the table (entries are found by slot in `keysIn`). */
  get capacity(): number {
    return this.keysA.length;
  }

  /** The keys of the entries in slots `[from, to)` as pairs a, b into `out` (2 × (to − from) long); returns how many. */
  keysIn(from: number, to: number, out: Int32Array): number {
    const { keysA, keysB } = this;
    let n = 0;
    for (let i = from; i < to; i++) {
      const a = keysA[i];
      if (a === -1) continue;
      out[2 * n] = a;
      out[2 * n + 1] = keysB[i];
      n++;
    }
    return n;
  }

  private rehash(): void {
    const { keysA, keysB, vals } = this;
    const cap = keysA.length * 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i], keysB[i], vals[i]);
  }
}
