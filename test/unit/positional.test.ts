import { test } from 'node:test';
import assert from 'node:assert/strict';
import { positionalRows, positionalTable, sinusoidalRows } from '../../src/engine/positional';
import { addEmbeddings, embedTokens } from '../../src/engine/combine';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { assertClose, reference } from './torchReference';

test('sinusoidal encodings follow Vaswani et al.: sin on even, cos on odd columns', () => {
  const rows = sinusoidalRows([0, 1, 2], 4);
  // pos 0: sin 0 = 0, cos 0 = 1 everywhere.
  assert.deepEqual([...rows.subarray(0, 4)], [0, 1, 0, 1]);
  // pos 1, d = 4: frequencies 1 and 1/10000^(2/4) = 1/100.
  assertClose(rows.subarray(4, 8), [0.8414709848, 0.5403023059, 0.0099998333, 0.99995], 'pos 1', 1e-7);
  assertClose(rows.subarray(8, 12), [0.9092974268, -0.4161468365, 0.0199986667, 0.9998000067], 'pos 2', 1e-7);
  // Values are float32.
  assert.equal(rows[4], Math.fround(Math.sin(1)));
});

test('sinusoidal encodings handle odd dims and large positions', () => {
  const rows = sinusoidalRows([1000], 5);
  assert.equal(rows.length, 5);
  const f = (i: number) => 1000 / Math.pow(10000, (2 * i) / 5);
  assertClose(rows, [Math.sin(f(0)), Math.cos(f(0)), Math.sin(f(1)), Math.cos(f(1)), Math.sin(f(2))], 'odd dim', 1e-7);
  assert.throws(() => sinusoidalRows([-1], 4), /non-negative integer/);
  assert.throws(() => sinusoidalRows([0], 0), /dim must be a positive integer/);
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
  assertClose(embedded.token, ids.flatMap((id) => ref.tok_rows[id]!), 'token');
  assertClose(embedded.position, [0, 1, 2, 3].flatMap((p) => ref.pos_rows[p]!), 'position');
  const expected = ids.flatMap((id, p) => ref.tok_rows[id]!.map((v, j) => v + ref.pos_rows[p]![j]!));
  assertClose(embedded.combined, expected, 'combined');
  const none = embedTokens(tables, ids, 'none');
  assert.deepEqual(none.combined, none.token);
  const wrapped = embedTokens(tables, [11, 11], 'sinusoidal', [0, 100000]);
  assert.deepEqual(wrapped.position, sinusoidalRows([0, 100000], 256));
  assert.throws(() => embedTokens(tables, [1, 2, 3, 4, 5], 'learned'), /Position row 4 is outside/);
  assert.throws(() => embedTokens(tables, [1, 2], 'learned', [0]), /one position per token/);
});
