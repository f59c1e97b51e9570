/**
 * Property tests: our ids equal tiktoken's (OpenAI's Rust core, via its WASM build) on seeded random
 * Unicode, on whitespace that JS and Rust regexes classify differently, on prose and code, and on long
 * runs without whitespace; our spans equal the ones derived independently from the token bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { getTokenizer } from '../../src/engine/tokenizer/index';
import type { EncodingName } from '../../src/shared/embeddingTypes';
import { TRICKY_SPACES, expectedSpans, oracleEncode, randomText, rng } from './tokenizerOracle.helpers';

const ALL: EncodingName[] = ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'];

/** Compares ours with tiktoken; on a mismatch names the input, so a failure is reproducible. */
function check(name: EncodingName, text: string, allowSpecial: boolean, spans = true): void {
  const tok = getTokenizer(name);
  const enc = tok.encode(text, { allowSpecial });
  const ours = Array.from(enc.ids);
  const ref = oracleEncode(name, text, allowSpecial);
  if (ours.length !== ref.length || ours.some((v, k) => v !== ref[k])) {
    assert.fail(
      `${name} allowSpecial=${allowSpecial} on ${JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text)}\n` +
        `ours ${ours.slice(0, 60).join(',')}\nref  ${ref.slice(0, 60).join(',')}`,
    );
  }
  if (spans && !allowSpecial) assert.deepEqual(Array.from(enc.spans), expectedSpans(tok, text, enc));
}

for (const [n, name] of ALL.entries()) {
  test(`${name}: 300 seeded random strings equal tiktoken (both special modes)`, () => {
    const next = rng(1000 + n);
    for (let k = 0; k < 300; k++) {
      const text = randomText(next, 1 + Math.floor(next() * 40));
      check(name, text, false);
      check(name, text, true);
    }
  });
}

test('whitespace JS and Rust disagree on (U+0085, U+FEFF, U+180E, U+200B, …) in every pairing', () => {
  const texts: string[] = [];
  for (const x of TRICKY_SPACES) {
    for (const y of TRICKY_SPACES) texts.push(`a${x}${y}b`, `${x}${x}${y}1`, `!${x}${y}'s`, `${x}${y}`);
    texts.push(`${x}word`, `word${x}`, `${x}${x}${x}`, `1${x}2`, `中${x}文`, `.${x}\n`, `x${x}\r\n${x}y`);
  }
  for (const name of ALL) for (const t of texts) check(name, t, false);
});

test("where js-tiktoken (JS regex \\s) and tiktoken disagree, we give tiktoken's ids", () => {
  // U+0085 is White_Space (Rust \s) but not JS \s; U+FEFF is JS \s but not White_Space.
  const cases: Array<[EncodingName, string]> = [
    ['gpt2', 'a  \u0085b'],
    ['gpt2', 'a  \ufeffb'],
    ['cl100k_base', 'a  \u0085b'],
    ['cl100k_base', 'a  \ufeffb'],
  ];
  // (o200k disagrees too, e.g. on 'a\ufeff\ufeffb', but js-tiktoken takes seconds to load it; the
  // whitespace matrix above already holds o200k to tiktoken on these characters.)
  for (const [name, text] of cases) {
    const js = Array.from(getEncoding(name).encode(text, [], []));
    const ref = oracleEncode(name, text);
    assert.notDeepEqual(js, ref, `js-tiktoken agrees with tiktoken on ${JSON.stringify(text)}; pick another case`);
    check(name, text, false);
  }
});

test("contractions: case-insensitive in cl100k/o200k (including 'ſ), case-sensitive in gpt2", () => {
  const text = "it's IT'S it'S we'RE they'Ve I'M you'LL he'D 'ſ 'Ss don't'll x'y 'd'd ''s";
  for (const name of ALL) check(name, text, false);
});

test('prose and code equal tiktoken', () => {
  const verdict = readFileSync(join(__dirname, '..', 'fixtures', 'the-verdict.txt'), 'utf8');
  const libDir = join(require.resolve('typescript'), '..');
  const code = readFileSync(join(libDir, 'lib.es5.d.ts'), 'utf8').slice(0, 120_000);
  const ours = readFileSync(join(__dirname, '..', '..', 'src', 'engine', 'tokenizer', 'preTokenizer.ts'), 'utf8');
  const multilingual =
    'Ça va? Ünïcödé façade — “quotes” and ‘apostrophes’ … 東京は日本の首都です。Москва — столица России. ' +
    'مرحبا بالعالم. नमस्ते दुनिया। 안녕하세요 세계! Γειά σου Κόσμε! ǅemal ǈubljana ʰmod 𝕄𝕒𝕥𝕙 𝟙𝟚𝟛 Ⅷ ½ ١٢٣';
  for (const name of ALL) {
    check(name, verdict, false);
    check(name, code, false, false);
    check(name, ours, false);
    check(name, multilingual, false);
    check(name, `${multilingual}\n\n${verdict.slice(0, 2000)}<|endoftext|>${multilingual}`, true);
  }
});

// tiktoken's own merge is quadratic in a piece's length, so most runs here are 2,500 chars (already far
// beyond the 192-byte threshold where our merge switches to its block queue) and two are 20,000.
test('long runs without whitespace equal tiktoken', () => {
  const next = rng(99);
  const pick = (alphabet: string, n: number): string => {
    const a = Array.from(alphabet);
    let s = '';
    for (let i = 0; i < n; i++) s += a[Math.floor(next() * a.length)];
    return s;
  };
  const n = 2_500;
  const inputs = [
    'a'.repeat(n),
    'ab'.repeat(n / 2),
    'aab'.repeat(n / 3),
    pick('ab', n),
    pick('abcdefghijklmnopqrstuvwxyz', n),
    pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', n),
    pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', n),
    pick('的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事', n),
    pick('😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘', n / 2),
    pick('0123456789', n),
    pick('!@#$%^&*()_+-=[]{};:,.<>/?|~`', n),
    ' '.repeat(n),
    pick(' \t\u3000\u00a0', n) + 'x',
    pick('áéíóúüñçàèìòùâêîôûäëïöü', n),
  ];
  for (const name of ALL) for (const t of inputs) check(name, t, false, false);
  check('gpt2', pick('abcdefghijklmnopqrstuvwxyz', 20_000), false, false);
  check('o200k_base', pick('abcdefghijklmnopqrstuvwxyz', 20_000), false, false);
});

test('long pieces cut where no token holds the byte pair: segments of every length equal tiktoken', () => {
  // Random letters cut into segments of ~4–100 bytes; runs of one letter or of a CJK character set give
  // segments past the array scan's and the bucket merge's thresholds between the cuts.
  const next = rng(7);
  const pick = (alphabet: string, n: number): string => {
    const a = Array.from(alphabet);
    let s = '';
    for (let i = 0; i < n; i++) s += a[Math.floor(next() * a.length)];
    return s;
  };
  for (const name of ALL) {
    for (let k = 0; k < 3; k++) {
      let text = '';
      while (text.length < 3_000) {
        const len = [1, 5, 40, 70, 150, 250, 400][Math.floor(next() * 7)];
        const kind = Math.floor(next() * 4);
        if (kind === 0) text += pick('abcdefghijklmnopqrstuvwxyz', len);
        else if (kind === 1) text += pick('qxzjkv', 1).repeat(len);
        else if (kind === 2) text += pick('的一是不了人我在有他这为之大来以个中', len);
        else text += pick('aAbBqQxX', len);
      }
      check(name, text, false, false);
    }
  }
});
