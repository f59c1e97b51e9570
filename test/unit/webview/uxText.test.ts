// Words and numbers a user reads (issue 10): an empty text says so instead of "tokens 0–-1", and value axes
// (the colour legend) tick at round numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageNotice } from '../../../webview/panel/analysis/summaries';
import { niceTicks } from '../../../webview/shared/heatmapMath';

test('an empty text has no tokens, not "tokens 0–-1"', () => {
  assert.equal(pageNotice({ firstToken: 0, count: 0, totalTokens: 0, capped: false }), 'This text has no tokens.');
});

test('legend ticks are round numbers inside the scale', () => {
  assert.deepEqual(niceTicks(-3.7, 3.7, 8), [-3, -2, -1, 0, 1, 2, 3]);
  assert.deepEqual(niceTicks(-3.7, 3.7, 5), [-2, 0, 2]);
  assert.deepEqual(niceTicks(-0.29, 0.29, 7), [-0.2, -0.1, 0, 0.1, 0.2]);
  assert.deepEqual(niceTicks(-1, 1, 3), [-1, 0, 1]);
  assert.deepEqual(niceTicks(2, 2, 5), [2]);
  for (const [min, max, n] of [
    [-6.2, 6.2, 9],
    [-0.0123, 0.0123, 4],
    [-170, 170, 6],
  ] as const) {
    const ticks = niceTicks(min, max, n);
    assert.ok(ticks.length >= 2 && ticks.length <= n, `${min}..${max}: ${ticks}`);
    for (const t of ticks) assert.ok(t >= min && t <= max && Number(t.toPrecision(2)) === t, `${t} is round and inside`);
  }
});
