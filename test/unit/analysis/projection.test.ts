import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jointProjection, pca2d, projectOnto, symmetricEigen } from '../../../src/engine/analysis/projection';
import { topEigenpairs } from '../../../src/engine/analysis/symmetricTop';
import { bookBatch, reference } from './fixtures';

/** A random orthonormal d×d matrix (columns) from Gram–Schmidt on fixed pseudo-random numbers. */
function orthonormal(d: number, seed: number): number[][] {
  let s = seed;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const cols: number[][] = [];
  for (let c = 0; c < d; c++) {
    const v = Array.from({ length: d }, rnd);
    for (const p of cols) {
      const dot = v.reduce((a, x, i) => a + x * p[i]!, 0);
      for (let i = 0; i < d; i++) v[i] -= dot * p[i]!;
    }
    const n = Math.hypot(...v);
    cols.push(v.map((x) => x / n));
  }
  return cols;
}

function close(a: number, b: number, tol: number, what: string) {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

function largestIsPositive(v: ArrayLike<number>) {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  return v[best]! > 0;
}

test('points on a line: one axis carries all variance, coordinates are the signed distances', () => {
  const d = 5;
  const u = [0.1, -0.7, 0.2, 0.5, -0.3];
  const nu = Math.hypot(...u);
  const dir = u.map((x) => x / nu); // largest |component| is negative → the axis must come out as −dir
  const ts = [-2, -1, 0, 0.5, 3, 4];
  const data = new Float64Array(ts.length * d);
  ts.forEach((t, i) => dir.forEach((x, j) => (data[i * d + j] = 1 + j + t * x)));
  const p = pca2d(data, ts.length, d);
  close(p.explainedVarianceRatio[0], 1, 1e-12, 'ratio 0');
  assert.equal(p.explainedVarianceRatio[1], 0);
  const meanT = ts.reduce((a, c) => a + c, 0) / ts.length;
  for (let j = 0; j < d; j++) close(p.components[j]!, -dir[j]!, 1e-12, `axis[${j}]`);
  ts.forEach((t, i) => {
    close(p.coords[i * 2]!, -(t - meanT), 1e-6, `coord ${i}`);
    assert.equal(p.coords[i * 2 + 1], 0);
  });
  const variance = ts.reduce((a, t) => a + (t - meanT) ** 2, 0) / (ts.length - 1);
  close(p.explainedVariance[0], variance, 1e-12, 'variance');
});

test('an ellipse with known axes, through both the Gram (n ≤ d) and the covariance (n > d) path', () => {
  const a = 3;
  const b = 1;
  for (const [n, d] of [
    [8, 20], // Gram matrix path
    [24, 6], // covariance path
  ] as const) {
    const q = orthonormal(d, 42 + n);
    const data = new Float64Array(n * d);
    for (let k = 0; k < n; k++) {
      const th = (2 * Math.PI * k) / n;
      for (let j = 0; j < d; j++) data[k * d + j] = 5 + a * Math.cos(th) * q[0]![j]! + b * Math.sin(th) * q[1]![j]!;
    }
    const p = pca2d(data, n, d);
    close(p.explainedVarianceRatio[0], (a * a) / (a * a + b * b), 1e-10, `ratio0 ${n}x${d}`);
    close(p.explainedVarianceRatio[1], (b * b) / (a * a + b * b), 1e-10, `ratio1 ${n}x${d}`);
    close(p.explainedVariance[0], ((a * a) / 2) * (n / (n - 1)), 1e-10, 'variance0');
    for (let c = 0; c < 2; c++) {
      const axis = p.components.subarray(c * d, (c + 1) * d);
      const dot = axis.reduce((s, x, j) => s + x * q[c]![j]!, 0);
      close(Math.abs(dot), 1, 1e-10, `axis ${c} ∥ known axis`);
      assert.ok(largestIsPositive(axis), 'sign convention');
    }
    for (let k = 0; k < n; k++) {
      const th = (2 * Math.PI * k) / n;
      close(Math.abs(p.coords[k * 2]!), Math.abs(a * Math.cos(th)), 1e-5, 'x');
      close(Math.abs(p.coords[k * 2 + 1]!), Math.abs(b * Math.sin(th)), 1e-5, 'y');
    }
  }
});

test('a circle (equal variances): the plane and the 50/50 split are exact', () => {
  const n = 16;
  const d = 10;
  const q = orthonormal(d, 7);
  const data = new Float64Array(n * d);
  for (let k = 0; k < n; k++) {
    const th = (2 * Math.PI * k) / n;
    for (let j = 0; j < d; j++) data[k * d + j] = 2 * Math.cos(th) * q[0]![j]! + 2 * Math.sin(th) * q[1]![j]! + 1e-3 * q[2]![j]! * (k % 2);
  }
  const p = pca2d(data, n, d);
  close(p.explainedVarianceRatio[0], p.explainedVarianceRatio[1], 1e-9, 'equal split');
  for (let k = 0; k < n; k++) close(Math.hypot(p.coords[k * 2]!, p.coords[k * 2 + 1]!), 2, 1e-5, 'radius');
});

test('rotation invariance: rotating the data changes neither variances nor |coordinates|', () => {
  const n = 12;
  const d = 7;
  let s = 99;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
  const x = Float64Array.from({ length: n * d }, (_, i) => rnd() * (1 + (i % d)));
  const r = orthonormal(d, 5);
  const xr = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) xr[i * d + j] += x[i * d + k]! * r[j]![k]!;
  const p = pca2d(x, n, d);
  const pr = pca2d(xr, n, d);
  for (let c = 0; c < 2; c++) {
    close(pr.explainedVarianceRatio[c]!, p.explainedVarianceRatio[c]!, 1e-10, `ratio ${c}`);
    const flip = Math.sign(pr.coords[c]!) === Math.sign(p.coords[c]!) ? 1 : -1;
    for (let i = 0; i < n; i++) close(pr.coords[i * 2 + c]!, flip * p.coords[i * 2 + c]!, 1e-5, `coord ${i},${c}`);
  }
  // negating the data keeps the (sign-normalised) axes and negates the coordinates
  const pn = pca2d(
    x.map((v) => -v),
    n,
    d,
  );
  for (let j = 0; j < 2 * d; j++) close(pn.components[j]!, p.components[j]!, 1e-10, 'axis under negation');
  for (let i = 0; i < 2 * n; i++) close(pn.coords[i]!, -p.coords[i]!, 1e-5, 'coords under negation');
});

test("matches numpy's SVD on the book batch (32 × 256), and the joint token→combined projection", () => {
  const b = bookBatch();
  const n = b.ids.length;
  const ref = reference.book.pcaCombined;
  const p = pca2d(b.comb, n, b.dim);
  for (let c = 0; c < 2; c++) {
    close(p.explainedVarianceRatio[c]!, ref.ratio[c]!, 1e-9, `ratio ${c}`);
    close(p.explainedVariance[c]!, ref.variance[c]!, 1e-7, `variance ${c}`);
    for (let j = 0; j < b.dim; j++) close(p.components[c * b.dim + j]!, ref.components[c]![j]!, 1e-7, `axis ${c}[${j}]`);
    for (let i = 0; i < n; i++) close(p.coords[i * 2 + c]!, ref.coords[i]![c]!, 1e-5, `coord ${i},${c}`);
  }
  const joint = jointProjection(b.tok, b.comb, n, b.dim);
  const jr = reference.book.pcaJoint;
  for (let c = 0; c < 2; c++) {
    close(joint.pca.explainedVarianceRatio[c]!, jr.ratio[c]!, 1e-9, `joint ratio ${c}`);
    for (let i = 0; i < n; i++) {
      close(joint.tokenCoords[i * 2 + c]!, jr.coords[i]![c]!, 1e-5, `token ${i}`);
      close(joint.combinedCoords[i * 2 + c]!, jr.coords[n + i]![c]!, 1e-5, `combined ${i}`);
    }
  }
  // projecting the sets again in the fitted basis gives the same arrows
  const again = projectOnto(joint.pca, b.comb, n, b.dim);
  for (let i = 0; i < 2 * n; i++) close(again[i]!, joint.combinedCoords[i]!, 1e-5, 'projectOnto');
});

test('degenerate inputs: a single point, identical points, dim 1', () => {
  const one = pca2d(Float32Array.from([1, 2, 3]), 1, 3);
  assert.deepEqual(Array.from(one.coords), [0, 0]);
  assert.deepEqual(one.explainedVarianceRatio, [0, 0]);
  const same = pca2d(Float32Array.from([1, 2, 1, 2, 1, 2]), 3, 2);
  assert.deepEqual(Array.from(same.coords), [0, 0, 0, 0, 0, 0]);
  const line = pca2d(Float32Array.from([1, 2, 4]), 3, 1);
  close(line.explainedVarianceRatio[0], 1, 1e-15, 'dim 1 ratio');
  assert.equal(line.explainedVarianceRatio[1], 0);
  assert.deepEqual(
    Array.from(line.coords).map((v) => Math.round(v * 1e6) / 1e6),
    [-4 / 3, 0, -1 / 3, 0, 5 / 3, 0].map((v) => Math.round(v * 1e6) / 1e6),
  );
  assert.throws(() => pca2d(new Float32Array(5), 2, 3), /needs 6 values/);
});

test('topEigenpairs agrees with Jacobi on random symmetric matrices, including repeated eigenvalues', () => {
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (const m of [1, 2, 3, 5, 17, 40]) {
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = i; j < m; j++) a[i * m + j] = a[j * m + i] = rnd();
    const want = Math.min(2, m);
    const top = topEigenpairs(a, m, want);
    const ref = symmetricEigen(a, m);
    for (let c = 0; c < want; c++) {
      close(top.values[c]!, ref.values[c]!, 1e-12, `m=${m} λ${c}`);
      // A·u = λ·u
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += a[i * m + j]! * top.vectors[c * m + j]!;
        close(s, top.values[c]! * top.vectors[c * m + i]!, 1e-11, `m=${m} residual`);
      }
    }
  }
  // diag(5, 5, 1, …) rotated: a repeated top eigenvalue still gives an orthonormal pair
  const m = 6;
  const q = orthonormal(m, 11);
  const lambdas = [5, 5, 1, 0.5, 0.25, 0];
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) a[i * m + j] += q[k]![i]! * lambdas[k]! * q[k]![j]!;
  const top = topEigenpairs(a, m, 2);
  close(top.values[0]!, 5, 1e-12, 'λ0');
  close(top.values[1]!, 5, 1e-12, 'λ1');
  let dot = 0;
  for (let i = 0; i < m; i++) dot += top.vectors[i]! * top.vectors[m + i]!;
  close(dot, 0, 1e-12, 'orthogonal');
});

test('symmetricEigen diagonalises a small symmetric matrix', () => {
  const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
  assert.deepEqual(
    Array.from(values).map((v) => Math.round(v * 1e12) / 1e12),
    [5, 3, 1],
  );
  close(Math.abs(vectors[2 * 3 + 0]!), 1, 1e-12, 'eigenvector of 5 is e3');
});
