/**
 * 2-D PCA of embedding vectors for the scatter/arrow plot.
 *
 * Method: centre the rows (float64), then find the top-2 eigenpairs of the smaller of the two symmetric PSD
 * matrices — the Gram matrix Xc·Xcᵀ (n×n) when there are fewer points than dimensions (the usual case: a few
 * dozen tokens in 256–4096 dims), the covariance Xcᵀ·Xc (d×d) otherwise. Both have the same non-zero spectrum.
 * Eigenpairs come from block (subspace) iteration with Rayleigh–Ritz: a 4-vector block is multiplied by the
 * matrix, re-orthonormalised, and the small projected matrix is diagonalised exactly (Jacobi). Unlike plain power
 * iteration with deflation this converges quickly even when the top two variances are almost equal (a near-
 * circle), where only the plane is well defined. Start vectors come from a fixed LCG: deterministic output.
 *
 * Sign convention: each principal axis (a unit vector in embedding space) is flipped so that its component of
 * largest magnitude is positive (the first such component on ties), so the picture does not flip between runs.
 * Axes for a zero variance (fewer than 3 distinct points) are all-zero and give coordinate 0.
 */

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
  /** Whether the iteration met its tolerance (it practically always does; false means the numbers are approximate). */
  converged: boolean;
}

export interface JointProjection {
  /** `rows × 2` coordinates of the token embeddings (arrow tails). */
  tokenCoords: Float32Array;
  /** `rows × 2` coordinates of the combined token + position vectors (arrow heads). */
  combinedCoords: Float32Array;
  /** The basis, fitted on both sets stacked (2·rows points). */
  pca: Pca2d;
}

const BLOCK = 4;
const MAX_ITERATIONS = 2000;
const TOLERANCE = 1e-11;

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

/** y = A·Q for symmetric A (m×m) and a block Q stored column-major (k columns of length m). */
function multiplyBlock(a: Float64Array, m: number, q: Float64Array, k: number): Float64Array {
  const z = new Float64Array(m * k);
  for (let c = 0; c < k; c++) {
    const col = c * m;
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = i * m;
      for (let j = 0; j < m; j++) s += a[row + j]! * q[col + j]!;
      z[col + i] = s;
    }
  }
  return z;
}

/** Deterministic pseudo-random numbers in [-1, 1) (a 32-bit LCG) for start vectors. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** Modified Gram–Schmidt on column-major columns; a column that collapses is replaced by a fresh orthogonal one. */
function orthonormalize(q: Float64Array, m: number, k: number, rand: () => number): void {
  for (let c = 0; c < k; c++) {
    for (let attempt = 0; ; attempt++) {
      let before = 0;
      for (let i = 0; i < m; i++) before += q[c * m + i]! * q[c * m + i]!;
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < c; p++) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += q[p * m + i]! * q[c * m + i]!;
          for (let i = 0; i < m; i++) q[c * m + i] -= dot * q[p * m + i]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += q[c * m + i]! * q[c * m + i]!;
      if (norm > 1e-20 * before && norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let i = 0; i < m; i++) q[c * m + i] *= inv;
        break;
      }
      if (attempt > 8) throw new Error('orthonormalisation failed'); // impossible while k ≤ m
      for (let i = 0; i < m; i++) q[c * m + i] = rand();
    }
  }
}

/** Top-`want` eigenpairs (values desc, unit column-major vectors) of a symmetric PSD m×m matrix. */
function topEigen(a: Float64Array, m: number, want: number): { values: number[]; vectors: Float64Array; converged: boolean } {
  const k = Math.min(BLOCK, m);
  const rand = lcg(0x9e3779b9);
  let q = new Float64Array(m * k);
  for (let i = 0; i < q.length; i++) q[i] = rand();
  orthonormalize(q, m, k, rand);
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, a[i * m + i]!);
  let values: number[] = [];
  let ritz = q;
  let converged = false;
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    const z = multiplyBlock(a, m, q, k);
    // Rayleigh–Ritz: T = Qᵀ A Q, diagonalised exactly.
    const t = new Float64Array(k * k);
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += q[r * m + i]! * z[c * m + i]!;
        t[r * k + c] = s;
      }
    }
    for (let r = 0; r < k; r++) for (let c = r + 1; c < k; c++) t[r * k + c] = t[c * k + r] = (t[r * k + c]! + t[c * k + r]!) / 2;
    const eig = symmetricEigen(t, k);
    // Ritz vectors U = Q·W and A·U = Z·W.
    const u = new Float64Array(m * k);
    const au = new Float64Array(m * k);
    for (let c = 0; c < k; c++) {
      for (let r = 0; r < k; r++) {
        const w = eig.vectors[r * k + c]!;
        if (w === 0) continue;
        for (let i = 0; i < m; i++) {
          u[c * m + i] += w * q[r * m + i]!;
          au[c * m + i] += w * z[r * m + i]!;
        }
      }
    }
    values = Array.from(eig.values.subarray(0, want));
    let worst = 0;
    for (let c = 0; c < want; c++) {
      let res = 0;
      for (let i = 0; i < m; i++) {
        const d = au[c * m + i]! - eig.values[c]! * u[c * m + i]!;
        res += d * d;
      }
      worst = Math.max(worst, Math.sqrt(res));
    }
    ritz = u;
    if (worst <= TOLERANCE * Math.max(scale, eig.values[0]!)) {
      converged = true;
      break;
    }
    q = au;
    orthonormalize(q, m, k, rand);
  }
  return { values, vectors: ritz.subarray(0, m * want), converged };
}

/** Flip a unit vector so its largest-magnitude component (first on ties) is positive. */
function canonicalSign(v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  if (v[best]! < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
}

/** 2-D PCA of the rows of a row-major `rows × dim` matrix. */
export function pca2d(data: ArrayLike<number>, rows: number, dim: number): Pca2d {
  checkMatrix(data, rows, dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j]!;
  if (rows > 0) for (let j = 0; j < dim; j++) mean[j] /= rows;
  const xc = new Float64Array(rows * dim);
  let total = 0;
  for (let i = 0; i < rows * dim; i++) {
    xc[i] = data[i]! - mean[i % dim]!;
    total += xc[i]! * xc[i]!;
  }
  const components = new Float64Array(2 * dim);
  const coords = new Float32Array(rows * 2);
  const variance: [number, number] = [0, 0];
  const ratio: [number, number] = [0, 0];
  let converged = true;
  if (rows >= 2 && total > 0) {
    const useGram = rows <= dim;
    const m = useGram ? rows : dim;
    const a = new Float64Array(m * m);
    if (useGram) {
      for (let i = 0; i < rows; i++) {
        for (let k = i; k < rows; k++) {
          let s = 0;
          for (let j = 0; j < dim; j++) s += xc[i * dim + j]! * xc[k * dim + j]!;
          a[i * m + k] = a[k * m + i] = s;
        }
      }
    } else {
      for (let i = 0; i < rows; i++) {
        const r = i * dim;
        for (let p = 0; p < dim; p++) {
          const xp = xc[r + p]!;
          if (xp === 0) continue;
          for (let q = p; q < dim; q++) a[p * m + q] += xp * xc[r + q]!;
        }
      }
      for (let p = 0; p < dim; p++) for (let q = p + 1; q < dim; q++) a[q * m + p] = a[p * m + q]!;
    }
    const want = Math.min(2, m);
    const eig = topEigen(a, m, want);
    converged = eig.converged;
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
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += xc[i * dim + j]! * axis[j]!;
        coords[i * 2 + c] = s;
      }
    }
  }
  return { coords, components, mean, explainedVariance: variance, explainedVarianceRatio: ratio, converged };
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
  checkMatrix(tokenEmb, rows, dim);
  checkMatrix(combinedEmb, rows, dim);
  const stacked = new Float64Array(2 * rows * dim);
  for (let i = 0; i < rows * dim; i++) {
    stacked[i] = tokenEmb[i]!;
    stacked[rows * dim + i] = combinedEmb[i]!;
  }
  const pca = pca2d(stacked, 2 * rows, dim);
  return {
    tokenCoords: pca.coords.slice(0, rows * 2),
    combinedCoords: pca.coords.slice(rows * 2),
    pca,
  };
}
