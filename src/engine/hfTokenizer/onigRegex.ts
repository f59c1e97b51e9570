/**
 * Translates the Oniguruma (Ruby syntax) patterns of tokenizer.json Split pre-tokenizers into JS RegExps
 * that match exactly the same strings, or refuses with one error naming the construct.
 *
 * Exact, not approximate:
 * - Unicode classes (\p{L}, \s, \w, \d, [^\s\p{L}\p{N}] …) become explicit code point ranges from the pinned
 *   Unicode 16 tables (unicodeTables.ts), never V8's own (newer) \p{…} or its \s (which adds U+FEFF and
 *   lacks U+0085).
 * - `^`/`$` are line anchors in Ruby syntax; `.` excludes only \n.
 * - Case-insensitive groups `(?i:'s|'t)`, which V8 rejects, become per-character classes of every
 *   simple case variant (s → [sSſ]); a literal whose Unicode case folding spans several characters
 *   (ß ↔ ss, ﬁ ↔ fi) has no single-character translation and is refused.
 *
 * Matching cost: JS regexps backtrack. Constructs that backtrack exponentially (an unbounded or counted
 * repetition of something that itself repeats or alternates, e.g. `(a+)+`, `(a|ab)*`, backreferences)
 * are refused with code 'unsafeRegex'. What remains is what the real tokenizer.json patterns use.
 */
import { HfTokenizerError, unsupported } from './errors';
import { categoriesNamed, categoryRanges, classItems, escapeCodePoint, namedRanges, perlWordTable, type Ranges, whiteSpaceRanges } from './unicodeTables';

interface Node {
  src: string;
  /** Case key of a single case-insensitive literal (to spot runs such as "ss" that fold to one character). */
  caselessLiteral?: string;
  /** Contains an unbounded repetition. */
  repeats: boolean;
  /** Contains an alternation or a repetition (more than one way to match). */
  branches: boolean;
}

/** Compiles a Split/Regex pattern; the RegExp has flags `gu`. */
export function compileOnigPattern(pattern: string): RegExp {
  const src = new Translator(pattern).translate();
  try {
    return new RegExp(src, 'gu');
  } catch (e) {
    throw unsupported(`pattern ${describe(pattern)} could not be translated: ${(e as Error).message}`);
  }
}

function describe(pattern: string): string {
  return JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern);
}

function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of r) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

function union(parts: Ranges[]): Ranges {
  const all = parts.flat().sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of all) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Rust regex's \w (regex-syntax perl_word: Alphabetic, marks, Nd, Pc, Join_Control). */
export function rustWordRanges(): Ranges {
  const t = perlWordTable();
  return namedRanges('perl-word', (cp) => t[cp] === 1);
}

/**
 * Oniguruma's \w (Split patterns), found by asking the Rust binding about every BMP character: Unicode's
 * Word without Join_Control (ZWNJ, ZWJ), plus the Latin-1 digits/fractions ² ³ ¹ ¼ ½ ¾ (its Latin-1
 * ctype table counts them as word characters).
 */
function onigWordRanges(): Ranges {
  const t = perlWordTable();
  const latin1 = new Set([0xb2, 0xb3, 0xb9, 0xbc, 0xbd, 0xbe]);
  return namedRanges('onig-word', (cp) => (t[cp] === 1 && cp !== 0x200c && cp !== 0x200d) || latin1.has(cp));
}

export function rangesClass(r: Ranges, negate = false): string {
  return `[${negate ? '^' : ''}${classItems(r)}]`;
}

class Translator {
  private i = 0;
  private caseless = false;
  constructor(private readonly p: string) {}

  translate(): string {
    const node = this.alternation();
    if (this.i < this.p.length) this.fail(`unbalanced ')' at ${this.i}`);
    return node.src;
  }

  private fail(what: string): never {
    throw unsupported(`pattern ${describe(this.p)}: ${what} is not supported`);
  }

  private unsafe(what: string): never {
    throw new HfTokenizerError(
      'unsafeRegex',
      `pattern ${describe(this.p)}: ${what} can take exponential time on some inputs (catastrophic backtracking); refused`,
    );
  }

  private alternation(): Node {
    const alts: Node[] = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return {
      src: alts.map((a) => a.src).join('|'),
      repeats: alts.some((a) => a.repeats),
      branches: alts.length > 1 || alts.some((a) => a.branches),
    };
  }

  private sequence(): Node {
    let src = '';
    let repeats = false;
    let branches = false;
    let caselessRun = '';
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const atom = this.atom();
      if (atom === null) continue; // a flag group such as (?i) or a comment
      if (atom.caselessLiteral !== undefined) caselessRun += atom.caselessLiteral;
      else caselessRun = this.checkMultiFold(caselessRun);
      const q = this.quantifier();
      if (q) {
        if (q.max > 1 && (atom.repeats || atom.branches)) this.unsafe(`the repetition '${q.text}' of a group that itself repeats or alternates`);
        src += `(?:${atom.src})${q.text}`;
        repeats ||= atom.repeats || q.max === Infinity;
        branches = true;
      } else {
        src += atom.src;
        repeats ||= atom.repeats;
        branches ||= atom.branches;
      }
    }
    this.checkMultiFold(caselessRun);
    return { src, repeats, branches };
  }

  /** Refuses a run of case-insensitive literals holding the multi-character folding of one character (ss ~ ß). */
  private checkMultiFold(run: string): string {
    if (run.length > 1) {
      for (const fold of multiFoldStrings()) {
        if (run.includes(fold)) this.fail(`the case-insensitive '${fold}' (one character's case folding)`);
      }
    }
    return '';
  }

  private quantifier(): { text: string; max: number } | null {
    const p = this.p;
    const c = p[this.i];
    let text: string;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      text = c;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(p.slice(this.i));
      if (!m || (m[1] === '' && (m[2] === undefined || m[3] === ''))) return null; // a literal '{'
      this.i += m[0].length;
      const lo = m[1] === '' ? 0 : Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
      if (lo > 100_000 || (hi !== Infinity && hi > 100_000)) this.fail(`the repetition count in '${m[0]}'`);
      if (hi < lo) this.fail(`the reversed repetition '${m[0]}'`);
      text = hi === Infinity ? `{${lo},}` : hi === lo ? `{${lo}}` : `{${lo},${hi}}`;
      max = hi;
    } else {
      return null;
    }
    if (p[this.i] === '?') {
      this.i++;
      text += '?';
    } else if (p[this.i] === '+') {
      this.fail(`the possessive quantifier '${text}+'`);
    }
    return { text, max };
  }

  private atom(): Node | null {
    const p = this.p;
    const c = p[this.i];
    const plain = (src: string): Node => ({ src, repeats: false, branches: false });
    if (c === '(') return this.group();
    if (c === '[') return plain(this.charClass());
    if (c === '\\') return this.escape();
    this.i++;
    if (c === '.') return plain('[^\\n]');
    if (c === '^') return plain('(?:^|(?<=\\n))');
    if (c === '$') return plain('(?:$|(?=\\n))');
    if (c === '*' || c === '+' || c === '?') this.fail(`a quantifier '${c}' with nothing to repeat`);
    const cp = p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    return { ...plain(this.literal(cp)), caselessLiteral: this.caseless ? caseKey(cp) : undefined };
  }

  private literal(cp: number): string {
    if (!this.caseless) return escapeCodePoint(cp);
    const variants = caseVariants(cp, () => this.fail(`the case-insensitive '${String.fromCodePoint(cp)}' (its case folding is several characters)`));
    return variants.length === 1 ? escapeCodePoint(cp) : `[${variants.map(escapeCodePoint).join('')}]`;
  }

  private group(): Node | null {
    const p = this.p;
    this.i++; // (
    let prefix = '(?:';
    const saved = this.caseless;
    if (p[this.i] === '?') {
      const rest = p.slice(this.i + 1);
      if (rest.startsWith(':')) this.i += 2;
      else if (rest.startsWith('=') || rest.startsWith('!')) {
        prefix = `(?${rest[0]}`;
        this.i += 2;
      } else if (rest.startsWith('<=') || rest.startsWith('<!')) {
        prefix = `(?${rest.slice(0, 2)}`;
        this.i += 3;
      } else if (rest.startsWith('#')) {
        const end = p.indexOf(')', this.i);
        if (end < 0) this.fail('an unterminated comment group');
        this.i = end + 1;
        return null;
      } else if (/^<[A-Za-z_]\w*>/.test(rest)) {
        this.i += 1 + rest.indexOf('>') + 1; // a named capture: grouping only, names are never referenced
      } else {
        const m = /^([imx]*)(?:-([imx]*))?([:)])/.exec(rest);
        if (!m) this.fail(`the group syntax '(?${rest.slice(0, 3)}'`);
        const on = m[1];
        const off = m[2] ?? '';
        if (/[mx]/.test(on + off)) this.fail(`the inline option '(?${on}${off ? `-${off}` : ''}'`);
        const caseless = on.includes('i') ? true : off.includes('i') ? false : this.caseless;
        this.i += 1 + m[0].length;
        if (m[3] === ')') {
          // (?i) applies to the rest of the enclosing group.
          this.caseless = caseless;
          return null;
        }
        this.caseless = caseless;
      }
    }
    const inner = this.alternation();
    if (p[this.i] !== ')') this.fail('an unterminated group');
    this.i++;
    this.caseless = saved;
    return { src: `${prefix}${inner.src})`, repeats: inner.repeats, branches: inner.branches };
  }

  private escape(): Node {
    const p = this.p;
    const c = p[this.i + 1];
    if (c === undefined) this.fail('a trailing backslash');
    this.i += 2;
    const plain = (src: string): Node => ({ src, repeats: false, branches: false });
    switch (c) {
      case 'A':
        return plain('^');
      case 'z':
        return plain('$');
      case 'Z':
        return plain('(?=\\n?$)');
      case 'b':
      case 'B': {
        const w = rangesClass(onigWordRanges());
        return plain(c === 'b' ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))` : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`);
      }
      default: {
        this.i -= 2;
        const r = this.classEscape();
        if (r) return plain(rangesClass(r));
        const cp = this.escapedCodePoint();
        return { ...plain(this.literal(cp)), caselessLiteral: this.caseless ? caseKey(cp) : undefined };
      }
    }
  }

  /** A class escape (\s \d \w \h \p{…} and their negations) at this.i as ranges, or null. */
  private classEscape(): Ranges | null {
    const p = this.p;
    const c = p[this.i + 1];
    const negated = c === 'S' || c === 'D' || c === 'W' || c === 'H' || c === 'P';
    let r: Ranges | null = null;
    switch (c.toLowerCase()) {
      case 's':
        r = whiteSpaceRanges();
        break;
      case 'd':
        r = categoryRanges(categoriesNamed('Nd')!);
        break;
      case 'w':
        r = onigWordRanges();
        break;
      case 'h':
        r = [
          [0x30, 0x39],
          [0x41, 0x46],
          [0x61, 0x66],
        ];
        break;
      case 'p': {
        const m = /^\\[pP]\{(\^?)([A-Za-z_ -]+)\}/.exec(p.slice(this.i));
        if (!m) this.fail(`the property escape at ${this.i}`);
        const cats = categoriesNamed(m[2]);
        if (!cats) this.fail(`the Unicode property '${m[2]}' (only general categories are translated)`);
        if (this.caseless && /^(Lu|Ll|Lt|LC)$/i.test(m[2])) this.fail(`the case-insensitive property '${m[2]}'`);
        this.i += m[0].length;
        const ranges = categoryRanges(cats);
        return negated !== (m[1] === '^') ? complement(ranges) : ranges;
      }
      default:
        return null;
    }
    this.i += 2;
    return negated ? complement(r) : r;
  }

  /** The code point of a literal escape (\n, \x41, \u{1F600}, \., …) at this.i. */
  private escapedCodePoint(): number {
    const p = this.p;
    const c = p[this.i + 1];
    const simple: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11, a: 7, e: 27 };
    if (c in simple) {
      this.i += 2;
      return simple[c];
    }
    let m: RegExpExecArray | null;
    if ((m = /^\\x\{([0-9a-fA-F]{1,8})\}|^\\x([0-9a-fA-F]{1,2})|^\\u([0-9a-fA-F]{4})/.exec(p.slice(this.i)))) {
      const cp = parseInt(m[1] ?? m[2] ?? m[3], 16);
      if (cp > 0x10ffff) this.fail(`the code point escape '${m[0]}'`);
      this.i += m[0].length;
      return cp;
    }
    if (c === '0') {
      m = /^\\0([0-7]{0,2})/.exec(p.slice(this.i))!;
      this.i += m[0].length;
      return parseInt(m[1] || '0', 8);
    }
    if (/[1-9]/.test(c)) this.unsafe(`the backreference '\\${c}'`);
    if (c === 'k' || c === 'g') this.unsafe(`the backreference/subexpression call '\\${c}'`);
    if (/[A-Za-z]/.test(c)) this.fail(`the escape '\\${c}'`);
    const cp = p.codePointAt(this.i + 1)!;
    this.i += cp > 0xffff ? 3 : 2;
    return cp;
  }

  private charClass(): string {
    const p = this.p;
    this.i++; // [
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const parts: Ranges[] = [];
    let first = true;
    while (this.i < p.length && (p[this.i] !== ']' || first)) {
      first = false;
      if (p[this.i] === '[') this.fail(`a nested character class at ${this.i}`);
      if (p.startsWith('&&', this.i)) this.fail(`the class intersection '&&' at ${this.i}`);
      let lo: number;
      if (p[this.i] === '\\') {
        const r = this.classEscape();
        if (r) {
          parts.push(r);
          continue;
        }
        if (p[this.i + 1] === 'b') {
          this.i += 2;
          lo = 8;
        } else {
          lo = this.escapedCodePoint();
        }
      } else {
        lo = p.codePointAt(this.i)!;
        this.i += lo > 0xffff ? 2 : 1;
      }
      let hi = lo;
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        this.i++;
        if (p[this.i] === '\\') {
          if (this.classEscape()) this.fail('a range ending in a class escape');
          hi = this.escapedCodePoint();
        } else {
          hi = p.codePointAt(this.i)!;
          this.i += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) this.fail(`the reversed range at ${this.i}`);
      }
      if (this.caseless && hasCaseVariants(lo, hi)) this.fail('a case-insensitive character class with cased letters');
      parts.push([[lo, hi]]);
    }
    if (p[this.i] !== ']') this.fail('an unterminated character class');
    this.i++;
    const r = union(parts);
    if (r.length === 0) return negate ? '[^]' : '[]';
    return rangesClass(r, negate);
  }
}

let foldGroups: Map<string, number[]> | undefined;
let multiFolding: Set<number> | undefined;
let multiFolds: string[] | undefined;

/** Lower-case strings that are one character's case folding (ss for ß, fi for ﬁ). */
function multiFoldStrings(): string[] {
  if (!multiFolding) buildFoldData();
  return (multiFolds ??= [...new Set([...multiFolding!].map(caseKey))].filter((f) => [...f].length > 1));
}

/** Upper-then-lower case key: groups every code point with its case variants (a superset, refined below). */
function caseKey(cp: number): string {
  return String.fromCodePoint(cp).toUpperCase().toLowerCase();
}

/** Code points per run tested at once for case mappings (uncased runs are skipped without a string per code point). */
const FOLD_RUN = 256;

function buildFoldData(): void {
  foldGroups = new Map();
  multiFolding = new Set();
  const run: number[] = [];
  for (let cp = 0; cp < 0x20000; cp++) {
    // A run whose text upper- and lower-cases to itself holds no cased character: nothing below would record
    // any of them. (Most of the range: this saves ~1M short-lived strings, and their garbage, per process.)
    if (cp % FOLD_RUN === 0) {
      run.length = 0;
      for (let c = cp; c < cp + FOLD_RUN; c++) if (c < 0xd800 || c > 0xdfff) run.push(c);
      const text = String.fromCodePoint(...run);
      if (text.toUpperCase() === text && text.toLowerCase() === text) {
        cp += FOLD_RUN - 1;
        continue;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    const key = caseKey(cp);
    if ([...key].length > 1 || [...s.toLowerCase()].length > 1) multiFolding.add(cp);
    const lower = s.toLowerCase();
    if (key === s && lower === s && s.toUpperCase() === s) continue; // uncased
    let g = foldGroups.get(key);
    if (!g) foldGroups.set(key, (g = []));
    g.push(cp);
  }
}

/** Every code point that Unicode simple case folding makes equal to `cp` (cp itself first). */
function caseVariants(cp: number, onMulti: () => never): number[] {
  if (!foldGroups) buildFoldData();
  if (multiFolding!.has(cp)) onMulti();
  const s = String.fromCodePoint(cp);
  const re = new RegExp(`^${escapeCodePoint(cp)}$`, 'iu');
  const candidates = new Set<number>([cp, ...(foldGroups!.get(caseKey(cp)) ?? [])]);
  for (const v of [s.toLowerCase(), s.toUpperCase()]) {
    if ([...v].length === 1) for (const c of foldGroups!.get(caseKey(v.codePointAt(0)!)) ?? []) candidates.add(c);
  }
  // Characters whose full folding is several characters match sequences, not one character: refuse them
  // when they fold together with this one (ß with 's' is not such a case, ß's folding is "ss").
  const out = [...candidates].filter((c) => re.test(String.fromCodePoint(c)));
  for (const c of out) if (c !== cp && multiFolding!.has(c)) onMulti();
  return out;
}

function hasCaseVariants(lo: number, hi: number): boolean {
  for (let c = lo; c <= Math.min(hi, lo + 0x2000); c++) {
    const s = String.fromCodePoint(c);
    if (s.toLowerCase() !== s || s.toUpperCase() !== s) return true;
  }
  return hi - lo > 0x2000;
}
