/**
 * Pure geometry of the projection's arrows (token point → combined point), in pixels. No DOM: Node-tested.
 */
export interface Point {
  x: number;
  y: number;
}

export interface ArrowPath {
  /** The shaft: from the tail to the base of the head. */
  from: Point;
  to: Point;
  /** The head: a triangle tip, left, right. */
  head: [Point, Point, Point];
}

/**
 * The arrow from `tail` to `tip`, with a head of `headLength` px opening `headAngle` radians to each side.
 * The head shrinks to a third of the arrow on short arrows; null when the two points (nearly) coincide:
 * a token whose position did not move it (scheme `none`) gets no arrow.
 */
export function arrowPath(tail: Point, tip: Point, headLength = 8, headAngle = Math.PI / 7, minLength = 1): ArrowPath | null {
  const dx = tip.x - tail.x;
  const dy = tip.y - tail.y;
  const len = Math.hypot(dx, dy);
  if (!Number.isFinite(len) || len < minLength) return null;
  const ux = dx / len;
  const uy = dy / len;
  const hl = Math.min(headLength, len / 3);
  const back = { x: tip.x - ux * hl * Math.cos(headAngle), y: tip.y - uy * hl * Math.cos(headAngle) };
  const side = hl * Math.sin(headAngle);
  // (−uy, ux) is the unit normal of the shaft.
  const left = { x: back.x - uy * side, y: back.y + ux * side };
  const right = { x: back.x + uy * side, y: back.y - ux * side };
  return { from: { ...tail }, to: back, head: [{ ...tip }, left, right] };
}

/** Symmetric padded bounds of a set of 2-D points (row-major x, y pairs), so arrows never touch the frame. */
export function paddedBounds(...coords: ArrayLike<number>[]): { xMin: number; xMax: number; yMin: number; yMax: number } {
  let xMin = Infinity,
    xMax = -Infinity,
    yMin = Infinity,
    yMax = -Infinity;
  for (const c of coords) {
    for (let i = 0; i + 1 < c.length; i += 2) {
      const x = c[i]!,
        y = c[i + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
    }
  }
  if (xMin > xMax) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const px = (xMax - xMin) * 0.08 || 1;
  const py = (yMax - yMin) * 0.08 || 1;
  return { xMin: xMin - px, xMax: xMax + px, yMin: yMin - py, yMax: yMax + py };
}
