import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get_encoding } from 'tiktoken';
import { countBatches, countWindows, createDataloaderV1 } from '../../src/engine/batches';
import { addEmbeddings } from '../../src/engine/combine';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { assertClose, reference } from './torchReference';

/** The book's the-verdict.txt tokenized with the real gpt2 encoding (tiktoken's WASM build). */
function verdictIds(): Uint32Array {
  const text = readFileSync(new URL('../fixtures/the-verdict.txt', import.meta.url), 'utf8');
  const encoding = get_encoding('gpt2');
  try {
    return encoding.encode(text, ['<|endoftext|>']);
  } finally {
    encoding.free();
  }
}

const ids = verdictIds();

function rowsOf(values: Int32Array, width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += width) out.push([...values.subarray(i, i + width)]);
  return out;
}

test('the-verdict has 5,145 gpt2 tokens', () => {
  assert.equal(ids.length, 5145);
});

test('create_dataloader_v1(max_length=4, stride=4, batch_size=8): counts and first batch as in the book', () => {
  const loader = createDataloaderV1(ids, { maxLength: 4, stride: 4, batchSize: 8 });
  // range(0, 5145 - 4, 4) has 1,286 starts; drop_last keeps 160 full batches of 8.
  assert.equal(loader.windows, 1286);
  assert.equal(loader.batches, 160);
  const first = loader.batch(0);
  assert.equal(first.rows, 8);
  assert.deepEqual(rowsOf(first.inputs, 4), [
    [40, 367, 2885, 1464],
    [1807, 3619, 402, 271],
    [10899, 2138, 257, 7026],
    [15632, 438, 2016, 257],
    [922, 5891, 1576, 438],
    [568, 340, 373, 645],
    [1049, 5975, 284, 502],
    [284, 3285, 326, 11],
  ]);
  const targets = rowsOf(first.targets, 4);
  assert.deepEqual(targets[0], [367, 2885, 1464, 1807]);
  assert.deepEqual(targets[7], [3285, 326, 11, 287]);
  assert.deepEqual([...first.windowStarts], [0, 4, 8, 12, 16, 20, 24, 28]);
  const last = loader.batch(159);
  assert.equal(last.windowStarts[7], 1279 * 4);
  assert.equal(last.targets[last.targets.length - 1], ids[1279 * 4 + 4]);
  assert.throws(() => loader.batch(160), /valid: 0\.\.159/);
  assert.equal([...loader].length, 160);
});

test("stride 1 windows overlap like the book's first example, and drop_last=False keeps the rest", () => {
  const loader = createDataloaderV1(ids, { maxLength: 4, stride: 1, batchSize: 1 });
  assert.deepEqual([...loader.batch(0).inputs], [40, 367, 2885, 1464]);
  assert.deepEqual([...loader.batch(0).targets], [367, 2885, 1464, 1807]);
  assert.deepEqual([...loader.batch(1).inputs], [367, 2885, 1464, 1807]);
  assert.equal(loader.windows, 5141);

  const kept = createDataloaderV1(ids, { maxLength: 4, stride: 4, batchSize: 8, dropLast: false });
  assert.equal(kept.batches, 161);
  assert.equal(kept.batch(160).rows, 6);
  assert.equal(countWindows(10, 4, 3), 2); // range(0, 6, 3) = [0, 3]
  assert.equal(countBatches(2, 8), 0);
  assert.equal(countBatches(2, 8, false), 1);
});

test('too few tokens or bad options give actionable errors', () => {
  assert.throws(() => createDataloaderV1([1, 2, 3, 4], { maxLength: 4, stride: 1, batchSize: 1 }), /needs at least 5/);
  assert.throws(() => createDataloaderV1(ids, { maxLength: 0, stride: 1, batchSize: 1 }), /maxLength must be a positive integer/);
  assert.throws(() => createDataloaderV1(ids, { maxLength: 4, stride: 0, batchSize: 1 }), /stride must be a positive integer/);
  assert.throws(() => createDataloaderV1(ids, { maxLength: 4, stride: 1, batchSize: 0 }), /batchSize must be a positive integer/);
});

test('first batch embeddings: token (8, 4, 256) rows and positional (4, 256) rows are the PyTorch tables', () => {
  const ref = reference.configs.book_50257x256!.default;
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 50257, dim: 256, contextLength: 4 });
  const batch = createDataloaderV1(ids, { maxLength: 4, stride: 4, batchSize: 8 }).batch(0);
  const tokenEmbeddings = tables.tokenRows(batch.inputs);
  assert.equal(tokenEmbeddings.length, 8 * 4 * 256);
  assertClose(
    tokenEmbeddings,
    [...batch.inputs].flatMap((id) => ref.tok_rows[id]!),
    'token embeddings',
  );
  const positional = tables.positionRows([0, 1, 2, 3]);
  assertClose(
    positional,
    [0, 1, 2, 3].flatMap((p) => ref.pos_rows[p]!),
    'positional embeddings',
  );
  const combined = addEmbeddings(tokenEmbeddings, positional);
  const expected = [...batch.inputs].flatMap((id, i) => ref.tok_rows[id]!.map((v, j) => v + ref.pos_rows[i % 4]![j]!));
  assertClose(combined, expected, 'input embeddings');
});
