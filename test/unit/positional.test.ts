import { test } from 'node:test';
import assert from 'node:assert/strict';
import { positionalRows, positionalTable, sinusoidalRows, sinusoidalTable } from '../../src/engine/positional';
import { addEmbeddings, embedTokens } from '../../src/engine/combine';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { assertClose, reference } from './torchReference';
import { assertMatchesTorchSinusoidal, f32, reference as analysisReference, torchSinusoidalRows } from './analysis/fixtures';

test("sinusoidal rows are PyTorch's float32 table, at small and large positions and odd dims", () => {
  for (const c of analysisReference.sinusoidalRows) {
    const ours = sinusoidalRows(c.positions, c.dim);
    assertMatchesTorchSinusoidal(ours, f32(c.data), c.positions, c.dim, `${c.dim} dims`);
  }
  assert.ok(analysisReference.sinusoidalRows.some((c) => c.dim % 2 === 1 && c.positions.includes(100000)));
  // row 0 is sin 0 = 0, cos 0 = 1 exactly; the reference itself is Vaswani's formula (position 1, dim 4:
  // sin 1, cos 1, sin 0.01, cos 0.01) to float32 accuracy (PyTorch's cos(1) is an ulp off the rounded value)
  assert.deepEqual([...sinusoidalRows([0], 4)], [0, 1, 0, 1]);
  assertClose(torchSinusoidalRows([1], 4), [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)], 'PyTorch position 1', 1.2e-7);
  assert.throws(() => sinusoidalRows([-1], 4), /non-negative integer/);
  assert.throws(() => sinusoidalRows([0], 0), /dim must be a positive integer/);
});

test('one sinusoidal implementation: the table of positions 0…n−1 is the rows of those positions', () => {
  assert.deepEqual(sinusoidalTable(130, 128).subarray(127 * 128), sinusoidalRows([127, 128, 129], 128));
  assert.throws(() => sinusoidalTable(-1, 4), /bad sinusoidal table length/);
});

test('learned positions are the PyTorch positional table; none is zeros', () => {
  const ref = reference.configs.seed_doc_6x3!.default;
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 6, dim: 3, contextLength: 4 });
  assertClose(positionalTable('learned', tables), ref.pos_full!.flat(), 'learned table');
  assertClose(positionalRows('learned', tables, [3, 0]), [...ref.pos_rows['3']!, ...ref.pos_rows['0']!], 'learned rows');
  assert.throws(() => positionalRows('learned', tables, [4]), /outside the position table/);
  assert.deepEqual(positionalRows('none', tables, [0, 7]), new Float32Array(6));
  assert.deepEqual(positionalTable('sinusoidal', tables), sinusoidalRows([0, 1, 2, 3], 3));
});

test('combined = token + position as a float32 add, broadcasting positions over the batch', () => {
  const token = Float32Array.from([0.1, 0.2, 1e8, 1]);
  const position = Float32Array.from([0.2, 1]);
  const sum = addEmbeddings(token, position);
  // float32(0.1) + float32(0.2) rounded to float32, not the float64 sum.
  assert.equal(sum[0], Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  assert.notEqual(sum[0], Math.fround(0.1) + Math.fround(0.2));
  assert.equal(sum[1], Math.fround(Math.fround(0.2) + 1));
  assert.equal(sum[2], 1e8 + 0); // 1e8 + 0.2 is 1e8 in float32
  assert.equal(sum[3], 2);
  assert.throws(() => addEmbeddings(new Float32Array(5), new Float32Array(2)), /whole number of positional blocks/);
});

test('embedTokens gives the book-config token, positional and combined rows', () => {
  const ref = reference.configs.book_50257x256!.default;
  const tables = new RandomEmbeddingTables({ seed: 123, vocabSize: 50257, dim: 256, contextLength: 4 });
  const ids = [40, 367, 2885, 1464];
  const embedded = embedTokens(tables, ids, 'learned');
  assert.deepEqual([...embedded.positions], [0, 1, 2, 3]);
  assertClose(
    embedded.token,
    ids.flatMap((id) => ref.tok_rows[id]!),
    'token',
  );
  assertClose(
    embedded.position,
    [0, 1, 2, 3].flatMap((p) => ref.pos_rows[p]!),
    'position',
  );
  const expected = ids.flatMap((id, p) => ref.tok_rows[id]!.map((v, j) => v + ref.pos_rows[p]![j]!));
  assertClose(embedded.combined, expected, 'combined');
  const none = embedTokens(tables, ids, 'none');
  assert.deepEqual(none.combined, none.token);
  const wrapped = embedTokens(tables, [11, 11], 'sinusoidal', [0, 100000]);
  assertMatchesTorchSinusoidal(wrapped.position, torchSinusoidalRows([0, 100000], 256), [0, 100000], 256, 'positions 0 and 100,000');
  assert.throws(() => embedTokens(tables, [1, 2, 3, 4, 5], 'learned'), /Position row 4 is outside/);
  assert.throws(() => embedTokens(tables, [1, 2], 'learned', [0]), /one position per token/);
});
