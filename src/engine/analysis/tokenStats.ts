/**
 * Per-token numbers for the "what did the position do to this token?" view: lengths of the token, positional
 * and combined vectors, how far the position moved the token, and the angle it turned it by.
 * Inputs: row-major float32 `rows × dim` matrices for the page's tokens, plus each token's position slot.
 */
import { rowNorms } from './similarity';

export interface TokenPositionStats {
  /** |token embedding| per token. */
  tokenNorm: Float64Array;
  /** |positional embedding of the token's slot| per token (0 for scheme `none`). */
  positionNorm: Float64Array;
  /** |token + position| per token. */
  combinedNorm: Float64Array;
  /** |combined − token|: how far the position moved the vector (equals positionNorm up to float32 rounding). */
  shift: Float64Array;
  /** cos(token, combined): 1 means the position did not turn the vector; NaN for a zero vector. */
  cosTokenCombined: Float64Array;
}

export function tokenPositionStats(
  tokenEmb: ArrayLike<number>,
  combinedEmb: ArrayLike<number>,
  positionTable: ArrayLike<number>,
  positions: ArrayLike<number>,
  dim: number,
): TokenPositionStats {
  const rows = positions.length;
  if (tokenEmb.length !== rows * dim || combinedEmb.length !== rows * dim) {
    throw new RangeError(`token/combined matrices must be ${rows}×${dim}`);
  }
  const ctx = positionTable.length / dim;
  if (!Number.isInteger(ctx)) throw new RangeError(`positional table length ${positionTable.length} is not a multiple of ${dim}`);
  const tokenNorm = rowNorms(tokenEmb, rows, dim);
  const combinedNorm = rowNorms(combinedEmb, rows, dim);
  const posNorms = rowNorms(positionTable, ctx, dim);
  const positionNorm = new Float64Array(rows);
  const shift = new Float64Array(rows);
  const cosTokenCombined = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const p = positions[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= ctx) throw new RangeError(`position ${p} of token ${i} is outside 0…${ctx - 1}`);
    positionNorm[i] = posNorms[p]!;
    let d2 = 0;
    let dot = 0;
    for (let j = 0; j < dim; j++) {
      const t = tokenEmb[i * dim + j]!;
      const c = combinedEmb[i * dim + j]!;
      d2 += (c - t) * (c - t);
      dot += t * c;
    }
    shift[i] = Math.sqrt(d2);
    const denom = tokenNorm[i]! * combinedNorm[i]!;
    cosTokenCombined[i] = denom > 0 ? Math.max(-1, Math.min(1, dot / denom)) : NaN;
  }
  return { tokenNorm, positionNorm, combinedNorm, shift, cosTokenCombined };
}

/** Mean |combined| per position slot (0…contextLength−1) over the given tokens; NaN for slots with no token. */
export function meanNormByPosition(combinedEmb: ArrayLike<number>, positions: ArrayLike<number>, dim: number, contextLength: number): Float64Array {
  const norms = rowNorms(combinedEmb, positions.length, dim);
  const sum = new Float64Array(contextLength);
  const count = new Float64Array(contextLength);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= contextLength) throw new RangeError(`position ${p} is outside 0…${contextLength - 1}`);
    sum[p] += norms[i]!;
    count[p] += 1;
  }
  return sum.map((s, p) => (count[p]! > 0 ? s / count[p]! : NaN));
}
