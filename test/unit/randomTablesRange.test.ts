// RandomEmbeddingTables.tokenRowsRange, the sequential fast path whole-vocabulary scans use: the same values as
// PyTorch (fixture rows and whole-table sums from real PyTorch 2.11) and bit for bit the same as the row-by-row
// path, for ranges that start and end inside Box–Muller blocks and ranges that reach the redrawn tail block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { torchEmbeddingInit } from '../../src/engine/torchRandom';
import { assertClose, reference } from './torchReference';

const book = reference.configs['book_50257x256']!.default;

test('a range scan of the whole GPT-2 × 256 table has the sums PyTorch gives, and its rows match PyTorch', () => {
  const tables = new RandomEmbeddingTables({ seed: book.seed, vocabSize: book.vocab, dim: book.dim, contextLength: book.ctx });
  const chunk = 1000;
  const block = new Float32Array(chunk * book.dim);
  let sum = 0;
  let sq = 0;
  for (let start = 0; start < book.vocab; start += chunk) {
    const count = Math.min(chunk, book.vocab - start);
    const rows = tables.tokenRowsRange(start, count, block);
    assert.equal(rows.length, count * book.dim);
    for (let i = 0; i < rows.length; i++) {
      sum += rows[i]!;
      sq += rows[i]! * rows[i]!;
    }
  }
  // PyTorch's kernels differ from ours by a few float32 ulps per element: over 12.9 M elements the sums agree to ~1e-6.
  assert.ok(Math.abs(sum - book.tok_sum) < 1e-3, `sum ${sum} vs PyTorch ${book.tok_sum}`);
  assert.ok(Math.abs(sq - book.tok_sq_sum) / book.tok_sq_sum < 1e-7, `sum of squares ${sq} vs PyTorch ${book.tok_sq_sum}`);
  for (const [row, values] of Object.entries(book.tok_rows)) {
    assertClose(tables.tokenRowsRange(Number(row), 1), values, `row ${row}`);
  }
  // The scan bypasses the row cache: a scan does not evict the rows the page is showing.
  assert.equal(tables.stats().cachedRows, 0);
});

test('ranges are bit-identical to the materialised reference generator, whatever their alignment to 16-element blocks', () => {
  // dims 7 and 24 put row starts inside blocks; vocab × dim not a multiple of 16 exercises the redrawn tail block.
  for (const [vocab, dim, seed] of [
    [301, 7, '7'],
    [257, 24, '18446744073709551615'],
    [64, 16, '123'],
  ] as const) {
    const full = torchEmbeddingInit(seed, vocab, dim, 4).token;
    const onDemand = new RandomEmbeddingTables({ seed, vocabSize: vocab, dim, contextLength: 4, materializeLimit: 0 });
    const materialised = new RandomEmbeddingTables({ seed, vocabSize: vocab, dim, contextLength: 4 });
    assert.equal(materialised.stats().materialized, true);
    for (const [start, count] of [
      [0, vocab],
      [0, 1],
      [1, 3],
      [5, 37],
      [vocab - 3, 3],
      [vocab - 1, 1],
      [vocab, 0],
      [Math.floor(vocab / 2), Math.ceil(vocab / 2)],
    ] as const) {
      const expected = full.subarray(start * dim, (start + count) * dim);
      for (const tables of [onDemand, materialised]) {
        assert.deepEqual(tables.tokenRowsRange(start, count), expected, `${vocab}×${dim} rows [${start}, +${count})`);
        const into = new Float32Array((count + 5) * dim).fill(9);
        const got = tables.tokenRowsRange(start, count, into);
        assert.equal(got.buffer, into.buffer, 'fills the buffer it is given');
        assert.deepEqual(got, expected);
      }
      const ids = Array.from({ length: count }, (_, i) => start + i);
      assert.deepEqual(onDemand.tokenRows(ids), expected, 'row-by-row path agrees');
    }
    assert.throws(() => onDemand.tokenRowsRange(vocab - 1, 2), RangeError);
    assert.throws(() => onDemand.tokenRowsRange(-1, 1), RangeError);
    assert.throws(() => onDemand.tokenRowsRange(0.5, 1), RangeError);
  }
});
