/**
 * Unicode data pinned to the Rust reference's version (16.0; see scripts/gen-hf-unicode-tables.mjs for why
 * not the JS engine's \p{…}): the general category of every code point, regex-syntax's \w and White_Space,
 * and JS regex class text built from them so translated patterns match exactly what Oniguruma matches.
 */
import { CATEGORY_NAMES, CATEGORY_RUNS, LEGACY_CATEGORY_RUNS, NEW_SINCE_9_RUNS, PERL_WORD_RUNS, WHITE_SPACE_RUNS } from './unicodeTables.generated';
import { decodeRuns } from '../tokenizer/charClasses';

export type Category = (typeof CATEGORY_NAMES)[number];

let categories: Uint8Array | undefined;
let perlWord: Uint8Array | undefined;
let whiteSpace: Uint8Array | undefined;
let legacy: Uint8Array | undefined;
let newSince9: Uint8Array | undefined;

/** 1 for code points Unicode 9 did not assign: Rust tokenizers' normalization leaves them alone. */
export function newSince9Table(): Uint8Array {
  return (newSince9 ??= decodeRuns(NEW_SINCE_9_RUNS));
}

export const LEGACY_CONTROL = 1;
export const LEGACY_FORMAT = 2;
export const LEGACY_NONSPACING_MARK = 3;
export const LEGACY_PUNCTUATION = 4;

/**
 * The `unicode_categories` 0.1.1 crate's view (Unicode 9) used by the BERT normalizer and the Punctuation
 * and BERT pre-tokenizers: LEGACY_CONTROL / _FORMAT / _NONSPACING_MARK / _PUNCTUATION or 0.
 */
export function legacyCategoryTable(): Uint8Array {
  return (legacy ??= decodeRuns(LEGACY_CATEGORY_RUNS));
}

/** Category index (into CATEGORY_NAMES) of every code point. */
export function categoryTable(): Uint8Array {
  return (categories ??= decodeRuns(CATEGORY_RUNS));
}

/** 1 where regex-syntax's \w matches (Alphabetic, M, Nd, Pc, Join_Control). */
export function perlWordTable(): Uint8Array {
  return (perlWord ??= decodeRuns(PERL_WORD_RUNS));
}

/** 1 for White_Space (Rust's char::is_whitespace, Oniguruma's and regex-syntax's \s). */
export function whiteSpaceTable(): Uint8Array {
  return (whiteSpace ??= decodeRuns(WHITE_SPACE_RUNS));
}

export function isWhiteSpace(cp: number): boolean {
  return whiteSpaceTable()[cp] === 1;
}

/** Category indices of a short (`L`, `Lu`, `P`…) or long (`Letter`, `Uppercase_Letter`…) category name. */
export function categoriesNamed(name: string): number[] | undefined {
  const key = name.replace(/[\s_-]/g, '').toLowerCase();
  const short = LONG_NAMES[key] ?? name;
  const out: number[] = [];
  CATEGORY_NAMES.forEach((c, i) => {
    if (c === short || (short.length === 1 && c[0] === short)) out.push(i);
  });
  if (short === 'LC') out.push(...['Lu', 'Ll', 'Lt'].map((c) => CATEGORY_NAMES.indexOf(c as Category)));
  return out.length ? out : undefined;
}

const LONG_NAMES: Record<string, string> = {
  letter: 'L',
  casedletter: 'LC',
  uppercaseletter: 'Lu',
  lowercaseletter: 'Ll',
  titlecaseletter: 'Lt',
  modifierletter: 'Lm',
  otherletter: 'Lo',
  mark: 'M',
  combiningmark: 'M',
  nonspacingmark: 'Mn',
  spacingmark: 'Mc',
  enclosingmark: 'Me',
  number: 'N',
  decimalnumber: 'Nd',
  digit: 'Nd',
  letternumber: 'Nl',
  othernumber: 'No',
  punctuation: 'P',
  punct: 'P',
  connectorpunctuation: 'Pc',
  dashpunctuation: 'Pd',
  openpunctuation: 'Ps',
  closepunctuation: 'Pe',
  initialpunctuation: 'Pi',
  finalpunctuation: 'Pf',
  otherpunctuation: 'Po',
  symbol: 'S',
  mathsymbol: 'Sm',
  currencysymbol: 'Sc',
  modifiersymbol: 'Sk',
  othersymbol: 'So',
  separator: 'Z',
  spaceseparator: 'Zs',
  lineseparator: 'Zl',
  paragraphseparator: 'Zp',
  other: 'C',
  control: 'Cc',
  cntrl: 'Cc',
  format: 'Cf',
  surrogate: 'Cs',
  privateuse: 'Co',
  unassigned: 'Cn',
  l: 'L',
  lc: 'LC',
  lu: 'Lu',
  ll: 'Ll',
  lt: 'Lt',
  lm: 'Lm',
  lo: 'Lo',
  m: 'M',
  mn: 'Mn',
  mc: 'Mc',
  me: 'Me',
  n: 'N',
  nd: 'Nd',
  nl: 'Nl',
  no: 'No',
  p: 'P',
  pc: 'Pc',
  pd: 'Pd',
  ps: 'Ps',
  pe: 'Pe',
  pi: 'Pi',
  pf: 'Pf',
  po: 'Po',
  s: 'S',
  sm: 'Sm',
  sc: 'Sc',
  sk: 'Sk',
  so: 'So',
  z: 'Z',
  zs: 'Zs',
  zl: 'Zl',
  zp: 'Zp',
  c: 'C',
  cc: 'Cc',
  cf: 'Cf',
  cs: 'Cs',
  co: 'Co',
  cn: 'Cn',
};

/** A set of code points as sorted inclusive ranges. */
export type Ranges = Array<[number, number]>;

/** Ranges of the code points where `member(cp)` holds. */
export function rangesWhere(member: (cp: number) => boolean): Ranges {
  const out: Ranges = [];
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const inside = cp < 0x110000 && member(cp);
    if (inside && start < 0) start = cp;
    else if (!inside && start >= 0) {
      out.push([start, cp - 1]);
      start = -1;
    }
  }
  return out;
}

const rangeCache = new Map<string, Ranges>();

/** Cached ranges of one named set ('cat:L', 'white', 'word', …). */
export function namedRanges(key: string, member: (cp: number) => boolean): Ranges {
  let r = rangeCache.get(key);
  if (!r) {
    r = rangesWhere(member);
    rangeCache.set(key, r);
  }
  return r;
}

/** Ranges of a category set (indices into CATEGORY_NAMES). */
export function categoryRanges(indices: number[]): Ranges {
  const t = categoryTable();
  const set = new Uint8Array(CATEGORY_NAMES.length);
  for (const i of indices) set[i] = 1;
  return namedRanges(`cat:${[...indices].sort((a, b) => a - b).join(',')}`, (cp) => set[t[cp]] === 1);
}

export function whiteSpaceRanges(): Ranges {
  const t = whiteSpaceTable();
  return namedRanges('white', (cp) => t[cp] === 1);
}

/** Text of JS regex class items (for use inside `[…]` with the `u` flag) covering `ranges`. */
export function classItems(ranges: Ranges): string {
  let s = '';
  for (const [lo, hi] of ranges) {
    s += lo === hi ? escapeCodePoint(lo) : `${escapeCodePoint(lo)}-${escapeCodePoint(hi)}`;
  }
  return s;
}

export function escapeCodePoint(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}
