// What the source bars say (webview/shared/sourceLines.ts) for the random init, a weights file and models (a
// sharded Hugging Face folder, a RoPE GGUF), and how padding rows are marked in the hover's nearest-tokens line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceDescription, TokenizerDescription } from '../../../src/shared/embeddingTypes';
import { renderNeighborsLine } from '../../../src/host/hoverNeighbors';
import { positionsLine, sourceLines, sourceSummary, tokenizerLine } from '../../../webview/shared/sourceLines';

const gpt2: TokenizerDescription = { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50_257 };
const llama3: TokenizerDescription = { kind: 'model', name: 'Llama-3.2-1B', path: '/m/Llama-3.2-1B', model: 'BPE', vocabSize: 128_256 };

test('the random init: seed, PyTorch call, shape, built-in tokenizer; no positions line', () => {
  const lines = sourceLines({ kind: 'random', seed: '123', vocabSize: 50_257, dim: 256, contextLength: 4, tokenizer: gpt2, paddingRows: 0 });
  assert.deepEqual(lines, {
    label: 'random init · seed 123',
    title: 'torch.manual_seed(123); nn.Embedding(50257, 256)',
    detail: '50,257 × 256',
    tokenizer: 'tokenizer gpt2 · built-in encoding (BPE) · 50,257 ids',
    positions: null,
  });
});

test('a weights file: tensors, dtype, shape (as before) and padding rows when the table has more rows than ids', () => {
  const file: SourceDescription = {
    kind: 'file',
    path: '/w/tiny-gpt2.safetensors',
    tokenTensor: 'wte.weight',
    positionTensor: 'wpe.weight',
    dtype: 'F32',
    vocabSize: 50_257,
    dim: 8,
    contextLength: 16,
    tokenizer: gpt2,
    paddingRows: 0,
  };
  assert.equal(sourceLines(file).label, 'tiny-gpt2.safetensors');
  assert.equal(sourceLines(file).detail, 'wte.weight + wpe.weight · F32 · 50,257 × 8');
  assert.equal(
    sourceLines({ ...file, positionTensor: null, vocabSize: 50_304, paddingRows: 47 }).detail,
    'wte.weight (no positional tensor) · F32 · 50,304 × 8 · 47 padding rows (never trained)',
  );
  assert.equal(sourceSummary({ ...file, vocabSize: 50_258, paddingRows: 1 }), 'tiny-gpt2.safetensors (F32) · 1 padding row (never trained)');
});

test('a model: format, architecture, tensor and shard, quantization, padding, its tokenizer and positions', () => {
  const model: SourceDescription = {
    kind: 'model',
    format: 'huggingface',
    path: '/m/Llama-3.2-1B',
    architecture: 'llama',
    file: 'model-00001-of-00004.safetensors',
    tokenTensor: 'model.embed_tokens.weight',
    shard: { number: 1, of: 4 },
    dtype: 'BF16',
    vocabSize: 128_256,
    dim: 2048,
    contextLength: 4,
    modelContextLength: 131_072,
    positions: { kind: 'rope', theta: 500_000, headDim: 64, rotaryDim: null },
    tokenizer: llama3,
    paddingRows: 0,
  };
  const lines = sourceLines(model);
  assert.equal(lines.label, 'Llama-3.2-1B');
  assert.equal(lines.title, '/m/Llama-3.2-1B');
  assert.equal(lines.detail, 'Hugging Face · llama · model.embed_tokens.weight in model-00001-of-00004.safetensors (shard 1 of 4) · BF16 · 128,256 × 2,048');
  assert.equal(lines.tokenizer, 'tokenizer Llama-3.2-1B · the model’s own (BPE) · 128,256 ids');
  assert.equal(
    lines.positions,
    'positions: rotary (RoPE, theta 500000, head dim 64): queries and keys are rotated inside attention, so nothing is added to the token vector: combined = token vector',
  );
  const gguf = sourceLines({
    ...(model as Extract<SourceDescription, { kind: 'model' }>),
    format: 'gguf',
    path: '/m/qwen3-q6_k.gguf',
    architecture: null,
    shard: null,
    dtype: 'Q6_K',
    paddingRows: 267,
  });
  assert.equal(gguf.label, 'qwen3-q6_k.gguf');
  assert.equal(gguf.detail, 'GGUF · architecture not named · model.embed_tokens.weight · Q6_K · 128,256 × 2,048 · 267 padding rows (never trained)');
  assert.equal(
    tokenizerLine({ kind: 'tokenizer.json', name: 'meta-llama/Llama-3.2-1B', path: '/hub/x/tokenizer.json', model: 'BPE', vocabSize: 128_256 }),
    'tokenizer meta-llama/Llama-3.2-1B · tokenizer.json (BPE) · 128,256 ids',
  );
});

test('a model’s positions in words: learned (with OPT’s offset), partial RoPE, ALiBi, none', () => {
  assert.equal(
    positionsLine({ kind: 'learned', tensor: 'model.decoder.embed_positions.weight', file: 'model.safetensors', rows: 2050, offset: 2 }),
    'positions: learned table model.decoder.embed_positions.weight (2,050 rows, positions start at row 2), added to each token vector',
  );
  assert.equal(
    positionsLine({ kind: 'learned', tensor: 'wpe', file: 'm', rows: 1024, offset: 0 }),
    'positions: learned table wpe (1,024 rows), added to each token vector',
  );
  assert.match(
    positionsLine({ kind: 'rope', theta: 10000, headDim: 80, rotaryDim: 20 }),
    /^positions: rotary \(RoPE, theta 10000, head dim 80, 20 dims rotated\)/,
  );
  assert.match(
    positionsLine({ kind: 'rope', theta: 10000, headDim: null, rotaryDim: null }),
    /^positions: rotary \(RoPE, theta 10000\): .*combined = token vector$/,
  );
  assert.match(positionsLine({ kind: 'alibi' }), /^positions: ALiBi.*combined = token vector$/);
  assert.match(positionsLine({ kind: 'none' }), /no positional table.*combined = token vector$/);
});

test('the hover marks padding rows among the nearest tokens', () => {
  assert.equal(
    renderNeighborsLine([
      { id: 50_300, score: 1, text: null, padding: true },
      { id: 262, score: 0.5, text: ' the', padding: false },
    ]),
    'nearest: id 50300 1.000 padding (never trained) · “␣the” 0.500',
  );
});
