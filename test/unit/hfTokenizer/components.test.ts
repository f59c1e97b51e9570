/**
 * Every normalizer, pre-tokenizer, split behaviour, regex construct, added-token option and BPE option,
 * each in a small tokenizer.json, against Rust tokenizers 0.22 on hand-picked and seeded random text.
 * Most variants sit on a byte-level vocabulary made of GPT-2's first 600 merges (any text is encodable,
 * and both implementations build it in milliseconds); the BPE options use a tiny hand-made vocabulary
 * whose every merge is known.
 */
import { test } from 'node:test';
import { createHfTokenizer } from '../../../src/engine/hfTokenizer';
import { assertSameIds, gpt2Json, randomTexts, rng, RustOracle } from './support';

/** GPT-2 cut down to its 256 byte tokens and first 600 merges, plus <|endoftext|>. */
function smallByteLevel(): Record<string, unknown> {
  const gpt2 = gpt2Json();
  const model = gpt2.model as { vocab: Record<string, number>; merges: Array<string | string[]> };
  const vocab: Record<string, number> = {};
  for (const [token, id] of Object.entries(model.vocab)) if (id < 256) vocab[token] = id;
  const merges = model.merges.slice(0, 600).map((m) => (typeof m === 'string' ? m.split(' ') : m));
  for (const [a, b] of merges) if (!(a + b in vocab)) vocab[a + b] = Object.keys(vocab).length;
  const eot = Object.keys(vocab).length;
  return {
    ...gpt2,
    added_tokens: [{ id: eot, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    model: { ...model, vocab, merges },
  };
}

const base = smallByteLevel();
const byteLevelTail = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };

const HAND_TEXTS = [
  "Hello World  it's 'S HTTPServer x1 22 333 4444 ½ Ⅻ ٣٤",
  '  a  b\n\nc \t d\r\n e   ',
  'Punct!!! ... (x) [y] {z} --- a_b a-b "q" «r» ¿s? 、。',
  'ÀÉÎõü e\u0301 A\u030a ﬁ ｶﾞ ① ẞ ß İ Σ ΣΑΣ Ǆ',
  '中文字符 日本語 한국어 𠀀 😀👍🏽',
  'abcabcabc xyzxyz aaaa abab',
  'x²y ½z ¹ a\u200db a\u200cb Ⅻ _under µ ª º', // Oniguruma's \w quirks (Latin-1 digits in, joiners out)
];

function texts(seed: number): string[] {
  return [...HAND_TEXTS, ...randomTexts(seed, 40, 8)];
}

async function compare(name: string, json: Record<string, unknown>, seed: number): Promise<void> {
  const ours = createHfTokenizer(json, { sourcePath: name });
  const oracle = new RustOracle(json);
  for (const text of texts(seed)) {
    await assertSameIds(ours, oracle, text, false);
    await assertSameIds(ours, oracle, text, true);
  }
}

const withPre = (pre: unknown): Record<string, unknown> => ({
  ...base,
  pre_tokenizer: { type: 'Sequence', pretokenizers: [pre, byteLevelTail] },
});

test('Split: every behaviour, inverted or not, with regex and string patterns', async () => {
  const behaviors = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];
  let seed = 100;
  for (const behavior of behaviors) {
    for (const invert of [false, true]) {
      for (const pattern of [{ Regex: '\\s+' }, { Regex: '\\p{P}' }, { String: ' ' }, { String: 'ab' }]) {
        await compare(`Split ${behavior} ${invert} ${JSON.stringify(pattern)}`, withPre({ type: 'Split', pattern, behavior, invert }), seed++);
      }
    }
  }
});

test('Split: Oniguruma constructs translate exactly (case-insensitive groups, anchors, classes, lookarounds)', async () => {
  const patterns = [
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    '(?i)hello|world',
    '^\\s*\\w+|\\w+$',
    '\\bab|c\\B',
    '.{1,3}',
    '\\d+|\\D',
    '[\\p{Lu}\\p{Lt}][\\p{Ll}\\p{M}]*|[^\\p{L}]+',
    '(?<=a)b+|(?<!x)y',
    '[a-cx-z]+?c|[^a-z\\s]',
    '\\x41|\\u00e9|\\x{1F600}|\\t',
    '[\\p{P}\\p{S}]+|[\\p{Z}\\p{C}]',
    '(?:ab|cd)?e',
  ];
  let seed = 300;
  for (const p of patterns) await compare(`Split regex ${p}`, withPre({ type: 'Split', pattern: { Regex: p }, behavior: 'Isolated', invert: false }), seed++);
});

test('Metaspace, Whitespace, WhitespaceSplit, Punctuation, Digits, BertPreTokenizer, ByteLevel options', async () => {
  const variants: unknown[] = [
    { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: true },
    { type: 'Metaspace', replacement: '▁', prepend_scheme: 'never', split: false },
    { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    { type: 'Whitespace' },
    { type: 'WhitespaceSplit' },
    { type: 'Punctuation', behavior: 'Isolated' },
    { type: 'Punctuation', behavior: 'Contiguous' },
    { type: 'Punctuation', behavior: 'MergedWithNext' },
    { type: 'Digits', individual_digits: true },
    { type: 'Digits', individual_digits: false },
    { type: 'BertPreTokenizer' },
  ];
  let seed = 500;
  for (const v of variants) await compare(`pre ${JSON.stringify(v)}`, withPre(v), seed++);
  for (const add of [false, true]) {
    for (const useRegex of [false, true]) {
      await compare(
        `ByteLevel ${add} ${useRegex}`,
        { ...base, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: add, trim_offsets: true, use_regex: useRegex } },
        seed++,
      );
    }
  }
});

test('normalizers: NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip, BertNormalizer, Sequence', async () => {
  const variants: unknown[] = [
    { type: 'NFC' },
    { type: 'NFD' },
    { type: 'NFKC' },
    { type: 'NFKD' },
    { type: 'Lowercase' },
    { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
    { type: 'Replace', pattern: { String: 'ab' }, content: 'xyz' },
    { type: 'Prepend', prepend: '▁' },
    { type: 'Strip', strip_left: true, strip_right: true },
    { type: 'Strip', strip_left: false, strip_right: true },
    { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: false, strip_accents: true, lowercase: false },
    {
      type: 'Sequence',
      normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }, { type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }],
    },
  ];
  let seed = 700;
  for (const v of variants) await compare(`normalizer ${JSON.stringify(v)}`, { ...base, normalizer: v }, seed++);
});

test('added tokens: leftmost-longest, lstrip, rstrip, single_word, normalized, special or not', async () => {
  const added = (id: number, content: string, o: Record<string, boolean> = {}): Record<string, unknown> => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: false,
    ...o,
  });
  const tokens = [
    added(50257, 'ab'),
    added(50258, 'abc'),
    added(50259, 'bcd', { special: true }),
    added(50260, '<SEP>', { lstrip: true, rstrip: true, special: true }),
    added(50261, 'xyz', { single_word: true }),
    added(50262, 'HeLLo', { normalized: true }),
    added(50263, '[M]', { lstrip: true }),
    added(50264, '!!', { rstrip: true, special: true }),
  ];
  const json = { ...base, normalizer: { type: 'Lowercase' }, added_tokens: [...(base.added_tokens as unknown[]), ...tokens] };
  const ours = createHfTokenizer(json);
  const oracle = new RustOracle(json);
  const extra = ['abcd abc ab bcd xabcdx', 'a  <SEP>  b<SEP>c', 'xyz axyz xyza _xyz xyz_ (xyz)', 'hello HELLO HeLLo', '  [M] x[M]', 'wow!!  yes !! '];
  const next = rng(901);
  const pieces = ['ab', 'abc', 'bcd', '<SEP>', 'xyz', 'HELLO', '[M]', '!!', ' ', '  ', 'x', '_', '\n', 'é'];
  for (let i = 0; i < 150; i++) {
    let s = '';
    for (let k = 0; k < 10; k++) s += pieces[Math.floor(next() * pieces.length)];
    extra.push(s);
  }
  for (const text of extra) {
    await assertSameIds(ours, oracle, text, false);
    await assertSameIds(ours, oracle, text, true);
  }
});

/** A tiny BPE vocabulary over a–e with byte tokens, so every option's effect is visible. */
/** A tokenizer.json around one model, split on whitespace, with nothing else. */
function bareJson(model: Record<string, unknown>): Record<string, unknown> {
  return { version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: { type: 'WhitespaceSplit' }, post_processor: null, decoder: null, model };
}

function tinyBpe(opts: Record<string, unknown>, bytes: 'all' | 'ascii' | 'none', prefix = '', suffix = ''): Record<string, unknown> {
  const vocab: Record<string, number> = { '<unk>': 0 };
  const add = (t: string): void => {
    if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  };
  for (const c of 'abcde') {
    add(c);
    if (prefix) add(prefix + c);
    if (suffix) add(c + suffix);
    if (prefix && suffix) add(prefix + c + suffix);
  }
  if (bytes !== 'none') for (let b = 0; b < (bytes === 'all' ? 256 : 128); b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const merges: string[][] = [];
  const merge = (a: string, b: string): void => {
    const joined = a + b.slice(prefix.length);
    add(joined);
    merges.push([a, b]);
  };
  const p = prefix;
  merge('a', `${p}b`);
  merge(`${p}c`, `${p}d`);
  merge('ab', `${p}c`);
  merge(`${p}d`, `${p}e`);
  merge('abc', `${p}de`);
  merge('a', `${p}a`);
  if (suffix) {
    merge('a', `${p}b${suffix}`);
    merge(`${p}d`, `${p}e${suffix}`);
  }
  add('abcdeabcde'); // reachable only as a whole piece (ignore_merges)
  return bareJson({
    type: 'BPE',
    dropout: null,
    unk_token: '<unk>',
    continuing_subword_prefix: prefix || null,
    end_of_word_suffix: suffix || null,
    fuse_unk: false,
    byte_fallback: false,
    vocab,
    merges,
    ...opts,
  });
}

test('BPE options: byte_fallback, unk_token, fuse_unk, ignore_merges, continuing_subword_prefix, end_of_word_suffix, "a b" merges', async () => {
  const next = rng(1234);
  const alphabet = ['a', 'b', 'c', 'd', 'e', 'ab', 'abcde', 'x', 'é', '😀', ' ', 'abcdeabcde'];
  const samples = Array.from({ length: 120 }, () => {
    let s = '';
    for (let k = 0; k < 12; k++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  });
  samples.push('abcdeabcde abcde x xx xéx 😀😀 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcde');
  const configs: Array<[string, Record<string, unknown>]> = [
    ['byte fallback', tinyBpe({ byte_fallback: true }, 'all')],
    ['byte fallback, ASCII bytes only, unk', tinyBpe({ byte_fallback: true }, 'ascii')],
    ['fused unk', tinyBpe({ fuse_unk: true }, 'none')],
    ['unfused unk', tinyBpe({ fuse_unk: false }, 'none')],
    ['ignore_merges', tinyBpe({ ignore_merges: true }, 'all')],
    ['continuing_subword_prefix', tinyBpe({}, 'none', '##')],
    ['end_of_word_suffix', tinyBpe({}, 'none', '', '</w>')],
    ['prefix and suffix', tinyBpe({ fuse_unk: true }, 'none', '##', '</w>')],
  ];
  const noSpace = (j: Record<string, unknown>): Record<string, unknown> => ({ ...j, pre_tokenizer: null });
  const stringMerges = (j: Record<string, unknown>): Record<string, unknown> => {
    const model = j.model as { merges: string[][] };
    return { ...j, model: { ...model, merges: model.merges.map((m) => m.join(' ')) } };
  };
  for (const [name, json] of configs) {
    for (const variant of [json, noSpace(json), stringMerges(json)]) {
      const ours = createHfTokenizer(variant, { sourcePath: name });
      const oracle = new RustOracle(variant);
      for (const text of samples) await assertSameIds(ours, oracle, text, false);
    }
  }
});

test('WordPiece: greedy longest match, ## continuations, [UNK] for a word with an unmatched rest, max_input_chars_per_word', async () => {
  const vocab: Record<string, number> = { '[UNK]': 0, un: 1, '##aff': 2, '##able': 3, a: 4, '##b': 5, ab: 6, '##c': 7, x: 8 };
  const json = bareJson({ type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 12, vocab });
  const ours = createHfTokenizer(json);
  const oracle = new RustOracle(json);
  const next = rng(77);
  const parts = ['un', 'aff', 'able', 'a', 'b', 'c', 'x', 'q', ' '];
  const samples = ['unaffable ab abc abq x', 'a'.repeat(12), `${'ab'.repeat(7)}`, 'unaffableunaffable'];
  for (let i = 0; i < 100; i++) {
    let s = '';
    for (let k = 0; k < 8; k++) s += parts[Math.floor(next() * parts.length)];
    samples.push(s);
  }
  for (const text of samples) await assertSameIds(ours, oracle, text, false);
});
