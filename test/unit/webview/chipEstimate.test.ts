// The token strip's estimate of the chips it shows before it scrolls (webview/shared/chipEstimate.ts); the
// browser test test/webview/firstPaint.test.ts checks the estimate against the real layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleChipCount } from '../../../webview/shared/chipEstimate';

const tokens = (n: number, text = ' the') => Array.from({ length: n }, (_, i) => ({ id: 262 + i, start: i, end: i + 1, bytes: [], text }));

test('visibleChipCount fills the lines of the box, like flex-wrap, and stops below it', () => {
  const box = { width: 1000, height: 120, fontPx: 13 };
  const n = visibleChipCount(tokens(5000), box);
  // " the" + a 3–4 digit id: ~19 + 4 × 6.5 + 4 × 5.2 = 66 px a chip → 15 a line; 120 px / 20.8 px → 6 lines.
  assert.ok(n > 75 && n < 100, String(n));
  assert.equal(visibleChipCount(tokens(30), box), 30, 'all of a short page');
  assert.equal(visibleChipCount([], box), 0);
  assert.ok(visibleChipCount(tokens(5000), { ...box, width: 500 }) < n, 'a narrower strip shows fewer');
  assert.ok(visibleChipCount(tokens(5000), { ...box, height: 240 }) > n, 'a taller one more');
  assert.ok(visibleChipCount(tokens(5000, ' embeddings and more'), box) < n, 'longer tokens, fewer chips');
  // A chip wider than the strip still takes a line of its own.
  assert.equal(visibleChipCount(tokens(50, 'x'.repeat(500)), box), 6);
});
