/**
 * A string being normalized / pre-tokenized, with the UTF-16 range of the ORIGINAL text that each of its
 * UTF-16 units came from. This is how token spans survive normalizers that insert (Prepend "▁"), replace
 * (" " → "▁"), expand (ﬁ → fi) and recompose (e + ◌́ → é).
 *
 * Conventions:
 * - A unit that came from original units [s, e) maps to [s, e); a composed character maps to the whole
 *   range of what it was composed from.
 * - A unit that was inserted (not from the text) maps to the empty range [p, p) at its insertion point.
 * - An unchanged stretch costs nothing: `starts === null` means unit k maps to [base + k, base + k + 1).
 */
export class Aligned {
  private constructor(
    readonly text: string,
    private readonly starts: Int32Array | null,
    private readonly ends: Int32Array | null,
    private readonly base: number,
  ) {}

  static identity(text: string, base = 0): Aligned {
    return new Aligned(text, null, null, base);
  }

  static mapped(text: string, starts: Int32Array, ends: Int32Array): Aligned {
    return new Aligned(text, starts, ends, 0);
  }

  get length(): number {
    return this.text.length;
  }

  get isIdentity(): boolean {
    return this.starts === null;
  }

  startOf(k: number): number {
    return this.starts ? this.starts[k] : this.base + k;
  }

  endOf(k: number): number {
    return this.ends ? this.ends[k] : this.base + k + 1;
  }

  /** Where in the original text this string begins (an empty string: where it was cut from). */
  get originalStart(): number {
    if (!this.starts) return this.base;
    return this.starts.length ? this.starts[0] : this.base;
  }

  slice(a: number, b: number): Aligned {
    if (a === 0 && b === this.text.length) return this;
    const text = this.text.slice(a, b);
    if (!this.starts) return new Aligned(text, null, null, this.base + a);
    // base remembers the cut point, for an empty slice
    const n = this.text.length;
    const cut = a < n ? this.startOf(a) : n ? this.endOf(n - 1) : this.base;
    return new Aligned(text, this.starts.subarray(a, b), this.ends!.subarray(a, b), cut);
  }

  /**
   * Original span of units [a, b): from the smallest start to the largest end among units that came from
   * the text; when all of them were inserted, the empty range at the first one's insertion point.
   */
  span(a: number, b: number): [number, number] {
    if (!this.starts) return [this.base + a, this.base + b];
    const s = this.starts;
    const e = this.ends!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = a; k < b; k++) {
      if (e[k] > s[k]) {
        if (s[k] < lo) lo = s[k];
        if (e[k] > hi) hi = e[k];
      }
    }
    if (lo === Infinity) return [s[a], s[a]];
    return [lo, hi];
  }
}

/** Builds an Aligned string piece by piece. */
export class AlignedBuilder {
  private text: string[] = [];
  private starts: Int32Array;
  private ends: Int32Array;
  private n = 0;
  /** True while every unit appended maps to itself one to one (an identity result is cheaper). */
  private identityFrom: number | null | undefined = undefined;

  constructor(capacity: number) {
    this.starts = new Int32Array(Math.max(16, capacity));
    this.ends = new Int32Array(Math.max(16, capacity));
  }

  private reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.starts.length) return;
    const cap = Math.max(need, this.starts.length * 2);
    const s = new Int32Array(cap);
    s.set(this.starts.subarray(0, this.n));
    const e = new Int32Array(cap);
    e.set(this.ends.subarray(0, this.n));
    this.starts = s;
    this.ends = e;
  }

  /** Appends `units` (any string), every unit mapping to original [start, end). */
  push(units: string, start: number, end: number): void {
    const len = units.length;
    if (len === 0) return;
    this.reserve(len);
    for (let k = 0; k < len; k++) {
      this.starts[this.n + k] = start;
      this.ends[this.n + k] = end;
    }
    this.track(len === 1 && end === start + 1 ? start : null, len);
    this.n += len;
    this.text.push(units);
  }

  /** Appends units [a, b) of `src` with their own mapping. */
  pushFrom(src: Aligned, a: number, b: number): void {
    if (b <= a) return;
    this.reserve(b - a);
    let identity = true;
    for (let k = a; k < b; k++) {
      const s = src.startOf(k);
      const e = src.endOf(k);
      this.starts[this.n + k - a] = s;
      this.ends[this.n + k - a] = e;
      if (e !== s + 1 || s !== src.startOf(a) + (k - a)) identity = false;
    }
    this.track(identity ? src.startOf(a) : null, b - a);
    this.n += b - a;
    this.text.push(src.text.slice(a, b));
  }

  private track(startIfIdentity: number | null, _len: number): void {
    if (this.identityFrom === null) return;
    if (startIfIdentity === null) {
      this.identityFrom = null;
      return;
    }
    if (this.identityFrom === undefined) this.identityFrom = startIfIdentity;
    else if (startIfIdentity !== this.identityFrom + this.n) this.identityFrom = null;
  }

  finish(emptyAt: number): Aligned {
    const text = this.text.join('');
    if (this.n === 0) return Aligned.identity('', emptyAt);
    if (typeof this.identityFrom === 'number') return Aligned.identity(text, this.identityFrom);
    return Aligned.mapped(text, this.starts.slice(0, this.n), this.ends.slice(0, this.n));
  }
}
