import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineSimilarity, cosineSimilarityMatrix, repeatedTokenGroups, repeatedTokenPairs, rowNorms } from '../../../src/engine/analysis/similarity';
import { meanNormByPosition, tokenPositionStats } from '../../../src/engine/analysis/tokenStats';
import { bookBatch } from './fixtures';

test('cosine matrix: known small cases, symmetric, exact 1 on the diagonal, NaN for zero vectors', () => {
  const m = cosineSimilarityMatrix(Float32Array.from([1, 0, 0, 1, 1, 1, -2, 0]), 4, 2);
  const at = (a: number, b: number) => m[a * 4 + b]!;
  assert.equal(at(0, 0), 1);
  assert.equal(at(0, 1), 0);
  assert.equal(at(0, 2), Math.fround(Math.SQRT1_2));
  assert.equal(at(2, 0), at(0, 2));
  assert.equal(at(0, 3), -1);
  assert.equal(at(1, 1), 1);
  assert.throws(() => cosineSimilarityMatrix(new Float32Array(7), 4, 2), /needs 8 values/);
  const z = cosineSimilarityMatrix(Float32Array.from([0, 0, 1, 2]), 2, 2);
  assert.ok(Number.isNaN(z[0]!) && Number.isNaN(z[1]!));
  assert.equal(z[3], 1);
  assert.ok(Math.abs(cosineSimilarity([1, 2, 3], [2, 4, 6]) - 1) < 1e-15);
  assert.ok(Number.isNaN(cosineSimilarity([0, 0], [1, 1])));
});

test('diagonal is exactly 1 for every row of a real 256-d batch, and values lie in [-1, 1]', () => {
  const b = bookBatch();
  const n = b.ids.length;
  const m = cosineSimilarityMatrix(b.comb, n, b.dim);
  for (let i = 0; i < n; i++) {
    assert.equal(m[i * n + i], 1);
    for (let j = 0; j < n; j++) {
      assert.equal(m[i * n + j], m[j * n + i]);
      assert.ok(m[i * n + j]! >= -1 && m[i * n + j]! <= 1);
    }
  }
  // float64 check of one entry against a direct computation
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < b.dim; j++) {
    dot += b.comb[j]! * b.comb[5 * b.dim + j]!;
    na += b.comb[j]! ** 2;
    nb += b.comb[5 * b.dim + j]! ** 2;
  }
  assert.equal(m[5], Math.fround(dot / Math.sqrt(na) / Math.sqrt(nb)));
});

test("repeated tokens in the book's batch: identical before positions (similarity exactly 1), different after", () => {
  const b = bookBatch();
  // the-verdict's first batch repeats ' a' (257), '—' pieces (438) and ' to' (284)
  assert.deepEqual(repeatedTokenGroups(b.ids), [
    { id: 257, indices: [10, 15] },
    { id: 438, indices: [13, 19] },
    { id: 284, indices: [26, 28] },
  ]);
  const pairs = repeatedTokenPairs(b.ids, b.tok, b.comb, b.dim);
  assert.equal(pairs.length, 3);
  for (const p of pairs) {
    assert.equal(p.tokenIdentical, true);
    assert.equal(p.tokenSimilarity, 1);
    assert.ok(p.combinedSimilarity < 0.9, `combined similarity ${p.combinedSimilarity}`);
    // the two positions differ, so the combined vectors are apart by |pos_i − pos_j|
    const pi = p.i % 4;
    const pj = p.j % 4;
    let d = 0;
    for (let k = 0; k < b.dim; k++) d += (b.pos[pi * b.dim + k]! - b.pos[pj * b.dim + k]!) ** 2;
    assert.ok(Math.abs(p.combinedDistance - Math.sqrt(d)) < 1e-5);
  }
  // 257 at positions 2 and 3 (indices 10 and 15: 10 % 4 = 2, 15 % 4 = 3)
  assert.deepEqual([pairs[0]!.i % 4, pairs[0]!.j % 4], [2, 3]);
  assert.deepEqual(repeatedTokenGroups([5, 6, 7]), []);
});

test('same token at the same slot stays identical after adding positions', () => {
  const b = bookBatch();
  const ids = [257, 257];
  const row = b.rows.subarray(b.rowOf.get(257)! * b.dim, (b.rowOf.get(257)! + 1) * b.dim);
  const tok = new Float32Array(2 * b.dim);
  tok.set(row, 0);
  tok.set(row, b.dim);
  const comb = new Float32Array(tok.length);
  for (let k = 0; k < b.dim; k++) {
    comb[k] = Math.fround(tok[k]! + b.pos[b.dim + k]!);
    comb[b.dim + k] = Math.fround(tok[b.dim + k]! + b.pos[b.dim + k]!);
  }
  const [p] = repeatedTokenPairs(ids, tok, comb, b.dim);
  assert.equal(p!.combinedSimilarity, 1);
  assert.equal(p!.combinedDistance, 0);
});

test('per-token stats: norms, shift by the position and turn angle', () => {
  const tok = Float32Array.from([3, 4, 1, 0]);
  const pos = Float32Array.from([0, 0, 0, 2]);
  const comb = Float32Array.from([3, 4, 1, 2]);
  const s = tokenPositionStats(tok, comb, pos, [0, 1], 2);
  assert.deepEqual(Array.from(s.tokenNorm), [5, 1]);
  assert.deepEqual(Array.from(s.positionNorm), [0, 2]);
  assert.deepEqual(Array.from(s.combinedNorm), [5, Math.sqrt(5)]);
  assert.deepEqual(Array.from(s.shift), [0, 2]);
  assert.equal(s.cosTokenCombined[0], 1);
  assert.ok(Math.abs(s.cosTokenCombined[1]! - 1 / Math.sqrt(5)) < 1e-15);
  assert.throws(() => tokenPositionStats(tok, comb, pos, [0, 2], 2), /position 2 of token 1 is outside 0…1/);
  assert.deepEqual(Array.from(rowNorms(Float32Array.from([3, 4, 0, 0]), 2, 2)), [5, 0]);

  const b = bookBatch();
  const positions = b.ids.map((_, i) => i % 4);
  const st = tokenPositionStats(b.tok, b.comb, b.pos, positions, b.dim);
  for (let i = 0; i < b.ids.length; i++) assert.ok(Math.abs(st.shift[i]! - st.positionNorm[i]!) < 1e-4);
  const byPos = meanNormByPosition(b.comb, positions, b.dim, 6);
  assert.equal(byPos.length, 6);
  assert.ok(Number.isNaN(byPos[4]!) && Number.isNaN(byPos[5]!));
  const slot0 = [0, 4, 8, 12, 16, 20, 24, 28].map((i) => st.combinedNorm[i]!);
  assert.ok(Math.abs(byPos[0]! - slot0.reduce((a, c) => a + c, 0) / 8) < 1e-12);
});
