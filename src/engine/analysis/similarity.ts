/**
 * Cosine similarity between token vectors, and the "same token, different position" demonstration:
 * the token embedding of a repeated token is the same row of the table at every position (similarity
 * exactly 1), while the combined (token + position) vectors differ because each position adds its own row.
 *
 * Inputs are row-major float32 matrices (rows × dim); sums run in float64 so the result does not depend on
 * float32 accumulation order. Output is float32 (n × n), symmetric, with an exact 1 on the diagonal for
 * non-zero rows. Similarity with a zero vector (e.g. positional scheme `none`) is undefined: NaN.
 */

import { RowDots64 } from '../scan/rowDots';
import { runSteps, type Steps } from '../steps';

function checkMatrix(data: ArrayLike<number>, rows: number, dim: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(dim) || rows < 0 || dim < 1) {
    throw new RangeError(`bad matrix size ${rows}×${dim}`);
  }
  if (data.length !== rows * dim) throw new RangeError(`a ${rows}×${dim} matrix needs ${rows * dim} values, got ${data.length}`);
}

/** Euclidean norm of each row, in float64. */
export function rowNorms(data: ArrayLike<number>, rows: number, dim: number): Float64Array {
  checkMatrix(data, rows, dim);
  const out = squaredNorms(data, rows, dim);
  for (let i = 0; i < rows; i++) out[i] = Math.sqrt(out[i]!);
  return out;
}

/**
 * Cosine similarity of rows a and b. Computed as dot / sqrt(|a|²·|b|²): for identical rows dot == |a|² bit for bit,
 * and IEEE sqrt(x·x) == |x|, so a row compared with an identical row gives exactly 1 (sqrt(|a|²)·sqrt(|b|²)
 * would not always). Clamped to [-1, 1] against rounding.
 */
function cosine(data: ArrayLike<number>, dim: number, a: number, b: number, sq: Float64Array): number {
  const denom = sq[a]! * sq[b]!;
  if (!(denom > 0)) return NaN;
  let dot = 0;
  for (let j = 0; j < dim; j++) dot += data[a * dim + j]! * data[b * dim + j]!;
  const c = dot / Math.sqrt(denom);
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

function squaredNorms(data: ArrayLike<number>, rows: number, dim: number): Float64Array {
  const sq = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[i * dim + j]!;
      s += v * v;
    }
    sq[i] = s;
  }
  return sq;
}

/** The n × n cosine-similarity matrix of the rows of a row-major `rows × dim` matrix (row-major float32). */
export function cosineSimilarityMatrix(data: ArrayLike<number>, rows: number, dim: number): Float32Array {
  return runSteps(cosineSimilaritySteps(data, rows, dim));
}

/**
 * cosineSimilarityMatrix as steps (one per row). Dot products come from the SIMD row kernel (scan/rowDots.ts),
 * each row against the rows after it; rows go from last to first so that every row's squared norm — its dot
 * product with itself, summed in the same order as every other dot product — is known before it is needed, and
 * a row compared with an identical row still gives exactly 1.
 */
export function* cosineSimilaritySteps(data: ArrayLike<number>, rows: number, dim: number): Steps<Float32Array> {
  checkMatrix(data, rows, dim);
  const out = new Float32Array(rows * rows);
  if (rows === 0) return out;
  const kernel = new RowDots64(dim, rows);
  for (let i = 0; i < rows * dim; i++) kernel.block[i] = data[i]!;
  const sq = new Float64Array(rows);
  for (let a = rows - 1; a >= 0; a--) {
    kernel.setVector(kernel.block.subarray(a * dim, (a + 1) * dim));
    kernel.dotsOf(rows - a, a);
    const dots = kernel.dots;
    sq[a] = dots[0]!;
    for (let b = a; b < rows; b++) {
      const denom = sq[a]! * sq[b]!;
      let c = NaN;
      if (denom > 0) {
        c = dots[b - a]! / Math.sqrt(denom);
        c = c > 1 ? 1 : c < -1 ? -1 : c;
      }
      out[a * rows + b] = c;
      out[b * rows + a] = c;
    }
    yield;
  }
  return out;
}

/** Cosine similarity of two vectors (float64). NaN if either is zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} vs ${b.length}`);
  const both = new Float64Array(a.length * 2);
  for (let j = 0; j < a.length; j++) {
    both[j] = a[j]!;
    both[a.length + j] = b[j]!;
  }
  return cosine(both, a.length, 0, 1, squaredNorms(both, 2, a.length));
}

/** Indices of tokens sharing one ID, for IDs that occur more than once; groups ordered by first occurrence. */
export interface RepeatedTokenGroup {
  id: number;
  indices: number[];
}

export function repeatedTokenGroups(ids: ArrayLike<number>): RepeatedTokenGroup[] {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const list = byId.get(id);
    if (list) list.push(i);
    else byId.set(id, [i]);
  }
  const groups: RepeatedTokenGroup[] = [];
  for (const [id, indices] of byId) if (indices.length > 1) groups.push({ id, indices });
  return groups;
}

/** One pair of occurrences of the same token: identical before positions are added, different after. */
export interface RepeatedTokenPair {
  id: number;
  /** Token indices (into the rows given) of the two occurrences, i < j. */
  i: number;
  j: number;
  /** Cosine similarity of the token embeddings: exactly 1 (same table row). */
  tokenSimilarity: number;
  /** Cosine similarity of token + position: below 1 whenever the two positional rows differ. */
  combinedSimilarity: number;
  /** Whether the token vectors are bit-for-bit identical. */
  tokenIdentical: boolean;
  /** Euclidean distance between the combined vectors (= distance between the two positional rows). */
  combinedDistance: number;
}

/**
 * For every repeated token, every pair of its occurrences: similarity before and after adding positions.
 * `tokenEmb` and `combinedEmb` are row-major `ids.length × dim` (the page's rows, in the same order as ids).
 */
export function repeatedTokenPairs(ids: ArrayLike<number>, tokenEmb: ArrayLike<number>, combinedEmb: ArrayLike<number>, dim: number): RepeatedTokenPair[] {
  const rows = ids.length;
  checkMatrix(tokenEmb, rows, dim);
  checkMatrix(combinedEmb, rows, dim);
  const sqTok = squaredNorms(tokenEmb, rows, dim);
  const sqComb = squaredNorms(combinedEmb, rows, dim);
  const pairs: RepeatedTokenPair[] = [];
  for (const g of repeatedTokenGroups(ids)) {
    for (let x = 0; x < g.indices.length; x++) {
      for (let y = x + 1; y < g.indices.length; y++) {
        const i = g.indices[x]!;
        const j = g.indices[y]!;
        let identical = true;
        let dist = 0;
        for (let k = 0; k < dim; k++) {
          if (tokenEmb[i * dim + k] !== tokenEmb[j * dim + k]) identical = false;
          const d = combinedEmb[i * dim + k]! - combinedEmb[j * dim + k]!;
          dist += d * d;
        }
        pairs.push({
          id: g.id,
          i,
          j,
          tokenSimilarity: cosine(tokenEmb, dim, i, j, sqTok),
          combinedSimilarity: cosine(combinedEmb, dim, i, j, sqComb),
          tokenIdentical: identical,
          combinedDistance: Math.sqrt(dist),
        });
      }
    }
  }
  return pairs;
}
