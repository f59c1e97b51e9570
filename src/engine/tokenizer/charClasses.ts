/**
 * Per-code-point character classes for the pre-tokenizer, decoded once from the generated table
 * (pinned to the Unicode tables of tiktoken's Rust regex, not to the host's ICU).
 * Lone surrogates are class OTHER: tiktoken sees them as U+FFFD (So), which is OTHER too.
 */
import { CLASS_RUNS } from './unicodeClasses.generated';

export const OTHER = 0;
export const LU = 1;
export const LT = 2;
export const LL = 3;
export const LM = 4;
export const LO = 5;
export const MARK = 6;
export const NUM = 7;
/** White_Space other than \r and \n. */
export const WS = 8;
/** \r or \n (also White_Space). */
export const NL = 9;

const bit = (c: number): number => 1 << c;
/** \p{L} */
export const M_LETTER = bit(LU) | bit(LT) | bit(LL) | bit(LM) | bit(LO);
/** \p{N} */
export const M_NUM = bit(NUM);
/** \s */
export const M_SPACE = bit(WS) | bit(NL);
/** [^\s\p{L}\p{N}] */
export const M_PUNCT = bit(OTHER) | bit(MARK);
/** [^\r\n\p{L}\p{N}] */
export const M_PREFIX = bit(OTHER) | bit(MARK) | bit(WS);
/** o200k's [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] */
export const M_UPPERISH = bit(LU) | bit(LT) | bit(LM) | bit(LO) | bit(MARK);
/** o200k's [\p{Ll}\p{Lm}\p{Lo}\p{M}] */
export const M_LOWERISH = bit(LL) | bit(LM) | bit(LO) | bit(MARK);
/** [\r\n] */
export const M_NL = bit(NL);

let table: Uint8Array | undefined;

/** Class of every code point 0..0x10FFFF (1.1 MB, built on first use in about a millisecond). */
export function classTable(): Uint8Array {
  if (table) return table;
  const t = decodeRuns(CLASS_RUNS);
  table = t;
  return t;
}

/** Value symbols of the generated run-length tables (never a base-36 digit); 'A'… is value 0…. */
const RUN_SYMBOLS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_$@#';

/**
 * Decodes a generated run-length table (a value symbol, then the run length in base 36, covering every
 * code point 0..0x10FFFF) into one byte per code point.
 */
export function decodeRuns(runs: string): Uint8Array {
  const t = new Uint8Array(0x110000);
  let pos = 0;
  let i = 0;
  while (i < runs.length) {
    const value = RUN_SYMBOLS.indexOf(runs[i++]);
    let len = 0;
    for (;;) {
      const d = i < runs.length ? runs.charCodeAt(i) : 0;
      if (d >= 48 && d <= 57) len = len * 36 + (d - 48);
      else if (d >= 97 && d <= 122) len = len * 36 + (d - 87);
      else break;
      i++;
    }
    t.fill(value, pos, pos + len);
    pos += len;
  }
  if (pos !== 0x110000) throw new Error(`corrupt Unicode table (covers ${pos} code points)`);
  return t;
}
