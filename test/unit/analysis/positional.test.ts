import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRope, ropeFrequencies, scoreVsOffset, windowingOf } from '../../../src/engine/analysis/positional';
import { countWindows } from '../../../src/engine/batches';
import { sinusoidalTable } from '../../../src/engine/positional';
import { RandomEmbeddingTables } from '../../../src/engine/randomTables';
import { assertMatchesTorchSinusoidal, bookBatch, f32, reference } from './fixtures';

test('sinusoidal table matches the float32 PyTorch implementation (to an ulp of the angle)', () => {
  assert.ok(reference.sinusoidal.length >= 3);
  for (const c of reference.sinusoidal) {
    const positions = Array.from({ length: c.contextLength }, (_, i) => i);
    assertMatchesTorchSinusoidal(sinusoidalTable(c.contextLength, c.dim), f32(c.data), positions, c.dim, `${c.contextLength}×${c.dim}`);
  }
  // row 0 is sin 0 = 0, cos 0 = 1
  assert.deepEqual(Array.from(sinusoidalTable(2, 4).subarray(0, 4)), [0, 1, 0, 1]);
});

test('RoPE rotates each pair by position·θ_i and keeps the length', () => {
  const theta = ropeFrequencies(6);
  assert.deepEqual(Array.from(theta), [1, Math.pow(10000, -2 / 6), Math.pow(10000, -4 / 6)]);
  const v = [1, 0, 0, 1, 3, 4];
  const r = applyRope(v, 2);
  assert.ok(Math.abs(r[0]! - Math.cos(2)) < 1e-15 && Math.abs(r[1]! - Math.sin(2)) < 1e-15);
  const a1 = 2 * theta[1]!;
  assert.ok(Math.abs(r[2]! + Math.sin(a1)) < 1e-15 && Math.abs(r[3]! - Math.cos(a1)) < 1e-15);
  const norm = (x: ArrayLike<number>) => Math.hypot(...Array.from(x));
  assert.ok(Math.abs(norm(r) - norm(v)) < 1e-12);
  assert.deepEqual(Array.from(applyRope(v, 0)), v);
  assert.equal(applyRope([1, 2, 7], 5)[2], 7); // odd dim: last element untouched
});

test('with RoPE the q·k score depends only on n − m; with learned or sinusoidal additive positions it does not', () => {
  const b = bookBatch();
  const d = b.dim;
  const q = b.tok.subarray(0, d);
  const k = b.tok.subarray(d, 2 * d);
  const starts = [0, 1, 7, 100, 1000, 5000];
  const offsets = [-3, -1, 0, 1, 2, 5, 20, 64];
  const rope = scoreVsOffset(q, k, starts, offsets, { kind: 'rope' });
  const scale = Math.max(...Array.from(rope.scores, Math.abs));
  for (let o = 0; o < offsets.length; o++) assert.ok(rope.spread[o]! < 1e-9 * scale, `rope spread at offset ${offsets[o]}: ${rope.spread[o]}`);
  // and the series really varies with the offset (it is not a constant)
  const first = Array.from(rope.scores.subarray(0, offsets.length));
  assert.ok(Math.max(...first) - Math.min(...first) > 0.1 * scale);
  // offset 0 at any start is plain q·k
  let qk = 0;
  for (let j = 0; j < d; j++) qk += q[j]! * k[j]!;
  assert.ok(Math.abs(rope.scores[offsets.indexOf(0)]! - qk) < 1e-9);

  // learned random positions: a PyTorch-exact randomly initialised nn.Embedding(32, 256) (seed 123)
  const learned = new RandomEmbeddingTables({ seed: 123, vocabSize: 10, dim: d, contextLength: 32 }).positionRows(Array.from({ length: 32 }, (_, i) => i));
  const add = scoreVsOffset(q, k, [0, 1, 2, 5], [0, 1, 2, 3], { kind: 'additive', table: learned });
  for (let o = 0; o < 4; o++) assert.ok(add.spread[o]! > 1, `learned spread at offset ${o}: ${add.spread[o]}`);

  const sin = sinusoidalTable(200, d);
  const sinus = scoreVsOffset(q, k, [0, 10, 50, 100], [0, 1, 5, 20], { kind: 'additive', table: sin });
  for (let o = 0; o < 4; o++) assert.ok(sinus.spread[o]! > 0.1, `sinusoidal spread at offset ${o}: ${sinus.spread[o]}`);

  const none = scoreVsOffset(q, k, [0, 3], [0, 1], { kind: 'none' });
  assert.deepEqual(Array.from(none.spread), [0, 0]);
  assert.throws(() => scoreVsOffset(q, k, [3], [5], { kind: 'additive', table: b.pos }), /position 8 is outside the positional table \(0…3\)/);
  assert.throws(() => scoreVsOffset(q, k.subarray(1), [0], [0], { kind: 'rope' }), /same non-zero length/);
});

test("sliding windows like the book's create_dataloader_v1, and what is left over", () => {
  // the-verdict: 5,145 tokens, max_length 4, stride 4 → range(0, 5141, 4) → 1,286 windows
  assert.equal(countWindows(5145, 4, 4), 1286);
  assert.equal(countWindows(5145, 256, 128), Math.ceil((5145 - 256) / 128));
  assert.equal(countWindows(4, 4, 1), 0);
  assert.equal(countWindows(5, 4, 1), 1);
  assert.throws(() => countWindows(5, 4, 0), /stride must be a positive integer/);
  // 10 tokens, windows of 4 by 4: range(0, 6, 4) = [0, 4]; the last target ends at token 8, token 9 is left over.
  assert.deepEqual(windowingOf(10, 4, 4), { totalTokens: 10, stride: 4, windows: 2, droppedTokens: 1 });
  assert.deepEqual(windowingOf(3, 4, 4), { totalTokens: 3, stride: 4, windows: 0, droppedTokens: 0 });
  assert.deepEqual(windowingOf(4, 4, 4), { totalTokens: 4, stride: 4, windows: 0, droppedTokens: 0 });
  assert.deepEqual(windowingOf(2000, 1024, 1024), { totalTokens: 2000, stride: 1024, windows: 1, droppedTokens: 975 });
  assert.deepEqual(windowingOf(9, 4, 4), { totalTokens: 9, stride: 4, windows: 2, droppedTokens: 0 });
  assert.deepEqual(windowingOf(5145, 4, 4), { totalTokens: 5145, stride: 4, windows: 1286, droppedTokens: 0 });
});
