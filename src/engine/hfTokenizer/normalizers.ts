/**
 * tokenizer.json normalizers over aligned strings (alignedString.ts), so every output unit still knows
 * which original characters it came from. Semantics follow Rust tokenizers 0.22 (`normalizers/*.rs`).
 */
import { Aligned, AlignedBuilder } from './alignedString';
import { arr, bool, type Json, obj, patternOf, str, typeOf } from './configReaders';
import { unsupported } from './errors';
import { createMatchFinder } from './patterns';
import { categoryTable, LEGACY_CONTROL, LEGACY_FORMAT, LEGACY_NONSPACING_MARK, legacyCategoryTable, newSince9Table, whiteSpaceTable } from './unicodeTables';

export interface Normalizer {
  normalize(s: Aligned): Aligned;
}

export function createNormalizer(v: unknown, where = 'normalizer'): Normalizer | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, where);
  const type = typeOf(o, where);
  switch (type) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return unicodeForm(type);
    case 'Lowercase':
      return { normalize: lowercase };
    case 'Replace':
      return replace(o, where);
    case 'Prepend': {
      const prefix = str(o.prepend, `${where}.prepend`);
      return { normalize: (s) => prepend(s, prefix) };
    }
    case 'Strip': {
      const left = bool(o.strip_left, `${where}.strip_left`, false);
      const right = bool(o.strip_right, `${where}.strip_right`, false);
      return { normalize: (s) => strip(s, left, right) };
    }
    case 'BertNormalizer':
      return bert(o, where);
    case 'Sequence': {
      const parts = arr(o.normalizers, `${where}.normalizers`).map((n, i) => createNormalizer(n, `${where}.normalizers[${i}]`));
      const list = parts.filter((p): p is Normalizer => p !== null);
      return { normalize: (s) => list.reduce((acc, n) => n.normalize(acc), s) };
    }
    default:
      throw unsupported(
        `${where}: normalizer type "${type}" is not supported (supported: NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip, BertNormalizer, Sequence)`,
      );
  }
}

function codePointAt(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
    const d = t.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

const width = (cp: number): number => (cp > 0xffff ? 2 : 1);

/**
 * Unicode normalization with alignment, as Rust tokenizers does it (unicode-normalization-alignments
 * 0.1.12, Unicode 9 tables).
 *
 * - Characters Unicode 9 did not assign are left as they are and nothing composes across them (they have
 *   no decomposition and combining class 0 in those tables); the text between them goes through
 *   String.normalize, whose newer data agrees with Unicode 9 on every character Unicode 9 had
 *   (normalization stability).
 * - Alignment: each stretch is cut before every character that nothing before it can compose with or
 *   reorder around (not a mark, not a Hangul vowel/final jamo, not a halfwidth kana voicing mark); each
 *   piece's output maps to the piece's original range. The joined result is checked against normalizing
 *   the whole stretch, so IDs stay exact even if a rare character breaks that assumption (then the
 *   stretch's units all map to its whole range).
 */
function unicodeForm(form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'): Normalizer {
  const cats = categoryTable();
  const opaque = newSince9Table();
  const composesBackwards = (cp: number): boolean => {
    const c = cats[cp];
    return (c >= 6 && c <= 8) /* Mn Mc Me */ || (cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff) || cp === 0xff9e || cp === 0xff9f;
  };
  /** Normalizes units [from, to) of s (no opaque character inside) into b. */
  const stretch = (s: Aligned, from: number, to: number, b: AlignedBuilder): void => {
    const t = s.text;
    const whole = t.slice(from, to).normalize(form);
    if (whole.length === to - from && whole === t.slice(from, to)) {
      b.pushFrom(s, from, to);
      return;
    }
    const part = new AlignedBuilder(whole.length);
    let i = from;
    while (i < to) {
      let j = i + width(codePointAt(t, i));
      while (j < to) {
        const cp = codePointAt(t, j);
        if (!composesBackwards(cp)) break;
        j += width(cp);
      }
      const chunk = t.slice(i, j);
      const out = j === i + 1 && t.charCodeAt(i) < 0x80 ? chunk : chunk.normalize(form);
      if (out === chunk) part.pushFrom(s, i, j);
      else {
        const [a, e] = s.span(i, j);
        part.push(out, a, e);
      }
      i = j;
    }
    const r = part.finish(s.startOf(from));
    if (r.text === whole) {
      b.pushFrom(r, 0, r.length);
    } else {
      const [a, e] = s.span(from, to);
      b.push(whole, a, e);
    }
  };
  return {
    normalize(s: Aligned): Aligned {
      const t = s.text;
      let hasOpaque = false;
      for (let i = 0; i < t.length && !hasOpaque; i++) {
        const c = t.charCodeAt(i);
        if (c >= 0x300 && opaque[codePointAt(t, i)] === 1) hasOpaque = true;
      }
      if (!hasOpaque && t.normalize(form) === t) return s;
      const b = new AlignedBuilder(t.length + 16);
      let from = 0;
      for (let i = 0; i < t.length;) {
        const cp = codePointAt(t, i);
        const w = width(cp);
        if (opaque[cp] === 1) {
          stretch(s, from, i, b);
          b.pushFrom(s, i, i + w);
          from = i + w;
        }
        i += w;
      }
      stretch(s, from, t.length, b);
      return b.finish(s.originalStart);
    },
  };
}

/** Rust's `char::to_lowercase` per character (no context: a final Σ becomes σ, as in Rust). */
function lowercase(s: Aligned): Aligned {
  const t = s.text;
  if (t.toLowerCase() === t) return s;
  const b = new AlignedBuilder(t.length);
  let i = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 65 && c <= 90) b.push(String.fromCharCode(c + 32), s.startOf(i), s.endOf(i));
      else b.pushFrom(s, i, i + 1);
      i++;
      continue;
    }
    const cp = codePointAt(t, i);
    const w = width(cp);
    const ch = t.slice(i, i + w);
    const lower = ch.toLowerCase();
    if (lower === ch) b.pushFrom(s, i, i + w);
    else {
      const [a, e] = s.span(i, i + w);
      b.push(lower, a, e);
    }
    i += w;
  }
  return b.finish(s.originalStart);
}

function replace(o: Json, where: string): Normalizer {
  const spec = patternOf(o.pattern, `${where}.pattern`);
  const content = str(o.content, `${where}.content`);
  const find = createMatchFinder(spec);
  return {
    normalize(s: Aligned): Aligned {
      const t = s.text;
      const m = find(t);
      if (m.length === 0) return s;
      // One unit for one unit keeps every unit's own alignment (Gemma's " " → "▁" over a whole text).
      let oneForOne = content.length === 1;
      for (let k = 0; oneForOne && k < m.length; k += 2) if (m[k + 1] - m[k] !== 1) oneForOne = false;
      const parts: string[] = [];
      let prev = 0;
      if (oneForOne && s.isIdentity) {
        for (let k = 0; k < m.length; k += 2) {
          parts.push(t.slice(prev, m[k]), content);
          prev = m[k + 1];
        }
        parts.push(t.slice(prev));
        return Aligned.identity(parts.join(''), s.originalStart);
      }
      const b = new AlignedBuilder(t.length + 16);
      for (let k = 0; k < m.length; k += 2) {
        b.pushFrom(s, prev, m[k]);
        const [a, e] = m[k + 1] > m[k] ? s.span(m[k], m[k + 1]) : [s.startOf(m[k]), s.startOf(m[k])];
        b.push(content, a, e);
        prev = m[k + 1];
      }
      b.pushFrom(s, prev, t.length);
      return b.finish(s.originalStart);
    },
  };
}

/** Rust's `NormalizedString::prepend`: only a non-empty string gets the prefix. */
export function prepend(s: Aligned, prefix: string): Aligned {
  if (s.length === 0 || prefix === '') return s;
  const b = new AlignedBuilder(s.length + prefix.length);
  const at = s.startOf(0);
  b.push(prefix, at, at);
  b.pushFrom(s, 0, s.length);
  return b.finish(at);
}

function strip(s: Aligned, left: boolean, right: boolean): Aligned {
  const ws = whiteSpaceTable();
  const t = s.text;
  let a = 0;
  let e = t.length;
  if (left) while (a < e && ws[codePointAt(t, a)] === 1) a += width(codePointAt(t, a));
  if (right) {
    while (e > a) {
      const lo = t.charCodeAt(e - 1);
      const k = lo >= 0xdc00 && lo <= 0xdfff && e - 2 >= a ? e - 2 : e - 1;
      if (ws[codePointAt(t, k)] !== 1) break;
      e = k;
    }
  }
  return s.slice(a, e);
}

/** `is_chinese_char` of Rust tokenizers' BERT normalizer (its exact ranges). */
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isPrivateUse(cp: number): boolean {
  return (cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0xffffd) || (cp >= 0x100000 && cp <= 0x10fffd);
}

function bert(o: Json, where: string): Normalizer {
  const cleanText = bool(o.clean_text, `${where}.clean_text`, true);
  const chinese = bool(o.handle_chinese_chars, `${where}.handle_chinese_chars`, true);
  const lower = bool(o.lowercase, `${where}.lowercase`, true);
  const stripAccents = bool(o.strip_accents, `${where}.strip_accents`, lower);
  const legacy = legacyCategoryTable();
  const ws = whiteSpaceTable();
  const nfd = unicodeForm('NFD');
  return {
    normalize(input: Aligned): Aligned {
      let s = input;
      if (cleanText || chinese) {
        const t = s.text;
        const b = new AlignedBuilder(t.length + 16);
        let i = 0;
        while (i < t.length) {
          const cp = codePointAt(t, i);
          const w = width(cp);
          const isCtl = cp !== 9 && cp !== 10 && cp !== 13 && (legacy[cp] === LEGACY_CONTROL || legacy[cp] === LEGACY_FORMAT || isPrivateUse(cp));
          if (cleanText && (cp === 0 || cp === 0xfffd || isCtl)) {
            // removed
          } else if (cleanText && ws[cp] === 1) {
            if (cp === 32) b.pushFrom(s, i, i + 1);
            else b.push(' ', s.startOf(i), s.endOf(i + w - 1));
          } else if (chinese && isChineseChar(cp)) {
            const a = s.startOf(i);
            const e = s.endOf(i + w - 1);
            b.push(' ', a, a);
            b.pushFrom(s, i, i + w);
            b.push(' ', e, e);
          } else {
            b.pushFrom(s, i, i + w);
          }
          i += w;
        }
        s = b.finish(s.originalStart);
      }
      if (stripAccents) {
        s = nfd.normalize(s);
        const t = s.text;
        let any = false;
        for (let i = 0; i < t.length && !any; i++) if (legacy[codePointAt(t, i)] === LEGACY_NONSPACING_MARK) any = true;
        if (any) {
          const b = new AlignedBuilder(t.length);
          let i = 0;
          while (i < t.length) {
            const cp = codePointAt(t, i);
            const w = width(cp);
            if (legacy[cp] !== LEGACY_NONSPACING_MARK) b.pushFrom(s, i, i + w);
            i += w;
          }
          s = b.finish(s.originalStart);
        }
      }
      if (lower) s = lowercase(s);
      return s;
    },
  };
}
