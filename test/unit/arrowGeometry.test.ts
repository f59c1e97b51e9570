import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrowPath, paddedBounds } from '../../webview/panel/analysis/arrowGeometry';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('arrowPath: shaft ends at the head base, head is symmetric about the shaft and tips at the target', () => {
  const a = arrowPath({ x: 0, y: 0 }, { x: 100, y: 0 }, 10, Math.PI / 6)!;
  assert.deepEqual(a.head[0], { x: 100, y: 0 });
  close(a.to.x, 100 - 10 * Math.cos(Math.PI / 6));
  close(a.to.y, 0);
  close(a.head[1].x, a.head[2].x);
  close(a.head[1].y, -a.head[2].y);
  close(Math.abs(a.head[1].y), 10 * Math.sin(Math.PI / 6));
  // Each head side has the requested length.
  close(Math.hypot(a.head[1].x - 100, a.head[1].y), 10);
});

test('arrowPath: diagonal arrows rotate the head; short arrows shrink it; coincident points give no arrow', () => {
  const a = arrowPath({ x: 0, y: 0 }, { x: 30, y: 40 }, 10)!;
  // the head base lies on the shaft line y = 4/3 x
  close(a.to.y, (4 / 3) * a.to.x);
  const short = arrowPath({ x: 0, y: 0 }, { x: 6, y: 0 }, 10)!;
  close(Math.hypot(short.head[1].x - 6, short.head[1].y), 2); // len/3
  assert.equal(arrowPath({ x: 5, y: 5 }, { x: 5.2, y: 5 }), null);
  assert.equal(arrowPath({ x: 0, y: 0 }, { x: NaN, y: 0 }), null);
});

test('paddedBounds covers every finite point of every set with a margin', () => {
  const b = paddedBounds(new Float32Array([0, 0, 10, 5]), [-2, 1, NaN, 100]);
  assert.ok(b.xMin < -2 && b.xMax > 10 && b.yMin < 0 && b.yMax > 5);
  assert.deepEqual(paddedBounds([]), { xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
  const one = paddedBounds([3, 3]);
  assert.deepEqual(one, { xMin: 2, xMax: 4, yMin: 2, yMax: 4 });
});
