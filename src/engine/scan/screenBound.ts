/**
 * How far a screening score can be from the exact one, so the nearest-token scan can rule rows out with the fast
 * float32 kernels (rowDots.wat: screenDots, screenDotsAndNorms) and still return exactly what the exact scan
 * returns: a row is computed exactly unless its screening score plus the bound is below the worst score kept.
 *
 * The scores (q the query row, r a table row, both float32 values, n = dim, c = q·r / (|q| |r|) in real numbers):
 * - exact: `dot / (qNorm * norm)`, every sum in float64 (rowDots.wat's exact kernels; products of two float32 values
 *   are exact in float64), qNorm and norm square roots of float64 sums of squares;
 * - screening: `screenDot * (1 / sqrt(screenNorm2)) * (1 / qNorm)` in float64, screenDot and screenNorm2 float32 sums
 *   of float32 products in some order.
 *
 * Why the bound holds (u = 2^-24, γ = n·u / (1 − n·u), the classical bound for a sum of n products in any order):
 * - |screenDot − q·r| ≤ γ Σ|q_j r_j| + n·2^-150 ≤ γ |q| |r| + n·2^-150 (Cauchy–Schwarz; 2^-150 is the most a product
 *   that underflows can lose). Both squared norms are at least MIN_SQUARED_NORM = 2^-80, so |q| |r| ≥ ~2^-80 and the
 *   underflow term is at most n·2^-69 of |q| |r|: with δ = γ + n·2^-69, screenDot = q·r + e, |e| ≤ δ |q| |r|.
 * - likewise screenNorm2 = |r|² (1 + θ), |θ| ≤ δ, so 1 / sqrt(screenNorm2) is 1 / |r| within 0.6 δ relative.
 * - qNorm is |q| within (n + 1)·2^-53 relative; the five float64 roundings of the screening score add 5·2^-53.
 * - so |screening − c| ≤ δ + (1 + δ)(0.6 δ + (n + 7)·2^-52) ≤ 2δ + (n + 16)·2^-48, and the exact score's own
 *   float64 error |exact − c| ≤ 2 (n + 4)·2^-53 ≤ (n + 4)·2^-51.
 * The bound returned is twice the sum of those two, a margin that costs nothing: at n = 768 it is ~1.9·10^-4, and
 * in a 50,257-row table only a handful of rows score that close to the 10th best (bench/weights.bench.ts counts them).
 *
 * Outside the squared-norm range below, float32 could underflow (the relative bound fails) or overflow (an infinite
 * or NaN screening score): such rows are always computed exactly, and a query outside it turns screening off.
 */
export const MIN_SQUARED_NORM = 2 ** -80;
export const MAX_SQUARED_NORM = 2 ** 100;

const U32 = 2 ** -24;

/**
 * The most a screening score can differ from the exact score, for rows of `dim` values; Infinity where float32
 * sums of that length have no useful bound (n·u ≥ 1/64, dim ≥ 262,144), which turns screening off.
 */
export function screenScoreBound(dim: number): number {
  const nu = dim * U32;
  if (!(nu < 1 / 64)) return Infinity;
  const delta = nu / (1 - nu) + dim * 2 ** -69;
  const screenedVsCosine = 2 * delta + (dim + 16) * 2 ** -48;
  const exactVsCosine = (dim + 4) * 2 ** -51;
  return 2 * (screenedVsCosine + exactVsCosine);
}

/** Whether a squared norm is in the range where the bound holds. */
export function isScreenableSquaredNorm(squaredNorm: number): boolean {
  return squaredNorm >= MIN_SQUARED_NORM && squaredNorm <= MAX_SQUARED_NORM;
}

/**
 * 1 / sqrt(screenNorm2) for a row the screen can judge, NaN for one it cannot (a NaN screening score never rules a
 * row out, so that row is computed exactly).
 */
export function screenInverseNorm(screenNorm2: number): number {
  return isScreenableSquaredNorm(screenNorm2) ? 1 / Math.sqrt(screenNorm2) : NaN;
}
