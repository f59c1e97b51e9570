/**
 * Shared helpers for the tokenizer tests: a seeded PRNG, a random-text generator aimed at the
 * pre-tokenizer's edge cases, and tiktoken's WASM (OpenAI's Rust core) as the reference.
 */
import { get_encoding, type Tiktoken } from 'tiktoken';
import assert from 'node:assert/strict';
import type { Encoded, Tokenizer } from '../../src/engine/types';
import type { EncodingName } from '../../src/shared/embeddingTypes';

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whitespace and near-whitespace that JS regex, Rust regex and Unicode disagree about. */
export const TRICKY_SPACES = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\v',
  '\f',
  '\u00a0',
  '\u0085',
  '\u1680',
  '\u180e',
  '\u2000',
  '\u2007',
  '\u200a',
  '\u200b',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u001c',
  '\u001f',
];

const FRAGMENTS = [
  ...TRICKY_SPACES,
  ...TRICKY_SPACES,
  "'s",
  "'t",
  "'re",
  "'ve",
  "'m",
  "'ll",
  "'d",
  "'S",
  "'RE",
  "'Ll",
  "'ſ",
  "'",
  "''",
  'ſ',
  'hello',
  'World',
  'HTTPServer',
  'camelCase',
  'ǅemal',
  'ʰa',
  'naïve',
  'café',
  'e\u0301',
  'A\u0300B',
  '123',
  '4567890',
  '٣٤٥',
  '𝟎𝟏𝟐𝟑',
  'Ⅻ',
  '½',
  '!',
  '?',
  '...',
  '/',
  '//',
  '/*',
  '*/',
  '<',
  '>',
  '{',
  '}',
  '(',
  ')',
  '=>',
  '#',
  '@',
  '$',
  '%',
  '&',
  '-',
  '_',
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|endofprompt|>',
  '<|',
  '|>',
  '中文',
  '日本語のテキスト',
  '한국어',
  'Ελληνικά',
  'Русский',
  'العربية',
  'हिन्दी',
  'ไทย',
  '😀',
  '👍🏽',
  '👨‍👩‍👧',
  '🇺🇳',
  '𠀀',
  '𝔘𝔫𝔦',
  '\u{10d40}',
  '\u{2ebf0}',
  '\u{1e030}',
  '\ud800',
  '\udc00',
  'a\ud83d',
  '\ude00b',
];

/** A random string of `parts` pieces: fragments, random BMP/astral code points, repeated runs. */
export function randomText(next: () => number, parts: number): string {
  let s = '';
  for (let p = 0; p < parts; p++) {
    const r = next();
    if (r < 0.55) s += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
    else if (r < 0.7) s += String.fromCharCode(32 + Math.floor(next() * 95));
    else if (r < 0.82)
      s += String.fromCharCode(Math.floor(next() * 0x10000)); // includes lone surrogates
    else if (r < 0.9) s += String.fromCodePoint(0x10000 + Math.floor(next() * 0x30000));
    else {
      const unit = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
      s += unit.repeat(1 + Math.floor(next() * 12));
    }
  }
  return s;
}

const oracles = new Map<EncodingName, Tiktoken>();

/** tiktoken's encoder for an encoding, loaded once per test process (loading costs up to a second). */
export function oracle(encoding: EncodingName): Tiktoken {
  let enc = oracles.get(encoding);
  if (!enc) {
    enc = get_encoding(encoding);
    oracles.set(encoding, enc);
  }
  return enc;
}

/** tiktoken's ids for `text`; special-token text is plain text unless allowSpecial. */
export function oracleEncode(encoding: EncodingName, text: string, allowSpecial = false): number[] {
  const enc = oracle(encoding);
  return Array.from(allowSpecial ? enc.encode(text, 'all', []) : enc.encode(text, [], []));
}

/**
 * Runs a call that makes tiktoken throw. A throwing call leaves the WASM object borrowed (unusable,
 * not even freeable), so the encoder is dropped from the cache afterwards.
 */
export function oracleThrows(encoding: EncodingName, call: (enc: Tiktoken) => unknown): boolean {
  const enc = oracle(encoding);
  oracles.delete(encoding);
  try {
    call(enc);
    return false;
  } catch {
    return true;
  }
}

export function freeOracles(): void {
  for (const e of oracles.values()) e.free();
  oracles.clear();
}

/**
 * Independent span check: lay the tokens' bytes end to end over the text's UTF-8 (lone surrogates as
 * U+FFFD) and derive, for each token, the UTF-16 range of the characters its bytes touch.
 */
export function expectedSpans(tok: Tokenizer, text: string, enc: Encoded): number[] {
  const charOfByte: Array<[number, number]> = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    const n = new TextEncoder().encode(String.fromCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp)).length;
    for (let b = 0; b < n; b++) charOfByte.push([i, i + w]);
    i += w;
  }
  const spans: number[] = [];
  let at = 0;
  for (const id of enc.ids) {
    const n = tok.tokenBytes(id).length;
    assert.ok(at + n <= charOfByte.length, 'tokens hold no more bytes than the text');
    spans.push(charOfByte[at][0], charOfByte[at + n - 1][1]);
    at += n;
  }
  assert.equal(at, charOfByte.length, 'tokens cover every byte of the text');
  return spans;
}
