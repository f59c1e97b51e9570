/**
 * Top eigenpairs of a dense symmetric matrix, with a fixed O(m³) cost and no convergence worries:
 *  1. Householder reduction to tridiagonal form T = Qᵀ·A·Q (reflectors kept, Q never formed);
 *  2. the wanted eigenvalues of T by Sturm-sequence bisection (exact to rounding, any clustering);
 *  3. their eigenvectors by inverse iteration on T (pivoted tridiagonal solves), each orthogonalised against the
 *     previous ones so a (near-)repeated eigenvalue still yields an orthonormal pair;
 *  4. back-transformation through the reflectors.
 * Why not power/subspace iteration: embedding tables of a randomly initialised model are nearly isotropic, so
 * their top variances are close together and iteration needs thousands of steps (measured: seconds for 256
 * tokens); this path takes a fixed ~(4/3)m³ flops.
 */

import { RowDots64 } from '../scan/rowDots';

/** Reduces symmetric `a` (row-major m×m, overwritten) to tridiagonal d (diagonal) and e (sub-diagonal). */
function tridiagonalize(a: Float64Array, m: number): { d: Float64Array; e: Float64Array; reflectors: { v: Float64Array; beta: number }[] } {
  const reflectors: { v: Float64Array; beta: number }[] = [];
  const e = new Float64Array(Math.max(0, m - 1));
  const p = new Float64Array(m);
  for (let k = 0; k + 2 < m; k++) {
    const len = m - k - 1;
    const v = new Float64Array(len);
    let norm2 = 0;
    for (let i = 0; i < len; i++) {
      v[i] = a[(k + 1 + i) * m + k]!;
      norm2 += v[i]! * v[i]!;
    }
    const norm = Math.sqrt(norm2);
    const alpha = v[0]! >= 0 ? -norm : norm;
    v[0] = v[0]! - alpha;
    let vv = 0;
    for (let i = 0; i < len; i++) vv += v[i]! * v[i]!;
    const beta = vv > 0 ? 2 / vv : 0;
    reflectors.push({ v, beta });
    e[k] = beta === 0 ? a[(k + 1) * m + k]! : alpha;
    if (beta === 0) continue;
    // A22 ← H·A22·H with H = I − β·v·vᵀ:  p = β·A22·v,  w = p − (β·pᵀv/2)·v,  A22 −= v·wᵀ + w·vᵀ.
    const o = k + 1;
    let pv = 0;
    for (let i = 0; i < len; i++) {
      let s = 0;
      const row = (o + i) * m + o;
      for (let j = 0; j < len; j++) s += a[row + j]! * v[j]!;
      p[i] = beta * s;
      pv += p[i]! * v[i]!;
    }
    const kk = (beta * pv) / 2;
    for (let i = 0; i < len; i++) p[i] = p[i]! - kk * v[i]!; // p now holds w
    for (let i = 0; i < len; i++) {
      const row = (o + i) * m + o;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j < len; j++) a[row + j] = a[row + j]! - vi * p[j]! - wi * v[j]!;
    }
  }
  const d = new Float64Array(m);
  for (let i = 0; i < m; i++) d[i] = a[i * m + i]!;
  if (m >= 2) e[m - 2] = a[(m - 1) * m + (m - 2)]!;
  return { d, e, reflectors };
}

/** Number of eigenvalues of the tridiagonal (d, e) that are < x (Sturm sequence). */
function countBelow(d: Float64Array, e: Float64Array, x: number, tiny: number): number {
  let count = 0;
  let q = d[0]! - x;
  if (q < 0) count++;
  for (let i = 1; i < d.length; i++) {
    if (q === 0) q = tiny;
    q = d[i]! - x - (e[i - 1]! * e[i - 1]!) / q;
    if (q < 0) count++;
  }
  return count;
}

/** The k-th smallest eigenvalue (0-based) of the tridiagonal by bisection. */
function kthEigenvalue(d: Float64Array, e: Float64Array, k: number, lo: number, hi: number, tiny: number): number {
  for (let iter = 0; iter < 200; iter++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countBelow(d, e, mid, tiny) > k) hi = mid;
    else lo = mid;
  }
  return lo + (hi - lo) / 2;
}

/** Solves (T − σI)·y = r for tridiagonal T by Gaussian elimination with partial pivoting; r is overwritten. */
function solveShifted(d: Float64Array, e: Float64Array, sigma: number, r: Float64Array, tiny: number): Float64Array {
  const m = d.length;
  const b = new Float64Array(m);
  const c = new Float64Array(Math.max(0, m - 1));
  const c2 = new Float64Array(Math.max(0, m - 2));
  const a = Float64Array.from(e);
  for (let i = 0; i < m; i++) b[i] = d[i]! - sigma;
  for (let i = 0; i + 1 < m; i++) c[i] = e[i]!;
  for (let i = 0; i + 1 < m; i++) {
    if (Math.abs(b[i]!) >= Math.abs(a[i]!)) {
      if (b[i] === 0) b[i] = tiny;
      const f = a[i]! / b[i]!;
      b[i + 1] = b[i + 1]! - f * c[i]!;
      r[i + 1] = r[i + 1]! - f * r[i]!;
    } else {
      // swap rows i and i+1, then eliminate
      const f = b[i]! / a[i]!;
      const bi1 = b[i + 1]!;
      const ci = c[i]!;
      b[i] = a[i]!;
      c[i] = bi1;
      b[i + 1] = ci - f * bi1;
      if (i + 2 < m) {
        c2[i] = c[i + 1]!;
        c[i + 1] = -f * c2[i]!;
      }
      const ri = r[i]!;
      r[i] = r[i + 1]!;
      r[i + 1] = ri - f * r[i + 1]!;
    }
  }
  if (b[m - 1] === 0) b[m - 1] = tiny;
  const y = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = r[i]!;
    if (i + 1 < m) s -= c[i]! * y[i + 1]!;
    if (i + 2 < m) s -= c2[i]! * y[i + 2]!;
    y[i] = s / (b[i] === 0 ? tiny : b[i]!);
  }
  return y;
}

function normalize(v: Float64Array): boolean {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  if (!(n > 0) || !Number.isFinite(n)) return false;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  return true;
}

/**
 * The `want` largest eigenvalues (descending) of the symmetric tridiagonal matrix with diagonal `d` and
 * sub-diagonal `e`, by bisection, and their unit eigenvectors (`vectors[c·m + i]`) by inverse iteration.
 */
export function tridiagonalTopEigenpairs(d: Float64Array, e: Float64Array, want: number): { values: number[]; vectors: Float64Array } {
  const m = d.length;
  if (want > m) throw new RangeError(`cannot take ${want} eigenpairs of a ${m}×${m} matrix`);
  // Gershgorin bounds of T.
  let lo = Infinity;
  let hi = -Infinity;
  let scale = 0;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i + 1 < m ? Math.abs(e[i]!) : 0);
    lo = Math.min(lo, d[i]! - r);
    hi = Math.max(hi, d[i]! + r);
    scale = Math.max(scale, Math.abs(d[i]!) + r);
  }
  // Stand-in for an exactly zero pivot: rounding-level relative to the matrix, as LAPACK does.
  const tiny = scale > 0 ? scale * 2.2e-16 : Number.MIN_VALUE;
  const values: number[] = [];
  const vectors = new Float64Array(want * m);
  let seed = 0x2545f491;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  for (let c = 0; c < want; c++) {
    const lambda = kthEigenvalue(d, e, m - 1 - c, lo - 1e-300, hi + 1e-300, tiny);
    values.push(lambda);
    // Inverse iteration on T, orthogonal to the vectors already found (in T's basis).
    let y: Float64Array = Float64Array.from({ length: m }, rand);
    for (let iter = 0; iter < 4; iter++) {
      for (let p = 0; p < c; p++) {
        const prev = vectors.subarray(p * m, (p + 1) * m);
        let dot = 0;
        for (let i = 0; i < m; i++) dot += prev[i]! * y[i]!;
        for (let i = 0; i < m; i++) y[i] = y[i]! - dot * prev[i]!;
      }
      if (!normalize(y)) y = Float64Array.from({ length: m }, rand);
      y = solveShifted(d, e, lambda, y, tiny);
    }
    for (let p = 0; p < c; p++) {
      const prev = vectors.subarray(p * m, (p + 1) * m);
      let dot = 0;
      for (let i = 0; i < m; i++) dot += prev[i]! * y[i]!;
      for (let i = 0; i < m; i++) y[i] = y[i]! - dot * prev[i]!;
    }
    normalize(y);
    vectors.set(y, c * m);
  }
  return { values, vectors };
}

/**
 * The `want` largest eigenvalues (descending) of symmetric `a` (row-major m×m; NOT modified) and their unit
 * eigenvectors, stored one after another (`vectors[c·m + i]`).
 */
export function topEigenpairs(a: Float64Array, m: number, want: number): { values: number[]; vectors: Float64Array } {
  if (want > m) throw new RangeError(`cannot take ${want} eigenpairs of a ${m}×${m} matrix`);
  const work = Float64Array.from(a);
  const { d, e, reflectors } = tridiagonalize(work, m);
  const { values, vectors } = tridiagonalTopEigenpairs(d, e, want);
  // Back to A's basis: u = H_0·H_1·…·H_{m−3}·y.
  for (let c = 0; c < want; c++) {
    const u = vectors.subarray(c * m, (c + 1) * m);
    for (let k = reflectors.length - 1; k >= 0; k--) {
      const { v, beta } = reflectors[k]!;
      if (beta === 0) continue;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * u[k + 1 + i]!;
      const f = beta * dot;
      for (let i = 0; i < v.length; i++) u[k + 1 + i] = u[k + 1 + i]! - f * v[i]!;
    }
  }
  return { values, vectors };
}

/**
 * The same top eigenpairs by Lanczos with full reorthogonalisation, for large matrices (the projection's
 * 512 × 512 Gram matrix of a 256-token page): O(k·m²) for k steps instead of O(m³). Ritz pairs are checked every
 * few steps and accepted once every wanted one has a residual |A·u − λ·u| ≤ tolerance·|λ₁| (the bound
 * β_k·|y_last| is exact in exact arithmetic; full reorthogonalisation keeps it honest in floating point). Matrix–
 * vector products and reorthogonalisation dot products run on the SIMD row kernel. Returns null when it has not
 * converged after `maxSteps` steps (callers then use topEigenpairs). Caveat: from a single start vector Lanczos
 * sees an exactly repeated eigenvalue only once, so a wanted pair with an exact twin (points on a perfect circle)
 * needs topEigenpairs; measured data never has one. Yields after every step (the analyses' cancellation points).
 */
export function* lanczosTopEigenpairs(
  a: Float64Array,
  m: number,
  want: number,
  options: { maxSteps?: number; tolerance?: number } = {},
): Generator<void, { values: number[]; vectors: Float64Array } | null, void> {
  if (want > m) throw new RangeError(`cannot take ${want} eigenpairs of a ${m}×${m} matrix`);
  const maxSteps = Math.min(m, options.maxSteps ?? m);
  const tolerance = options.tolerance ?? 1e-12;
  const matrix = new RowDots64(m, m);
  matrix.block.set(a);
  const basis = new RowDots64(m, maxSteps);
  const q = basis.block; // Lanczos vectors, one per row
  const alpha = new Float64Array(maxSteps);
  const beta = new Float64Array(maxSteps);
  const w = new Float64Array(m);
  let seed = 0x9e3779b9;
  for (let i = 0; i < m; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    w[i] = seed / 2 ** 32 - 0.5;
  }
  if (!normalize(w)) return null;
  q.set(w, 0);
  let ritz: { values: number[]; vectors: Float64Array } | null = null;
  let steps = 0;
  for (let j = 0; j < maxSteps; j++) {
    const qj = q.subarray(j * m, (j + 1) * m);
    matrix.setVector(qj);
    matrix.dotsOf(m);
    w.set(matrix.dots.subarray(0, m));
    // Full reorthogonalisation against every basis vector, twice ("twice is enough"); this also removes the
    // α_j·q_j and β_{j−1}·q_{j−1} terms of the three-term recurrence.
    let a_j = 0;
    for (let pass = 0; pass < 2; pass++) {
      basis.setVector(w);
      basis.dotsOf(j + 1);
      const c = basis.dots;
      if (pass === 0) a_j = c[j]!;
      for (let i = 0; i <= j; i++) {
        const ci = c[i]!;
        const qi = i * m;
        for (let t = 0; t < m; t++) w[t] = w[t]! - ci * q[qi + t]!;
      }
    }
    alpha[j] = a_j;
    let norm = 0;
    for (let t = 0; t < m; t++) norm += w[t]! * w[t]!;
    beta[j] = Math.sqrt(norm);
    steps = j + 1;
    const exhausted = !(beta[j]! > 1e-14 * Math.abs(alpha[0]!) + Number.MIN_VALUE) || steps === m;
    if (steps >= want && (steps % 8 === 0 || exhausted || steps === maxSteps)) {
      ritz = tridiagonalTopEigenpairs(alpha.slice(0, steps), beta.slice(0, steps - 1), want);
      const scale = Math.max(Math.abs(ritz.values[0]!), Number.MIN_VALUE);
      let converged = true;
      for (let c = 0; c < want && converged; c++) {
        converged = exhausted || beta[j]! * Math.abs(ritz.vectors[c * steps + steps - 1]!) <= tolerance * scale;
      }
      if (converged) break;
      ritz = null;
    }
    if (exhausted) break;
    if (j + 1 < maxSteps)
      q.set(
        w.map((x) => x / beta[j]!),
        (j + 1) * m,
      );
    yield;
  }
  if (ritz === null) return null;
  // u_c = Σ_i y_c[i]·q_i
  const vectors = new Float64Array(want * m);
  for (let c = 0; c < want; c++) {
    for (let i = 0; i < steps; i++) {
      const y = ritz.vectors[c * steps + i]!;
      for (let t = 0; t < m; t++) vectors[c * m + t] = vectors[c * m + t]! + y * q[i * m + t]!;
    }
    normalize(vectors.subarray(c * m, (c + 1) * m));
  }
  return { values: ritz.values, vectors };
}
