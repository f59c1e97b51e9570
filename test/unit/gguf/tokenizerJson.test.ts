// GGUF tokenizer metadata → tokenizer.json. Oracle: Hugging Face's Rust tokenizers (@anush008/tokenizers) must give
// the same IDs for the converted JSON as for the original tokenizer.json the GGUF metadata was made from.
import assert from 'node:assert/strict';
import { PreparedVocab } from '../../../src/engine/hfTokenizer/leanJson';
import { describe, test } from 'node:test';
import { Tokenizer } from '@anush008/tokenizers';
import { GgufError, parseGgufBytes, type GgufErrorCode } from '../../../src/engine/gguf';
import { ggufTokenizerJson } from '../../../src/engine/gguf/tokenizerJson';
import { f32s, i32s, str, strs, writeGguf, type WriterValue } from './ggufWriter';
import { gpt2StyleMetadata, lenmlTokenizerJson, sentencePieceMetadata, type LenmlModel } from './hfToGguf';

const TEXTS = [
  'Hello world! The quick brown fox jumps over the lazy dog.',
  "I'm sure they'll say it's FINE, we've DONE it, you'd agree.",
  'Numbers: 1 12 123 1234 12345 3.14159 2026-11-28',
  '  leading spaces,\ttabs,\n\nnewlines\r\n and    runs   of   spaces   ',
  'Ünïcödé: café naïve Zürich — “quotes” … émoji 🤗🚀 👩‍👩‍👧',
  '中文分词测试，日本語のテキスト、한국어 텍스트 and العربية',
  'def f(x):\n    return x**2 + 1  # comment\n',
  '<|endoftext|> <think>special</think> <s> </s> [PAD] <0x41>',
  'e\u0301 composed vs é precomposed; ﬁ ligature; Ａ full-width',
];

async function ids(json: unknown, text: string): Promise<number[]> {
  const t = Tokenizer.fromString(JSON.stringify(json));
  const e = await t.encode(text, null, { addSpecialTokens: false });
  return e.getIds();
}

function metadataOf(kvs: [string, WriterValue][]) {
  return parseGgufBytes(writeGguf({ kvs })).metadata;
}

describe('tokenizer.json from GGUF metadata gives the original tokenizer’s IDs (HF Rust tokenizers as oracle)', () => {
  const cases: [LenmlModel, string][] = [
    ['gpt2', 'gpt-2'],
    ['llama3', 'llama-bpe'],
    ['qwen3', 'qwen2'],
    ['deepseek_v3', 'deepseek-v3'],
  ];
  for (const [model, pre] of cases) {
    test(`${model} as tokenizer.ggml.model "gpt2", pre "${pre}"`, { timeout: 120_000 }, async () => {
      const original = lenmlTokenizerJson(model);
      const converted = ggufTokenizerJson(metadataOf(gpt2StyleMetadata(original, pre)), 'm.gguf');
      assert.equal(converted.kind, 'gpt2');
      assert.equal(converted.pre, pre);
      const a = Tokenizer.fromString(JSON.stringify(original));
      const b = Tokenizer.fromString(JSON.stringify(converted.json));
      for (const text of TEXTS) {
        const want = (await a.encode(text, null, { addSpecialTokens: false })).getIds();
        const got = (await b.encode(text, null, { addSpecialTokens: false })).getIds();
        assert.deepEqual(got, want, `${model}: ${JSON.stringify(text)}`);
      }
    });
  }

  test('llama2 as a SentencePiece ("llama") vocabulary: merges rebuilt from scores', { timeout: 120_000 }, async () => {
    const original = lenmlTokenizerJson('llama2');
    const converted = ggufTokenizerJson(metadataOf(sentencePieceMetadata(original)), 'm.gguf');
    assert.equal(converted.kind, 'llama');
    assert.equal(converted.vocabSize, 32000);
    for (const text of TEXTS) {
      assert.deepEqual(await ids(converted.json, text), await ids(original, text), JSON.stringify(text));
    }
  });

  test('an embedded tokenizer.huggingface.json is used as is', async () => {
    const original = lenmlTokenizerJson('gpt2');
    const converted = ggufTokenizerJson(
      metadataOf([
        ['tokenizer.huggingface.json', str(JSON.stringify(original))],
        ['tokenizer.ggml.model', str('nonsense')],
      ]),
      'm.gguf',
    );
    assert.equal(converted.kind, 'huggingface-json');
    assert.equal(converted.vocabSize, 50257);
    assert.deepEqual(await ids(converted.json, TEXTS[0]), await ids(original, TEXTS[0]));
  });
});

test('tokens named like Object.prototype members are plain vocabulary entries', () => {
  const t = ggufTokenizerJson(
    metadataOf([
      ['tokenizer.ggml.model', str('gpt2')],
      ['tokenizer.ggml.pre', str('gpt-2')],
      ['tokenizer.ggml.tokens', strs(['__proto__', 'constructor', 'toString'])],
      ['tokenizer.ggml.merges', strs([])],
    ]),
    'm.gguf',
  );
  // The vocabulary comes in the tokenizer's own form (hfTokenizer/leanJson.ts); as JSON it is the plain object.
  const prepared = (t.json.model as { vocab: unknown }).vocab;
  assert.ok(prepared instanceof PreparedVocab);
  const vocab = prepared.toJSON();
  assert.deepEqual([vocab['__proto__'], vocab['constructor'], vocab['toString']], [0, 1, 2]);
  assert.equal(prepared.index.get('__proto__'), 0);
  assert.equal(JSON.parse(JSON.stringify(t.json)).model.vocab['__proto__'], 0);
});

describe('bad tokenizer metadata is refused clearly', () => {
  const refuses = (kvs: [string, WriterValue][], code: GgufErrorCode, message: RegExp) =>
    assert.throws(
      () => ggufTokenizerJson(metadataOf(kvs), 'm.gguf'),
      (e: unknown) => e instanceof GgufError && e.code === code && message.test(e.message),
    );
  const base = (pre: string): [string, WriterValue][] => [
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str(pre)],
    ['tokenizer.ggml.tokens', strs(['a', 'b', 'ab'])],
    ['tokenizer.ggml.merges', strs(['a b'])],
  ];
  test('unknown or missing pre-tokenizer names', () => {
    refuses(base('chatglm-bpe'), 'unknownPreTokenizer', /"chatglm-bpe".*Known: llama3, .*qwen2/);
    refuses(
      base('gpt-2').filter(([k]) => k !== 'tokenizer.ggml.pre'),
      'unknownPreTokenizer',
      /does not name its pre-tokenizer/,
    );
  });
  test('unknown tokenizer models and missing parts', () => {
    refuses(
      [
        ['tokenizer.ggml.model', str('rwkv')],
        ['tokenizer.ggml.tokens', strs(['a'])],
      ],
      'invalidTokenizer',
      /"rwkv"/,
    );
    refuses([], 'invalidTokenizer', /has no tokenizer/);
    refuses(
      base('gpt-2').filter(([k]) => k !== 'tokenizer.ggml.merges'),
      'invalidTokenizer',
      /without tokenizer.ggml.merges/,
    );
    refuses(
      [
        ['tokenizer.ggml.model', str('llama')],
        ['tokenizer.ggml.tokens', strs(['a'])],
      ],
      'invalidTokenizer',
      /without tokenizer.ggml.scores/,
    );
    refuses([['tokenizer.huggingface.json', str('{"model": 1')]], 'invalidTokenizer', /not valid JSON/);
  });
  test('array element type mismatches and length mismatches (token_type, scores)', () => {
    refuses([...base('gpt-2'), ['tokenizer.ggml.token_type', f32s([1, 1, 1])]], 'wrongValueType', /token_type .* is array<f32>; expected array<i32>/);
    refuses([...base('gpt-2'), ['tokenizer.ggml.scores', i32s([1, 1, 1])]], 'wrongValueType', /scores .* array<i32>; expected array<f32>/);
    refuses([...base('gpt-2'), ['tokenizer.ggml.token_type', i32s([1, 1])]], 'invalidTokenizer', /2 entries for 3 tokens/);
    refuses(
      [
        ['tokenizer.ggml.model', str('gpt2')],
        ['tokenizer.ggml.tokens', { type: 'u32', value: 3 }],
      ],
      'wrongValueType',
      /expected array<string>/,
    );
    refuses([...base('gpt-2'), ['tokenizer.ggml.token_type', i32s([1, 9, 1])]], 'invalidTokenizer', /token type 9/);
  });
  test('a "<0x-1>" byte token', () => {
    refuses(
      [
        ['tokenizer.ggml.model', str('llama')],
        ['tokenizer.ggml.tokens', strs(['<unk>', '<0x-1>'])],
        ['tokenizer.ggml.scores', f32s([0, 0])],
        ['tokenizer.ggml.token_type', i32s([2, 6])],
      ],
      'invalidTokenizer',
      /Byte token 1 .* "<0x-1>"/,
    );
  });
  test('a merge without a space', () => {
    refuses([...base('gpt-2').filter(([k]) => k !== 'tokenizer.ggml.merges'), ['tokenizer.ggml.merges', strs(['ab'])]], 'invalidTokenizer', /Merge #0/);
  });
});
