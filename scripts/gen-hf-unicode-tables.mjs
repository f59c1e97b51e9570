// Generates src/engine/hfTokenizer/unicodeTables.generated.ts: the general category of every code point,
// plus regex-syntax's \w (perl_word) and White_Space, all at Unicode 16.0.
//
// Why pinned tables instead of the JS engine's \p{…}: Hugging Face tokenizers 0.22 matches Split patterns
// with Oniguruma 6.9.10 (Unicode 16.0; checked against @anush008/tokenizers: Unicode 16 letters such as
// Ol Onal U+1E5D0 are \p{L} there, Unicode 17's Sidetic U+10940 is not) and its Whitespace pre-tokenizer
// and added-token rules with the Rust regex crate (regex-syntax, Unicode 16.0). Node 20.20's V8 is at
// Unicode 17, and its \s also differs from White_Space (U+FEFF in, U+0085 out).
//
// Usage (inputs from the rust-lang/regex repository at tag regex-syntax-0.8.5):
//   git show regex-syntax-0.8.5:regex-syntax/src/unicode_tables/general_category.rs > general_category.rs
//   git show regex-syntax-0.8.5:regex-syntax/src/unicode_tables/perl_word.rs > perl_word.rs
//   git show regex-syntax-0.8.5:regex-syntax/src/unicode_tables/perl_space.rs > perl_space.rs
// and, for the BERT normalizer and the Punctuation/BERT pre-tokenizers, which use the `unicode_categories`
// crate 0.1.1 (Unicode 9 tables, 2016; github swgillespie/unicode-categories at commit 92bb246):
//   git show 92bb246:src/tables.rs > unicode_categories_tables.rs
//   node scripts/gen-hf-unicode-tables.mjs general_category.rs perl_word.rs perl_space.rs unicode_categories_tables.rs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rustTable } from './rustUnicodeTables.mjs';

const [gcPath, wordPath, spacePath, legacyPath] = process.argv.slice(2);
if (!gcPath || !wordPath || !spacePath || !legacyPath) {
  console.error('usage: node scripts/gen-hf-unicode-tables.mjs <general_category.rs> <perl_word.rs> <perl_space.rs> <unicode_categories tables.rs>');
  process.exit(2);
}
const gc = readFileSync(gcPath, 'utf8');
const version = /Unicode version: (\d+\.\d+\.\d+)/.exec(gc)?.[1] ?? 'unknown';

// Leaf categories in this order; index = value in the table. Keep in sync with unicodeTables.ts.
const LEAVES = [
  ['Cn', 'UNASSIGNED'],
  ['Lu', 'UPPERCASE_LETTER'],
  ['Ll', 'LOWERCASE_LETTER'],
  ['Lt', 'TITLECASE_LETTER'],
  ['Lm', 'MODIFIER_LETTER'],
  ['Lo', 'OTHER_LETTER'],
  ['Mn', 'NONSPACING_MARK'],
  ['Mc', 'SPACING_MARK'],
  ['Me', 'ENCLOSING_MARK'],
  ['Nd', 'DECIMAL_NUMBER'],
  ['Nl', 'LETTER_NUMBER'],
  ['No', 'OTHER_NUMBER'],
  ['Pc', 'CONNECTOR_PUNCTUATION'],
  ['Pd', 'DASH_PUNCTUATION'],
  ['Ps', 'OPEN_PUNCTUATION'],
  ['Pe', 'CLOSE_PUNCTUATION'],
  ['Pi', 'INITIAL_PUNCTUATION'],
  ['Pf', 'FINAL_PUNCTUATION'],
  ['Po', 'OTHER_PUNCTUATION'],
  ['Sm', 'MATH_SYMBOL'],
  ['Sc', 'CURRENCY_SYMBOL'],
  ['Sk', 'MODIFIER_SYMBOL'],
  ['So', 'OTHER_SYMBOL'],
  ['Zs', 'SPACE_SEPARATOR'],
  ['Zl', 'LINE_SEPARATOR'],
  ['Zp', 'PARAGRAPH_SEPARATOR'],
  ['Cc', 'CONTROL'],
  ['Cf', 'FORMAT'],
  ['Cs', 'SURROGATE'],
  ['Co', 'PRIVATE_USE'],
];
const cat = new Uint8Array(0x110000); // 0 = Cn
for (let i = 1; i < LEAVES.length; i++) {
  const [short, name] = LEAVES[i];
  const ranges = name === 'SURROGATE' ? [[0xd800, 0xdfff]] : rustTable(gc, name);
  for (const [lo, hi] of ranges) {
    for (let c = lo; c <= hi; c++) {
      if (cat[c] !== 0) throw new Error(`U+${c.toString(16)} in two categories (${short})`);
      cat[c] = i;
    }
  }
}
const flags = (src, name) => {
  const t = new Uint8Array(0x110000);
  for (const [lo, hi] of rustTable(readFileSync(src, 'utf8'), name)) t.fill(1, lo, hi + 1);
  return t;
};

// unicode_categories 0.1.1: 1 = Cc, 2 = Cf, 3 = Mn, 4 = P (its is_punctuation). Tables are lists of chars.
const legacySrc = readFileSync(legacyPath, 'utf8');
const legacy = new Uint8Array(0x110000);
const LEGACY = [
  ['OTHER_CONTROL', 1],
  ['OTHER_FORMAT', 2],
  ['MARK_NONSPACING', 3],
  ['PUNCTUATION_CONNECTOR', 4],
  ['PUNCTUATION_DASH', 4],
  ['PUNCTUATION_CLOSE', 4],
  ['PUNCTUATION_FINAL_QUOTE', 4],
  ['PUNCTUATION_INITIAL_QUOTE', 4],
  ['PUNCTUATION_OTHER', 4],
  ['PUNCTUATION_OPEN', 4],
];
for (const [name, value] of LEGACY) {
  const start = legacySrc.indexOf(`pub static ${name} :`);
  if (start < 0) throw new Error(`table ${name} not found`);
  const body = legacySrc.slice(start, legacySrc.indexOf('];', start));
  let n = 0;
  for (const m of body.matchAll(/'\\u\{([0-9A-Fa-f]+)\}'/g)) {
    const cp = parseInt(m[1], 16);
    if (legacy[cp] !== 0 && legacy[cp] !== value) throw new Error(`U+${m[1]} in two legacy tables`);
    legacy[cp] = value;
    n++;
  }
  if (n === 0) throw new Error(`table ${name} is empty`);
}

// Characters Unicode 9 did not assign. Rust tokenizers normalizes (NFC…, BERT's accent stripping) with
// unicode-normalization-alignments 0.1.12, whose tables are Unicode 9.0: a character assigned later has
// no decomposition and combining class 0 there, while the JS engine's String.normalize knows it (U+1E030 →
// а under NFKC). unicode_categories' tables are Unicode 9 too; they list every assigned character except
// inside the UnicodeData ranges, whose ends they list (filled here; the ones that matter for
// normalization are the Hangul syllables).
const assigned9 = new Uint8Array(0x110000);
for (const m of legacySrc.matchAll(/'\\u\{([0-9A-Fa-f]+)\}'/g)) assigned9[parseInt(m[1], 16)] = 1;
for (const [lo, hi] of [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fd5],
  [0xac00, 0xd7a3],
  [0xe000, 0xf8ff],
  [0x17000, 0x187ec],
  [0x20000, 0x2a6d6],
  [0x2a700, 0x2b734],
  [0x2b740, 0x2b81d],
  [0x2b820, 0x2cea1],
  [0xf0000, 0xffffd],
  [0x100000, 0x10fffd],
]) {
  assigned9.fill(1, lo, hi + 1);
}
assigned9.fill(1, 0xd800, 0xe000);
const newSince9 = assigned9.map((a) => (a ? 0 : 1));

// Run-length encoding: one symbol char for the value (never a base-36 digit), then the run length in base 36.
const SYMBOLS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_$@#';
function encode(values) {
  let s = '';
  for (let c = 0; c < values.length;) {
    let e = c + 1;
    while (e < values.length && values[e] === values[c]) e++;
    s += SYMBOLS[values[c]] + (e - c).toString(36);
    c = e;
  }
  return s;
}
const literal = (s) => {
  const lines = [];
  for (let i = 0; i < s.length; i += 100) lines.push(`  '${s.slice(i, i + 100)}'`);
  return lines.join(' +\n');
};
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src', 'engine', 'hfTokenizer', 'unicodeTables.generated.ts');
writeFileSync(
  out,
  `// GENERATED by scripts/gen-hf-unicode-tables.mjs from regex-syntax 0.8.5's tables (Unicode ${version}).\n` +
    `// Do not edit by hand. Run-length encoded: a value symbol (${SYMBOLS}), then the run length in base 36.\n\n` +
    `export const UNICODE_VERSION = '${version}';\n\n` +
    `export const CATEGORY_NAMES = ${JSON.stringify(LEAVES.map((l) => l[0]))} as const;\n\n` +
    `export const CATEGORY_RUNS =\n${literal(encode(cat))};\n\n` +
    `export const PERL_WORD_RUNS =\n${literal(encode(flags(wordPath, 'PERL_WORD')))};\n\n` +
    `export const WHITE_SPACE_RUNS =\n${literal(encode(flags(spacePath, 'WHITE_SPACE')))};\n\n` +
    `/** unicode_categories 0.1.1 (Unicode 9): 1 Cc, 2 Cf, 3 Mn, 4 punctuation. */\n` +
    `export const LEGACY_CATEGORY_RUNS =\n${literal(encode(legacy))};\n\n` +
    `/** 1: not assigned in Unicode 9 (left alone by Rust tokenizers' Unicode 9 normalization). */\n` +
    `export const NEW_SINCE_9_RUNS =\n${literal(encode(newSince9))};\n`,
);
console.log(`wrote ${out} (Unicode ${version})`);
