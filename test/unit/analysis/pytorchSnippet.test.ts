import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get_encoding } from 'tiktoken';
import { generatePytorchSnippet, pythonString, type PytorchSnippetOptions } from '../../../src/engine/analysis/pytorchSnippet';
import { RandomEmbeddingTables } from '../../../src/engine/randomTables';
import type { SourceDescription } from '../../../src/shared/embeddingTypes';
import { assertMatchesTorchSinusoidal, reference, torchSinusoidalRows } from './fixtures';
import { assertSamePrint, commentAfter } from './torchPrint';

const GPT2_TOKENIZER = { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 } as const;

const verdict = readFileSync(join(__dirname, '..', '..', 'fixtures', 'the-verdict.txt'), 'utf8');
function verdictIds(): Uint32Array {
  const enc = get_encoding('gpt2');
  try {
    return enc.encode(verdict, ['<|endoftext|>']);
  } finally {
    enc.free();
  }
}

const bookSource: SourceDescription = { kind: 'random', seed: '123', vocabSize: 50257, dim: 256, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 };
const bookSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: true,
  contextLength: 4,
  stride: 4,
  batchSize: 8,
  positional: 'learned',
} as const;
let bookTables: RandomEmbeddingTables | undefined;
const tablesFor = () => (bookTables ??= new RandomEmbeddingTables({ seed: 123, vocabSize: 50257, dim: 256, contextLength: 4 }));

test("the book's pipeline (seed 123, 50257×256, context 4, the-verdict): the stated outputs are PyTorch's own prints", () => {
  const snippet = generatePytorchSnippet({
    settings: bookSettings,
    source: bookSource,
    ids: verdictIds(),
    tables: tablesFor(),
    text: { kind: 'file', path: 'the-verdict.txt' },
  });
  assert.deepEqual(snippet.inputsShape, [8, 4]);
  assert.deepEqual(Array.from(snippet.inputs), reference.book.inputs.flat());
  const code = snippet.code;
  // structure, in order: seed, token layer, positional layer, lookups, sum
  const order = [
    'import torch',
    'torch.set_printoptions(precision=4)',
    'import tiktoken',
    'class GPTDatasetV1(Dataset):',
    'with open("the-verdict.txt", "r", encoding="utf-8") as f:',
    'dataloader = create_dataloader_v1(raw_text, batch_size=8, max_length=max_length,',
    'inputs, targets = next(data_iter)',
    'vocab_size = 50257',
    'output_dim = 256',
    'context_length = 4',
    'torch.manual_seed(123)',
    'token_embedding_layer = torch.nn.Embedding(vocab_size, output_dim)',
    'pos_embedding_layer = torch.nn.Embedding(context_length, output_dim)',
    'token_embeddings = token_embedding_layer(inputs)',
    'pos_embeddings = pos_embedding_layer(torch.arange(max_length))',
    'input_embeddings = token_embeddings + pos_embeddings',
    'print(input_embeddings)',
  ];
  let from = 0;
  for (const line of order) {
    const at = code.split('\n').indexOf(line, from);
    assert.ok(at >= from, `"${line}" missing or out of order`);
    from = at + 1;
  }
  assert.match(code, /token_ids = tokenizer\.encode\(txt, allowed_special="all"\)/);
  assert.match(code, /ENCODING = "gpt2"/);
  // the numbers it states are PyTorch's printed output (fixture printed by real PyTorch)
  assertSamePrint(commentAfter(code, '# print(token_embeddings)'), reference.book.tokenRepr, 'token_embeddings');
  assertSamePrint(commentAfter(code, '# print(pos_embeddings)'), reference.book.posRepr, 'pos_embeddings');
  assertSamePrint(commentAfter(code, '# print(input_embeddings)'), reference.book.combinedRepr, 'input_embeddings');
  assert.match(code, /# expected: torch\.Size\(\[8, 4, 256\]\)/);
  assert.equal(commentAfter(code, '# expected: the IDs below (first batch, 8 windows of 4 tokens)'), reference.book.inputsRepr);
  // first row of input_embeddings as a float32-exact literal, checked in the script with allclose(atol=1e-5):
  // PyTorch's own values to within that (its vectorised and scalar normal_ kernels differ in the last bits)
  const first = /expected_first_row = torch\.tensor\(\[([^\]]*)\]\)/.exec(code)![1]!.split(', ').map(Number);
  assert.equal(first.length, 8);
  first.forEach((v, j) => assert.ok(Math.abs(v - reference.book.combinedFirstRow[j]!) <= 1e-6, `[${j}] ${v} vs PyTorch ${reference.book.combinedFirstRow[j]}`));
});

test("seed 123, 6×3 (the book's small example): one short text is one row; first row stated to 4 decimals", () => {
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 6, dim: 3, contextLength: 4 });
  const s = generatePytorchSnippet({
    settings: { ...bookSettings, contextLength: 4 },
    source: { kind: 'random', seed: '123', vocabSize: 6, dim: 3, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 },
    ids: [2, 3, 5, 1],
    tables,
  });
  assert.match(s.code, /^inputs = torch\.tensor\(\[\[2, 3, 5, 1\]\]\)$/m);
  assert.match(s.code, /^pos_embeddings = pos_embedding_layer\(torch\.arange\(4\)\)$/m);
  const tok = commentAfter(s.code, '# print(token_embeddings)');
  // rows 2, 3, 5 of PyTorch's seed-123 Embedding(6, 3) (reference: torch-embedding-init.json)
  assert.equal(
    tok,
    'tensor([[[ 1.2753, -0.2010, -0.1606],\n' +
      '         [-0.4015,  0.9666, -1.1481],\n' +
      '         [-2.8400, -0.7849, -1.4096],\n' +
      '         [ 0.9178,  1.5810,  1.3010]]], grad_fn=<EmbeddingBackward0>)',
  );
  // the whole 6×3 table in order prints exactly like the book's weight
  const all = generatePytorchSnippet({
    settings: { ...bookSettings, contextLength: 6 },
    source: { kind: 'random', seed: '123', vocabSize: 6, dim: 3, contextLength: 6, tokenizer: GPT2_TOKENIZER, paddingRows: 0 },
    ids: [0, 1, 2, 3, 4, 5],
    tables: new RandomEmbeddingTables({ seed: 123, vocabSize: 6, dim: 3, contextLength: 6 }),
  });
  const weight = reference.repr.find((r) => r.name === 'parameter_6x3')!.repr;
  const rowsOf = (t: string) => t.match(/\[ ?-?\d\.\d{4}, +-?\d\.\d{4}, +-?\d\.\d{4}\]/g);
  assert.deepEqual(rowsOf(commentAfter(all.code, '# print(token_embeddings)')), rowsOf(weight));
  assert.equal(rowsOf(weight)![0], '[ 0.3374, -0.1778, -0.1690]');
  // positional rows 0..3 of the same stream: [-0.6307, 1.2340, 0.3127], …
  assert.match(commentAfter(s.code, '# print(pos_embeddings)'), /^tensor\(\[\[-0\.6307,  1\.2340,  0\.3127\],/);
  assert.match(s.code, /^expected_first_row = torch\.tensor\(\[0\.644626, 1\.0330516, 0\.15211266\]\)$/m);
});

test('long input without the dataloader code: inputs are the first (batch, context) windows, inlined', () => {
  const ids = Array.from({ length: 50 }, (_, i) => (i * 7) % 6);
  const s = generatePytorchSnippet({
    settings: { ...bookSettings, contextLength: 4, stride: 2, batchSize: 3 },
    source: { kind: 'random', seed: '7', vocabSize: 6, dim: 3, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 },
    ids,
  });
  assert.deepEqual(s.inputsShape, [3, 4]);
  assert.deepEqual(Array.from(s.inputs), [...ids.slice(0, 4), ...ids.slice(2, 6), ...ids.slice(4, 8)]);
  assert.match(s.code, /# The text has 50 tokens > context length 4/);
  assert.match(s.code, /inputs = torch\.tensor\(\[\n    \[0, 1, 2, 3\],\n    \[2, 3, 4, 5\],\n    \[4, 5, 0, 1\],\n\]\)/);
  assert.equal(s.expected, null);
  assert.doesNotMatch(s.code, /tiktoken/);
});

test('loaded weights: safetensors load_file with the same file and tensor names', () => {
  const s = generatePytorchSnippet({
    settings: { ...bookSettings, contextLength: 1024 },
    source: {
      kind: 'file',
      path: 'C:\\models\\gpt2 "small"\\model.safetensors',
      tokenTensor: 'wte.weight',
      positionTensor: 'wpe.weight',
      dtype: 'F16',
      vocabSize: 50257,
      dim: 768,
      contextLength: 1024,
      tokenizer: GPT2_TOKENIZER,
      paddingRows: 0,
    },
    ids: [40, 367],
  });
  assert.match(s.code, /^from safetensors\.torch import load_file$/m);
  assert.match(s.code, /^weights = load_file\("C:\\\\models\\\\gpt2 \\"small\\"\\\\model\.safetensors"\)$/m);
  assert.match(s.code, /token_embedding_layer = torch\.nn\.Embedding\.from_pretrained\(weights\["wte\.weight"\]\.float\(\), freeze=False\)/);
  assert.match(s.code, /pos_embedding_layer = torch\.nn\.Embedding\.from_pretrained\(weights\["wpe\.weight"\]\.float\(\), freeze=False\)/);
  assert.doesNotMatch(s.code, /manual_seed/);
  assert.throws(
    () =>
      generatePytorchSnippet({
        settings: bookSettings,
        source: {
          kind: 'file',
          path: 'x.safetensors',
          tokenTensor: 't',
          positionTensor: null,
          dtype: 'F32',
          vocabSize: 9,
          dim: 2,
          contextLength: 0,
          tokenizer: GPT2_TOKENIZER,
          paddingRows: 0,
        },
        ids: [1],
      }),
    /x\.safetensors has no positional table; choose the sinusoidal or none scheme/,
  );
});

test("sinusoidal and none schemes emit their own positional code; expected values are PyTorch's", () => {
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 6, dim: 5, contextLength: 4 });
  const base: PytorchSnippetOptions = {
    settings: { ...bookSettings, positional: 'sinusoidal' },
    source: { kind: 'random', seed: '123', vocabSize: 6, dim: 5, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 },
    ids: [1, 2, 3, 4],
    tables,
  };
  const sin = generatePytorchSnippet(base);
  assert.match(sin.code, /^def sinusoidal_table\(max_len, d_model\):$/m);
  assert.match(sin.code, /^    div_term = torch\.exp\(torch\.arange\(0, d_model, 2\)\.float\(\) \* \(-math\.log\(10000\.0\) \/ d_model\)\)$/m);
  assert.match(sin.code, /^pos_embeddings = sinusoidal_table\(4, 5\)$/m);
  assert.doesNotMatch(sin.code, /pos_embedding_layer/);
  // positions 0…3 of an odd 5-dim table, as real PyTorch computed them with the same code
  const torchRows = torchSinusoidalRows([0, 1, 2, 3], 5);
  assertMatchesTorchSinusoidal(sin.expected!.posEmbeddings, torchRows, [0, 1, 2, 3], 5, 'snippet positions');
  assert.match(commentAfter(sin.code, '# print(pos_embeddings)'), /^tensor\(\[\[ 0\.0000e\+00,  1\.0000e\+00,  0\.0000e\+00,  1\.0000e\+00,  0\.0000e\+00\],/);
  const none = generatePytorchSnippet({ ...base, settings: { ...bookSettings, positional: 'none' } });
  assert.match(none.code, /pos_embeddings = torch\.zeros\(inputs\.shape\[1\], token_embeddings\.shape\[-1\]\)/);
  assert.deepEqual(none.expected!.inputEmbeddings, none.expected!.tokenEmbeddings);
  assert.throws(() => generatePytorchSnippet({ ...base, ids: [] }), /no tokens/);
});

test('pythonString escapes what a Python literal needs', () => {
  assert.equal(pythonString('a"b\\c\n\t\r\u0001é🙂'), '"a\\"b\\\\c\\n\\t\\r\\x01é🙂"');
  assert.equal(pythonString('\u2028'), '"\\u2028"');
});

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
test('every script variant is valid Python (parsed by the real interpreter)', { skip: !python && 'no python on PATH' }, () => {
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 6, dim: 3, contextLength: 4 });
  const src: SourceDescription = { kind: 'random', seed: '123', vocabSize: 6, dim: 3, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 };
  const file: SourceDescription = {
    kind: 'file',
    path: 'C:\\w\\it\'s "q".safetensors',
    tokenTensor: 'wte.weight',
    positionTensor: 'wpe.weight',
    dtype: 'BF16',
    vocabSize: 6,
    dim: 3,
    contextLength: 4,
    tokenizer: GPT2_TOKENIZER,
    paddingRows: 0,
  };
  const ids = [1, 2, 3, 4, 5, 0, 1, 2, 3, 4];
  const variants: PytorchSnippetOptions[] = [];
  for (const positional of ['learned', 'sinusoidal', 'none'] as const) {
    for (const source of [src, file]) {
      for (const text of [undefined, { kind: 'inline' as const, text: 'a "b"\n\'c\'\t\\ é' }, { kind: 'file' as const, path: 'the-verdict.txt' }]) {
        for (const allowSpecial of [true, false]) {
          variants.push({
            settings: { ...bookSettings, positional, allowSpecial, stride: 2, batchSize: 2 },
            source,
            ids,
            tables: source === src ? tables : undefined,
            text,
          });
          variants.push({ settings: { ...bookSettings, positional, allowSpecial }, source, ids: ids.slice(0, 3), text });
        }
      }
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'snippets-'));
  try {
    const files = variants.map((v, i) => {
      const f = join(dir, `s${i}.py`);
      writeFileSync(f, generatePytorchSnippet(v).code);
      return f;
    });
    const r = spawnSync(
      python!,
      ['-c', 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding="utf-8").read(), f)\nprint(len(sys.argv) - 1)', ...files],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), String(variants.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
