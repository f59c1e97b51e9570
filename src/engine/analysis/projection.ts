/**
 * 2-D PCA of embedding vectors for the scatter/arrow plot.
 *
 * Method: centre the rows (float64), then find the top-2 eigenpairs of the smaller of the two symmetric PSD
 * matrices — the Gram matrix Xc·Xcᵀ (n×n) when there are fewer points than dimensions (the usual case: a few
 * dozen tokens in 256–4096 dims), the covariance Xcᵀ·Xc (d×d) otherwise. Both have the same non-zero spectrum.
 * Eigenpairs come from Householder tridiagonalisation + bisection + inverse iteration (symmetricTop.ts): a fixed
 * O(m³) cost, exact to rounding even when the top variances are (nearly) equal — the usual case for randomly
 * initialised embeddings, where power or subspace iteration needs thousands of steps. Deterministic output.
 *
 * Sign convention: each principal axis (a unit vector in embedding space) is flipped so that its component of
 * largest magnitude is positive (the first such component on ties), so the picture does not flip between runs.
 * Axes for a zero variance (fewer than 3 distinct points) are all-zero and give coordinate 0.
 */
import { RowDots64 } from '../scan/rowDots';
import { runSteps, type Steps } from '../steps';
import { lanczosTopEigenpairs, topEigenpairs } from './symmetricTop';

export interface Pca2d {
  /** Row-major `rows × 2` coordinates (float32) of the centred points on the two principal axes. */
  coords: Float32Array;
  /** Row-major `2 × dim` principal axes (unit vectors, or zeros for a zero-variance axis). */
  components: Float64Array;
  /** Mean vector that was subtracted (length dim). */
  mean: Float64Array;
  /** Variance along each axis (denominator n − 1, like numpy/sklearn; 0 when n < 2). */
  explainedVariance: [number, number];
  /** Share of the total variance on each axis, in [0, 1] (0 when the total is 0). */
  explainedVarianceRatio: [number, number];
}

export interface JointProjection {
  /** `rows × 2` coordinates of the token embeddings (arrow tails). */
  tokenCoords: Float32Array;
  /** `rows × 2` coordinates of the combined token + position vectors (arrow heads). */
  combinedCoords: Float32Array;
  /** The basis, fitted on both sets stacked (2·rows points). */
  pca: Pca2d;
}

function checkMatrix(data: ArrayLike<number>, rows: number, dim: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(dim) || rows < 0 || dim < 1) {
    throw new RangeError(`bad matrix size ${rows}×${dim}`);
  }
  if (data.length !== rows * dim) throw new RangeError(`a ${rows}×${dim} matrix needs ${rows * dim} values, got ${data.length}`);
}

/** Jacobi eigendecomposition of a small symmetric k×k matrix (row-major). Returns eigenvalues desc + column vectors. */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < k; p++) {
      diag += m[p * k + p]! * m[p * k + p]!;
      for (let q = p + 1; q < k; q++) off += m[p * k + q]! * m[p * k + q]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q]!;
        if (apq === 0) continue;
        const app = m[p * k + p]!;
        const aqq = m[q * k + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p]!;
          const mrq = m[r * k + q]!;
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r]!;
          const mqr = m[q * k + r]!;
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => m[y * k + y]! - m[x * k + x]! || x - y);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = m[src * k + src]!;
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src]!;
  });
  return { values, vectors };
}

/** Flip a unit vector so its largest-magnitude component (first on ties) is positive. */
function canonicalSign(v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  if (v[best]! < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
}

/** Above this many points (Gram path) or dimensions (covariance path), the top eigenpairs come from Lanczos. */
const LANCZOS_MIN_SIZE = 128;

/** 2-D PCA of the rows of a row-major `rows × dim` matrix. */
export function pca2d(data: ArrayLike<number>, rows: number, dim: number): Pca2d {
  return runSteps(pca2dSteps(data, rows, dim));
}

/** `m × m` matrix of the dot products between the `m` rows loaded in `kernel`: one step per row. */
function* gramMatrix(kernel: RowDots64, m: number): Steps<Float64Array> {
  const len = kernel.dim;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    kernel.setVector(kernel.block.subarray(i * len, (i + 1) * len));
    kernel.dotsOf(m - i, i);
    for (let k = i; k < m; k++) a[i * m + k] = a[k * m + i] = kernel.dots[k - i]!;
    yield;
  }
  return a;
}

/** The SIMD row kernel loaded with the rows of `x` (`m × len`). */
function rowKernel(x: Float64Array, m: number, len: number): RowDots64 {
  const kernel = new RowDots64(len, m);
  kernel.block.set(x);
  return kernel;
}

/** pca2d as steps (Gram rows, Lanczos iterations, projections), for runStepsAsync. */
export function* pca2dSteps(data: ArrayLike<number>, rows: number, dim: number): Steps<Pca2d> {
  checkMatrix(data, rows, dim);
  const mean = new Float64Array(dim);
  const xc = Float64Array.from(data);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) mean[j] += xc[i * dim + j]!;
  if (rows > 0) for (let j = 0; j < dim; j++) mean[j] /= rows;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) {
      const v = xc[i * dim + j]! - mean[j]!;
      xc[i * dim + j] = v;
      total += v * v;
    }
  }
  const components = new Float64Array(2 * dim);
  const coords = new Float32Array(rows * 2);
  const variance: [number, number] = [0, 0];
  const ratio: [number, number] = [0, 0];
  if (rows >= 2 && total > 0) {
    const useGram = rows <= dim;
    const m = useGram ? rows : dim;
    const rowsOfXc = rowKernel(xc, rows, dim);
    let a: Float64Array;
    if (useGram) {
      a = yield* gramMatrix(rowsOfXc, rows);
    } else {
      // Covariance Xcᵀ·Xc: the Gram matrix of Xc's columns.
      const xt = new Float64Array(dim * rows);
      for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) xt[j * rows + i] = xc[i * dim + j]!;
      a = yield* gramMatrix(rowKernel(xt, dim, rows), dim);
    }
    const want = Math.min(2, m);
    const eig = (m >= LANCZOS_MIN_SIZE ? yield* lanczosTopEigenpairs(a, m, want) : null) ?? topEigenpairs(a, m, want);
    for (let c = 0; c < want; c++) {
      const lambda = eig.values[c]!;
      // Variance beyond the data's rank is rounding noise: report 0 and no axis.
      if (!(lambda > 1e-12 * total)) continue;
      const axis = new Float64Array(dim);
      if (useGram) {
        // v = Xcᵀ·u / |Xcᵀ·u| for the Gram eigenvector u.
        for (let i = 0; i < rows; i++) {
          const ui = eig.vectors[c * m + i]!;
          for (let j = 0; j < dim; j++) axis[j] += ui * xc[i * dim + j]!;
        }
        let n = 0;
        for (let j = 0; j < dim; j++) n += axis[j]! * axis[j]!;
        const inv = 1 / Math.sqrt(n);
        for (let j = 0; j < dim; j++) axis[j] *= inv;
      } else {
        for (let j = 0; j < dim; j++) axis[j] = eig.vectors[c * m + j]!;
      }
      canonicalSign(axis);
      components.set(axis, c * dim);
      variance[c] = lambda / (rows - 1);
      ratio[c] = Math.min(1, lambda / total);
      rowsOfXc.setVector(axis);
      rowsOfXc.dotsOf(rows);
      for (let i = 0; i < rows; i++) coords[i * 2 + c] = rowsOfXc.dots[i]!;
    }
  }
  return { coords, components, mean, explainedVariance: variance, explainedVarianceRatio: ratio };
}

/** Coordinates of extra points in an existing PCA basis (row-major `rows × 2`). */
export function projectOnto(pca: Pca2d, data: ArrayLike<number>, rows: number, dim: number): Float32Array {
  checkMatrix(data, rows, dim);
  if (pca.mean.length !== dim) throw new RangeError(`basis has dim ${pca.mean.length}, points have ${dim}`);
  const out = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (data[i * dim + j]! - pca.mean[j]!) * pca.components[c * dim + j]!;
      out[i * 2 + c] = s;
    }
  }
  return out;
}

/**
 * Token vectors and combined (token + position) vectors in ONE 2-D basis, so each token's shift by its position
 * can be drawn as an arrow tokenCoords[i] → combinedCoords[i]. The basis is fitted on both sets stacked
 * (2·rows points): fitting on one set only would hide the directions in which the other set spreads.
 */
export function jointProjection(tokenEmb: ArrayLike<number>, combinedEmb: ArrayLike<number>, rows: number, dim: number): JointProjection {
  return runSteps(jointProjectionSteps(tokenEmb, combinedEmb, rows, dim));
}

/** jointProjection as steps, for runStepsAsync. */
export function* jointProjectionSteps(tokenEmb: ArrayLike<number>, combinedEmb: ArrayLike<number>, rows: number, dim: number): Steps<JointProjection> {
  checkMatrix(tokenEmb, rows, dim);
  checkMatrix(combinedEmb, rows, dim);
  const stacked = new Float64Array(2 * rows * dim);
  stacked.set(tokenEmb);
  stacked.set(combinedEmb, rows * dim);
  const pca = yield* pca2dSteps(stacked, 2 * rows, dim);
  return {
    tokenCoords: pca.coords.slice(0, rows * 2),
    combinedCoords: pca.coords.slice(rows * 2),
    pca,
  };
}
