/**
 * Hand-written equivalents of tiktoken's pre-tokenizer regexes (the `pat_str` of each encoding), as
 * tiktoken's Rust core runs them (fancy-regex, leftmost-first backtracking, Unicode tables of regex-syntax).
 *
 * Why not a JS RegExp? JS `\s` differs from Rust's (U+FEFF is \s in JS, U+0085 is not), `(?i:'s)` also
 * matches U+017F in Rust, and backtracking alternatives such as `\s+(?!\S)` cost extra passes. Scanning
 * code points over a class table is exact and linear: every branch below scans forward over runs and
 * at most once backwards over the same run, and each run is consumed by a bounded number of pieces.
 *
 * A scanner returns the end (exclusive, UTF-16 index) of the piece starting at `i`; `end` is the end of the
 * current segment (text end or the start of a special token), which the regex sees as end of input.
 */
import * as classes from './charClasses';

export type PieceScanner = (s: string, i: number, end: number) => number;

/**
 * The three pattern families of the supported encodings, plus Qwen 2/2.5/3's variant of cl100k's (one
 * digit per piece instead of up to three), which tokenizer.json files use (hfTokenizer/).
 */
export type PatternKind = 'gpt2' | 'cl100k' | 'o200k' | 'cl100kSingleDigit';

// The pat_str values as shipped in js-tiktoken's rank files (tiktoken's own strings use `(?i:…)`; same language).
export const KNOWN_PATTERNS: Record<Exclude<PatternKind, 'cl100kSingleDigit'>, string> = {
  gpt2: "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
  cl100k:
    "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  o200k:
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
};

/** Which scanner implements a pat_str, or undefined if it is not one we know. */
export function patternKindOf(patStr: string): PatternKind | undefined {
  for (const k of Object.keys(KNOWN_PATTERNS) as Array<keyof typeof KNOWN_PATTERNS>) if (KNOWN_PATTERNS[k] === patStr) return k;
  return undefined;
}

export function createScanner(kind: PatternKind): PieceScanner {
  const T = classes.classTable();
  // Local copies: module bindings may compile to getters (tsx/CJS), which would sit in every hot loop.
  const { M_LETTER, M_LOWERISH, M_NL, M_NUM, M_PREFIX, M_PUNCT, M_SPACE, M_UPPERISH } = classes;

  /** Class of the code point at i (a lone surrogate is OTHER through the table). */
  function clsAt(s: string, i: number, end: number): number {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return T[((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000];
    }
    return T[c];
  }

  function widthAt(s: string, i: number, end: number): number {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return 2;
    }
    return 1;
  }

  /** Start of the code point that ends at i (i > lo); consistent with forward decoding. */
  function prevStart(s: string, i: number, lo: number): number {
    const d = s.charCodeAt(i - 1);
    if (d >= 0xdc00 && d <= 0xdfff && i - 2 >= lo) {
      const c = s.charCodeAt(i - 2);
      if (c >= 0xd800 && c <= 0xdbff) return i - 2;
    }
    return i - 1;
  }

  /** First index >= i whose code point's class is not in `mask`. */
  function runEnd(s: string, i: number, end: number, mask: number): number {
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          if (((1 << T[((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000]) & mask) === 0) return i;
          i += 2;
          continue;
        }
      }
      if (((1 << T[c]) & mask) === 0) return i;
      i++;
    }
    return i;
  }

  /** `'s|'t|'re|'ve|'m|'ll|'d` at i, case-insensitive in Rust's sense (so `'ſ` matches `'s`); -1 if none. */
  function contraction(s: string, i: number, end: number, ignoreCase: boolean): number {
    if (i + 1 >= end || s.charCodeAt(i) !== 39) return -1;
    let d = s.charCodeAt(i + 1);
    if (ignoreCase) {
      if (d >= 65 && d <= 90) d += 32;
      else if (d === 0x17f) d = 115;
    }
    if (d === 115 || d === 116 || d === 109 || d === 100) return i + 2;
    if (i + 2 < end) {
      let e = s.charCodeAt(i + 2);
      if (ignoreCase && e >= 65 && e <= 90) e += 32;
      if ((e === 101 && (d === 114 || d === 118)) || (e === 108 && d === 108)) return i + 3;
    }
    return -1;
  }

  /** `\p{N}{1,max}` at i (i is known to be a number). */
  function upToThreeNumbers(s: string, i: number, end: number, max = 3): number {
    for (let n = 0; n < max && i < end && ((1 << clsAt(s, i, end)) & M_NUM) !== 0; n++) i += widthAt(s, i, end);
    return i;
  }

  /** `\s*[\r\n]+|\s+(?!\S)|\s+` at i (i is known to be whitespace). */
  function whitespace(s: string, i: number, end: number, newlineRule: boolean): number {
    const k = runEnd(s, i, end, M_SPACE);
    if (newlineRule) {
      // \s* backs off from the run's end to the last newline, which [\r\n]+ then takes.
      for (let p = k - 1; p >= i; p--) {
        const ch = s.charCodeAt(p);
        if (ch === 10 || ch === 13) return p + 1;
      }
    }
    // \s+(?!\S): the whole run at the end of input, else all but its last char; a single char: \s+.
    if (k === end || k - i === 1) return k;
    return k - 1;
  }

  function gpt2(s: string, i: number, end: number): number {
    const c = s.charCodeAt(i);
    if (c === 39) {
      const e = contraction(s, i, end, false);
      if (e > 0) return e;
    }
    const j = c === 32 && i + 1 < end ? i + 1 : i;
    const b = 1 << clsAt(s, j, end);
    if (b & M_LETTER) return runEnd(s, j, end, M_LETTER);
    if (b & M_NUM) return runEnd(s, j, end, M_NUM);
    if (b & M_PUNCT) return runEnd(s, j, end, M_PUNCT);
    return whitespace(s, i, end, false);
  }

  function cl100k(s: string, i: number, end: number, digits = 3): number {
    const c = s.charCodeAt(i);
    if (c === 39) {
      const e = contraction(s, i, end, true);
      if (e > 0) return e;
    }
    const b = 1 << clsAt(s, i, end);
    if (b & M_LETTER) return runEnd(s, i, end, M_LETTER);
    if (b & M_PREFIX) {
      const j = i + widthAt(s, i, end);
      if (j < end && ((1 << clsAt(s, j, end)) & M_LETTER) !== 0) return runEnd(s, j, end, M_LETTER);
    }
    if (b & M_NUM) return upToThreeNumbers(s, i, end, digits);
    if (c === 32 && i + 1 < end && ((1 << clsAt(s, i + 1, end)) & M_PUNCT) !== 0) {
      return runEnd(s, runEnd(s, i + 1, end, M_PUNCT), end, M_NL);
    }
    if (b & M_PUNCT) return runEnd(s, runEnd(s, i, end, M_PUNCT), end, M_NL);
    return whitespace(s, i, end, true);
  }

  /**
   * `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+` at q with backtracking semantics: the
   * greedy first part backs off until the second can start; -1 if it never can.
   */
  function upperThenLower(s: string, q: number, end: number): number {
    if (q >= end) return -1;
    let p = runEnd(s, q, end, M_UPPERISH);
    if (p < end && ((1 << clsAt(s, p, end)) & M_LOWERISH) !== 0) return runEnd(s, p, end, M_LOWERISH);
    while (p > q) {
      p = prevStart(s, p, q);
      if (((1 << clsAt(s, p, end)) & M_LOWERISH) !== 0) return runEnd(s, p, end, M_LOWERISH);
    }
    return -1;
  }

  function withContraction(s: string, e: number, end: number): number {
    const x = contraction(s, e, end, true);
    return x > 0 ? x : e;
  }

  function o200k(s: string, i: number, end: number): number {
    const c = s.charCodeAt(i);
    const b = 1 << clsAt(s, i, end);
    if (b & (M_PREFIX | M_UPPERISH | M_LOWERISH)) {
      const j = i + widthAt(s, i, end);
      // Alternative 1: [^\r\n\p{L}\p{N}]? UPPERISH* LOWERISH+ contraction?
      if (b & M_PREFIX) {
        const e = upperThenLower(s, j, end);
        if (e >= 0) return withContraction(s, e, end);
      }
      if (b & (M_UPPERISH | M_LOWERISH)) {
        const e = upperThenLower(s, i, end);
        if (e >= 0) return withContraction(s, e, end);
      }
      // Alternative 2: [^\r\n\p{L}\p{N}]? UPPERISH+ LOWERISH* contraction?
      if (b & M_PREFIX && j < end && ((1 << clsAt(s, j, end)) & M_UPPERISH) !== 0) {
        return withContraction(s, runEnd(s, runEnd(s, j, end, M_UPPERISH), end, M_LOWERISH), end);
      }
      if (b & M_UPPERISH) {
        return withContraction(s, runEnd(s, runEnd(s, i, end, M_UPPERISH), end, M_LOWERISH), end);
      }
    }
    if (b & M_NUM) return upToThreeNumbers(s, i, end);
    let p = -1;
    if (c === 32 && i + 1 < end && ((1 << clsAt(s, i + 1, end)) & M_PUNCT) !== 0) p = runEnd(s, i + 1, end, M_PUNCT);
    else if (b & M_PUNCT) p = runEnd(s, i, end, M_PUNCT);
    if (p >= 0) {
      // [\r\n/]*
      while (p < end) {
        const ch = s.charCodeAt(p);
        if (ch !== 10 && ch !== 13 && ch !== 47) break;
        p++;
      }
      return p;
    }
    return whitespace(s, i, end, true);
  }

  switch (kind) {
    case 'gpt2':
      return gpt2;
    case 'cl100k':
      return cl100k;
    case 'o200k':
      return o200k;
    case 'cl100kSingleDigit':
      return (s, i, end) => cl100k(s, i, end, 1);
  }
}
