/**
 * tokenizer.json pre-tokenizers: each cuts aligned strings into smaller ones (pieces the model encodes
 * separately). Semantics follow Rust tokenizers 0.22 (`pre_tokenizers/*.rs`, `NormalizedString::split`).
 *
 * ByteLevel's last step (bytes → its printable alphabet) is not done here: the model reads the piece's
 * UTF-8 bytes directly (hfTokenizer.ts), which is the same thing without building the mapped strings. So a
 * ByteLevel pre-tokenizer must come last in a Sequence; anything after it is refused.
 */
import { Aligned } from './alignedString';
import { arr, bool, type Json, obj, patternOf, str, typeOf } from './configReaders';
import { invalid, unsupported } from './errors';
import { prepend } from './normalizers';
import { createMatchFinder, type MatchFinder } from './patterns';
import { createScanner, type PatternKind, type PieceScanner } from '../tokenizer/preTokenizer';
import { compileOnigPattern, rangesClass, rustWordRanges } from './onigRegex';
import { categoryTable, LEGACY_PUNCTUATION, legacyCategoryTable, whiteSpaceRanges, whiteSpaceTable } from './unicodeTables';

export type Behavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

export interface PreTokenizer {
  /** Appends the pieces of `s` to `out`. */
  split(s: Aligned, out: Aligned[]): void;
  /**
   * Fast path for pre-tokenizers that only cut (Isolated splits, ByteLevel without a prefix space): calls
   * `emit(a, b)` for each piece [a, b) of `text`, in order, without building aligned strings.
   */
  ranges?(text: string, emit: (a: number, b: number) => void): void;
}

/** Every match and every stretch between matches, as non-empty ranges (Isolated behaviour). */
function isolatedRanges(re: RegExp, text: string, emit: (a: number, b: number) => void): void {
  let prev = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      const c = text.charCodeAt(end);
      re.lastIndex = end + (c >= 0xd800 && c <= 0xdbff && end + 1 < text.length ? 2 : 1);
      if (re.lastIndex > text.length) break;
      continue;
    }
    if (start > prev) emit(prev, start);
    emit(start, end);
    prev = end;
  }
  if (prev < text.length) emit(prev, text.length);
}

export interface PreTokenizerInfo {
  pre: PreTokenizer | null;
  /** A ByteLevel pre-tokenizer ends the chain: the model sees UTF-8 bytes in its alphabet. */
  byteLevel: boolean;
}

/** GPT-2's pattern, used by ByteLevel with use_regex. */
const BYTE_LEVEL_PATTERN_TEXT = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const BYTE_LEVEL_PATTERN = BYTE_LEVEL_PATTERN_TEXT;

/**
 * Split patterns that the tiktoken engine's hand-written scanners implement exactly (same Unicode 16
 * classes, White_Space \s, Rust-style (?i) contractions with ſ): GPT-2's (also ByteLevel's own), Llama 3's
 * (= cl100k's) and Qwen's. They run several times faster than the translated RegExp.
 */
const SCANNED_PATTERNS: Record<string, PatternKind> = {
  [BYTE_LEVEL_PATTERN_TEXT]: 'gpt2',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'cl100k',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'cl100kSingleDigit',
};

/** Pieces of a whole string by a hand-written scanner (Isolated behaviour). */
function scannedRanges(scan: PieceScanner, text: string, emit: (a: number, b: number) => void): void {
  for (let i = 0; i < text.length;) {
    const j = scan(text, i, text.length);
    emit(i, j);
    i = j;
  }
}

export function createPreTokenizer(v: unknown, where = 'pre_tokenizer'): PreTokenizerInfo {
  if (v === null || v === undefined) return { pre: null, byteLevel: false };
  const o = obj(v, where);
  const type = typeOf(o, where);
  if (type === 'Sequence') {
    const items = arr(o.pretokenizers, `${where}.pretokenizers`);
    const parts: PreTokenizer[] = [];
    let byteLevel = false;
    items.forEach((item, i) => {
      if (byteLevel) throw unsupported(`${where}.pretokenizers[${i}]: a pre-tokenizer after ByteLevel is not supported`);
      const info = createPreTokenizer(item, `${where}.pretokenizers[${i}]`);
      if (info.pre) parts.push(info.pre);
      byteLevel = info.byteLevel;
    });
    return { pre: sequence(parts), byteLevel };
  }
  if (type === 'ByteLevel') {
    const addPrefixSpace = bool(o.add_prefix_space, `${where}.add_prefix_space`, true);
    const useRegex = bool(o.use_regex, `${where}.use_regex`, true);
    const find = useRegex ? createMatchFinder({ kind: 'regex', value: BYTE_LEVEL_PATTERN }) : null;
    const scan = useRegex ? createScanner('gpt2') : null;
    return {
      byteLevel: true,
      pre: {
        ranges: addPrefixSpace
          ? undefined
          : (text, emit) => {
              if (scan) scannedRanges(scan, text, emit);
              else if (text.length) emit(0, text.length);
            },
        split(s, out) {
          const t = addPrefixSpace && !s.text.startsWith(' ') ? prepend(s, ' ') : s;
          if (find) splitBy(t, matchesToSplits(t.text.length, find(t.text)), 'Isolated', false, out);
          else if (t.length) out.push(t);
        },
      },
    };
  }
  return { pre: createSimple(o, type, where), byteLevel: false };
}

function sequence(parts: PreTokenizer[]): PreTokenizer {
  if (parts.length === 1) return parts[0];
  const fast = parts.every((p) => p.ranges) ? parts : null;
  const rangesFrom = (level: number, text: string, offset: number, emit: (a: number, b: number) => void): void => {
    if (level === fast!.length - 1) {
      fast![level].ranges!(text, (a, b) => emit(offset + a, offset + b));
      return;
    }
    fast![level].ranges!(text, (a, b) => rangesFrom(level + 1, a === 0 && b === text.length ? text : text.slice(a, b), offset + a, emit));
  };
  return {
    ranges: fast ? (text, emit) => rangesFrom(0, text, 0, emit) : undefined,
    split(s, out) {
      let cur = [s];
      for (const p of parts) {
        const next: Aligned[] = [];
        for (const piece of cur) p.split(piece, next);
        cur = next;
      }
      for (const piece of cur) out.push(piece);
    },
  };
}

function behaviorOf(v: unknown, where: string, fallback: Behavior): Behavior {
  if (v === undefined || v === null) return fallback;
  const b = str(v, where);
  if (b === 'Removed' || b === 'Isolated' || b === 'MergedWithPrevious' || b === 'MergedWithNext' || b === 'Contiguous') return b;
  throw invalid(`${where} must be one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous (got ${JSON.stringify(b)})`);
}

function createSimple(o: Json, type: string, where: string): PreTokenizer {
  switch (type) {
    case 'Split': {
      const spec = patternOf(o.pattern, `${where}.pattern`);
      const find = createMatchFinder(spec);
      const behavior = behaviorOf(o.behavior, `${where}.behavior`, 'Isolated');
      const invert = bool(o.invert, `${where}.invert`, false);
      const re = spec.kind === 'regex' ? compileOnigPattern(spec.value) : null;
      const kind = spec.kind === 'regex' ? SCANNED_PATTERNS[spec.value] : undefined;
      const scan = kind ? createScanner(kind) : null;
      return {
        split: (s, out) => splitBy(s, matchesToSplits(s.length, find(s.text)), behavior, invert, out),
        // Isolated keeps every match and every gap: invert changes nothing.
        ranges:
          behavior !== 'Isolated' || !re ? undefined : scan ? (text, emit) => scannedRanges(scan, text, emit) : (text, emit) => isolatedRanges(re, text, emit),
      };
    }
    case 'Metaspace':
      return metaspace(o, where);
    case 'Whitespace': {
      // Rust regex `\w+|[^\w\s]+` (regex-syntax tables), inverted and Removed: keeps words and symbol runs.
      const w = rustWordRanges();
      const re = compileRanges(`${rangesClass(w)}+|[^${rangesClass(w).slice(1, -1)}${rangesClass(whiteSpaceRanges()).slice(1, -1)}]+`);
      return { split: (s, out) => splitBy(s, matchesToSplits(s.length, re(s.text)), 'Removed', true, out) };
    }
    case 'WhitespaceSplit': {
      const ws = whiteSpaceTable();
      return {
        split: (s, out) =>
          splitBy(
            s,
            charSplits(s.text, (cp) => ws[cp] === 1),
            'Removed',
            false,
            out,
          ),
      };
    }
    case 'Punctuation': {
      const behavior = behaviorOf(o.behavior, `${where}.behavior`, 'Isolated');
      return { split: (s, out) => splitBy(s, charSplits(s.text, isPunctuation), behavior, false, out) };
    }
    case 'BertPreTokenizer': {
      const ws = whiteSpaceTable();
      return {
        split(s, out) {
          const words: Aligned[] = [];
          splitBy(
            s,
            charSplits(s.text, (cp) => ws[cp] === 1),
            'Removed',
            false,
            words,
          );
          for (const w of words) splitBy(w, charSplits(w.text, isPunctuation), 'Isolated', false, out);
        },
      };
    }
    case 'Digits': {
      const individual = bool(o.individual_digits, `${where}.individual_digits`, false);
      const cats = categoryTable();
      const isNumeric = (cp: number): boolean => cats[cp] >= 9 && cats[cp] <= 11; // Nd Nl No
      const behavior: Behavior = individual ? 'Isolated' : 'Contiguous';
      return { split: (s, out) => splitBy(s, charSplits(s.text, isNumeric), behavior, false, out) };
    }
    default:
      throw unsupported(
        `${where}: pre-tokenizer type "${type}" is not supported (supported: Split, ByteLevel, Metaspace, Whitespace, WhitespaceSplit, Punctuation, Digits, BertPreTokenizer, Sequence)`,
      );
  }
}

function compileRanges(source: string): MatchFinder {
  const re = new RegExp(source, 'gu');
  return (text) => {
    const out: number[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index, m.index + m[0].length);
    return out;
  };
}

/** Rust's `char::is_ascii_punctuation(c) || c.is_punctuation()` (unicode_categories 0.1.1 tables). */
function isPunctuation(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x21 && cp <= 0x2f) || (cp >= 0x3a && cp <= 0x40) || (cp >= 0x5b && cp <= 0x60) || (cp >= 0x7b && cp <= 0x7e);
  return legacyCategoryTable()[cp] === LEGACY_PUNCTUATION;
}

function metaspace(o: Json, where: string): PreTokenizer {
  const replacement = str(o.replacement ?? '▁', `${where}.replacement`);
  if ([...replacement].length !== 1) throw invalid(`${where}.replacement must be one character`);
  let scheme = o.prepend_scheme === undefined ? 'always' : str(o.prepend_scheme, `${where}.prepend_scheme`);
  if (o.add_prefix_space === false) scheme = 'never';
  if (scheme !== 'always' && scheme !== 'first' && scheme !== 'never') {
    throw invalid(`${where}.prepend_scheme must be "always", "first" or "never" (got ${JSON.stringify(scheme)})`);
  }
  const doSplit = bool(o.split, `${where}.split`, true);
  const rcp = replacement.codePointAt(0)!;
  return {
    split(s, out) {
      let t = s;
      if (t.text.includes(' ')) {
        // One unit for one unit when the replacement is a BMP character (it is ▁ in every real file).
        if (replacement.length === 1) t = t.isIdentity ? Aligned.identity(t.text.replaceAll(' ', replacement), t.originalStart) : remap(t, replacement);
        else throw unsupported(`${where}.replacement outside the Basic Multilingual Plane`);
      }
      if (!t.text.startsWith(replacement) && (scheme === 'always' || (scheme === 'first' && t.originalStart === 0))) {
        t = prepend(t, replacement);
      }
      if (doSplit)
        splitBy(
          t,
          charSplits(t.text, (cp) => cp === rcp),
          'MergedWithNext',
          false,
          out,
        );
      else if (t.length) out.push(t);
    },
  };
}

/** Replaces every space of a mapped string by a one-unit replacement, keeping each unit's alignment. */
function remap(t: Aligned, replacement: string): Aligned {
  const starts = new Int32Array(t.length);
  const ends = new Int32Array(t.length);
  for (let k = 0; k < t.length; k++) {
    starts[k] = t.startOf(k);
    ends[k] = t.endOf(k);
  }
  return Aligned.mapped(t.text.replaceAll(' ', replacement), starts, ends);
}

/**
 * `find_matches` of a char predicate: every matching character is its own match, the stretches between
 * are non-matches. Flat [start, end, isMatch, …].
 */
function charSplits(text: string, member: (cp: number) => boolean): number[] {
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    if (member(cp)) {
      if (last < i) out.push(last, i, 0);
      out.push(i, i + w, 1);
      last = i + w;
    }
    i += w;
  }
  if (last < text.length) out.push(last, text.length, 0);
  return out;
}

/** Regex/string matches (flat [start, end]*) as `find_matches` splits covering the text: [s, e, isMatch]*. */
function matchesToSplits(n: number, matches: number[]): number[] {
  const out: number[] = [];
  let prev = 0;
  for (let k = 0; k < matches.length; k += 2) {
    if (prev !== matches[k]) out.push(prev, matches[k], 0);
    out.push(matches[k], matches[k + 1], 1);
    prev = matches[k + 1];
  }
  if (prev !== n) out.push(prev, n, 0);
  return out;
}

/** `NormalizedString::split(pattern, behavior)` given the pattern's splits; appends non-empty pieces. */
export function splitBy(s: Aligned, splits: number[], behavior: Behavior, invert: boolean, out: Aligned[]): void {
  if (s.length === 0) return;
  const flag = (k: number): boolean => (splits[k + 2] === 1) !== invert;
  const emit = (a: number, b: number): void => {
    if (b > a) out.push(s.slice(a, b));
  };
  const n = splits.length;
  switch (behavior) {
    case 'Isolated':
      for (let k = 0; k < n; k += 3) emit(splits[k], splits[k + 1]);
      return;
    case 'Removed':
      for (let k = 0; k < n; k += 3) if (!flag(k)) emit(splits[k], splits[k + 1]);
      return;
    case 'Contiguous':
    case 'MergedWithPrevious': {
      // Pieces as [start, end] pairs, extended in place as Rust's fold does.
      const acc: number[] = [];
      let previous = false;
      for (let k = 0; k < n; k += 3) {
        const m = flag(k);
        const extend = behavior === 'Contiguous' ? m === previous : m && !previous;
        if (extend && acc.length) acc[acc.length - 1] = splits[k + 1];
        else acc.push(splits[k], splits[k + 1]);
        previous = m;
      }
      for (let k = 0; k < acc.length; k += 2) emit(acc[k], acc[k + 1]);
      return;
    }
    case 'MergedWithNext': {
      const acc: number[] = []; // built from the end
      let previous = false;
      for (let k = n - 3; k >= 0; k -= 3) {
        const m = flag(k);
        if (m && !previous && acc.length) acc[acc.length - 2] = splits[k];
        else acc.push(splits[k], splits[k + 1]);
        previous = m;
      }
      for (let k = acc.length - 2; k >= 0; k -= 2) emit(acc[k], acc[k + 1]);
      return;
    }
  }
}
