import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { torchEmbeddingInit } from '../../src/engine/torchRandom';
import { KERNELS, assertClose, reference } from './torchReference';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

for (const [name, kernels] of Object.entries(reference.configs)) {
  for (const materializeLimit of [undefined, 0]) {
    const mode = materializeLimit === 0 ? 'rows on demand' : 'default mode';
    test(`RandomEmbeddingTables matches PyTorch ${name} (${mode})`, () => {
      const shape = kernels.default;
      const tables = new RandomEmbeddingTables({
        seed: shape.seed,
        vocabSize: shape.vocab,
        dim: shape.dim,
        contextLength: shape.ctx,
        materializeLimit,
      });
      const D = shape.dim;
      for (const kernel of KERNELS) {
        const ref = kernels[kernel];
        const tokenIds = Object.keys(ref.tok_rows).map(Number);
        assertClose(
          tables.tokenRows(tokenIds),
          tokenIds.flatMap((r) => ref.tok_rows[r]!),
          `${kernel} token rows`,
        );
        const posIds = Object.keys(ref.pos_rows).map(Number);
        assertClose(
          tables.positionRows(posIds),
          posIds.flatMap((r) => ref.pos_rows[r]!),
          `${kernel} pos rows`,
        );
        // first32 / last32 are the flattened table's ends.
        const headRows = Math.ceil(ref.tok_first32.length / D);
        assertClose(tables.tokenRows(range(headRows)).subarray(0, ref.tok_first32.length), ref.tok_first32, `${kernel} first32`);
        const tailRows = Math.ceil(ref.tok_last32.length / D);
        const tail = tables.tokenRows(range(tailRows).map((i) => shape.vocab - tailRows + i));
        assertClose(tail.subarray(tail.length - ref.tok_last32.length), ref.tok_last32, `${kernel} last32`);
      }
      assert.equal(tables.stats().materialized, materializeLimit !== 0 && name !== 'book_50257x256');
    });
  }
}

test('rows on demand equal the materialised tables bit for bit for awkward shapes and huge seeds', () => {
  const shapes: [number, number, number][] = [
    [1, 3, 5], // scalar token table, then a scalar positional table using the cached sample
    [3, 5, 2],
    [1, 15, 40], // scalar token table, vectorised positional table
    [40, 1, 3], // vectorised token table, scalar positional table
    [1, 16, 1],
    [2, 8, 1],
    [37, 23, 11], // ragged tails in both tables
    [100, 16, 3],
    [7, 1000, 5],
    [333, 17, 9],
  ];
  for (const [V, D, C] of shapes) {
    for (const seed of [0n, 123n, 2n ** 64n - 1n, -5n]) {
      const full = torchEmbeddingInit(seed, V, D, C);
      // 3 checkpoints force long forward walks and restores; no row cache so every row is generated.
      const tables = new RandomEmbeddingTables({ seed, vocabSize: V, dim: D, contextLength: C, materializeLimit: 0, maxCheckpoints: 3, rowCacheBytes: 0 });
      const order = range(V).reverse();
      order.push(0, V - 1, Math.floor(V / 2)); // duplicates and revisits
      const rows = tables.tokenRows(order);
      const expected = new Float32Array(order.length * D);
      order.forEach((r, i) => expected.set(full.token.subarray(r * D, r * D + D), i * D));
      assert.deepEqual(rows, expected, `token ${V}×${D} seed ${seed}`);
      assert.deepEqual(tables.positionRows(range(C)), full.position, `position ${C}×${D} seed ${seed}`);
    }
  }
});

test('GPT-2 sized table answers rows without materialising it, with bounded memory', () => {
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 50257, dim: 768, contextLength: 1024 });
  const a = tables.tokenRows([40, 50256, 40]);
  assert.equal(a.length, 3 * 768);
  assert.deepEqual(a.subarray(0, 768), a.subarray(2 * 768));
  // Row 40 of a 768-wide table starts at element 30,720: the first 32 elements of the stream are row 0, and a
  // same-seed table of another width shares the same uniform stream, so row 0's head matches the book table.
  const head = tables.tokenRows([0]).subarray(0, 32);
  assertClose(head, reference.configs.book_50257x256!.default.tok_first32, 'row 0 head');
  tables.prepare();
  const stats = tables.stats();
  assert.equal(stats.materialized, false);
  assert.ok(stats.checkpointBytes < 16 * 1024 * 1024, `checkpoints take ${stats.checkpointBytes} bytes`);
  assert.ok(stats.cacheBytes <= 16 * 1024 * 1024);
  assert.equal(tables.positionRows([1023]).length, 768);
});

test('checkpoint count honours maxCheckpoints and the row cache honours its byte budget', () => {
  const tables = new RandomEmbeddingTables({
    seed: 1,
    vocabSize: 5000,
    dim: 64,
    contextLength: 8,
    maxCheckpoints: 10,
    rowCacheBytes: 64 * 4 * 5,
  });
  tables.tokenRows(range(40));
  tables.prepare();
  const stats = tables.stats();
  assert.ok(stats.checkpoints <= 11, `${stats.checkpoints} checkpoints`);
  assert.equal(stats.cachedRows, 5);
  assert.equal(stats.cacheBytes, 5 * 64 * 4);
});

test('describe() reports the seed as a decimal uint64 string and the shape', () => {
  const tables = new RandomEmbeddingTables({ seed: '-1', vocabSize: 200019, dim: 4096, contextLength: 8192 });
  assert.deepEqual(tables.describe(), {
    kind: 'random',
    seed: '18446744073709551615',
    vocabSize: 200019,
    dim: 4096,
    contextLength: 8192,
  });
  // The largest table: a row from the start of the stream is cheap and matches the 32-bit seed 2^32 − 1.
  const row = tables.tokenRows([1]);
  const small = torchEmbeddingInit(0xffffffff, 2, 4096, 1).token.subarray(4096, 8192);
  assert.deepEqual(row, small);
});

test('bad rows and shapes are rejected with clear errors', () => {
  const tables = new RandomEmbeddingTables({ seed: 1, vocabSize: 10, dim: 4, contextLength: 3 });
  assert.throws(() => tables.tokenRows([10]), /Token row 10 is outside the token table \(valid: 0\.\.9\)/);
  assert.throws(() => tables.tokenRows([-1]), RangeError);
  assert.throws(() => tables.tokenRows([1.5]), RangeError);
  assert.throws(() => tables.positionRows([3]), /Position row 3 is outside the position table \(valid: 0\.\.2\)/);
  assert.throws(() => new RandomEmbeddingTables({ seed: 1, vocabSize: 0, dim: 4, contextLength: 3 }), /vocabSize must be a positive integer/);
  assert.throws(() => new RandomEmbeddingTables({ seed: 1, vocabSize: 4, dim: 2.5, contextLength: 3 }), /dim must be a positive integer/);
  assert.throws(() => new RandomEmbeddingTables({ seed: 'abc', vocabSize: 4, dim: 2, contextLength: 3 }), /not a decimal integer/);
  assert.equal(tables.tokenRows([]).length, 0);
});
