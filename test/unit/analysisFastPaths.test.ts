// The analyses' fast paths against the slower exact methods they replaced: Lanczos top eigenpairs against the
// Householder/bisection method on large Gram matrices (nearly isotropic random data, the hard case), the
// projection of a 256-token GPT-2 × 768 page both ways, and the fast shortest-float32 formatting against the
// toPrecision search on a wide sample of float32 values. (PyTorch/numpy references: analysis/*.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float32ToString, float32ToStringByPrecision } from '../../src/engine/analysis/export';
import { jointProjection } from '../../src/engine/analysis/projection';
import { runSteps } from '../../src/engine/steps';
import { lanczosTopEigenpairs, topEigenpairs } from '../../src/engine/analysis/symmetricTop';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';

function gram(x: Float64Array, m: number, d: number): Float64Array {
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * x[k * d + j]!;
      a[i * m + k] = s;
    }
  return a;
}

test('Lanczos gives the top two eigenpairs of the exact method on large, nearly isotropic Gram matrices', () => {
  const tables = new RandomEmbeddingTables({ seed: '7', vocabSize: 4000, dim: 300, contextLength: 4 });
  for (const [m, d] of [
    [200, 300],
    [300, 200],
  ] as const) {
    const x = Float64Array.from(tables.tokenRowsRange(0, m).subarray(0, m * d));
    const a = gram(x, m, d);
    const exact = topEigenpairs(a, m, 2);
    const fast = runSteps(lanczosTopEigenpairs(a, m, 2));
    assert.ok(fast !== null, `${m}×${d}: converged`);
    for (let c = 0; c < 2; c++) {
      assert.ok(Math.abs(fast.values[c]! - exact.values[c]!) <= 1e-10 * exact.values[0]!, `${m}×${d} λ${c}`);
      let dot = 0;
      for (let i = 0; i < m; i++) dot += fast.vectors[c * m + i]! * exact.vectors[c * m + i]!;
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `${m}×${d} vector ${c}: |cos| ${Math.abs(dot)}`);
    }
  }
});

test('projection of a 256-token GPT-2 × 768 page: same components and signs as the exact eigensolver', () => {
  const tables = new RandomEmbeddingTables({ seed: '123', vocabSize: 50257, dim: 768, contextLength: 1024 });
  const ids = Array.from({ length: 256 }, (_, i) => (i * 7919) % 50257);
  const tok = tables.tokenRows(ids);
  const pos = tables.positionRows(Array.from({ length: 256 }, (_, i) => i));
  const comb = tok.map((v, i) => v + pos[i]!);
  const p = jointProjection(tok, comb, 256, 768);
  // The exact method on the same centred stacked data.
  const m = 512;
  const x = new Float64Array(m * 768);
  x.set(tok);
  x.set(comb, 256 * 768);
  for (let j = 0; j < 768; j++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += x[i * 768 + j]!;
    mean /= m;
    for (let i = 0; i < m; i++) x[i * 768 + j] -= mean;
  }
  const exact = topEigenpairs(gram(x, m, 768), m, 2);
  for (let c = 0; c < 2; c++) {
    const axis = new Float64Array(768);
    for (let i = 0; i < m; i++) for (let j = 0; j < 768; j++) axis[j] += exact.vectors[c * m + i]! * x[i * 768 + j]!;
    const norm = Math.hypot(...axis);
    let best = 0;
    for (let j = 0; j < 768; j++) if (Math.abs(axis[j]!) > Math.abs(axis[best]!)) best = j;
    const sign = axis[best]! < 0 ? -1 : 1;
    for (let j = 0; j < 768; j++) {
      const want = (sign * axis[j]!) / norm;
      assert.ok(Math.abs(p.pca.components[c * 768 + j]! - want) < 1e-8, `axis ${c}[${j}]: ${p.pca.components[c * 768 + j]} vs ${want}`);
    }
  }
});

test('fast float32ToString equals the toPrecision search on a wide sample of float32 values', () => {
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  let checked = 0;
  const check = (x: number) => {
    if (!Number.isFinite(x)) return;
    assert.equal(float32ToString(x), float32ToStringByPrecision(Math.fround(x)), `bits ${bits[0]}`);
    checked++;
  };
  // Every 2,053rd bit pattern (all exponents, both signs), then dense runs where embeddings live and next to
  // powers of ten (where log10 is off by one) and 2 (where the float32 spacing halves).
  for (let b = 0; b < 2 ** 32; b += 2053 * 997) {
    bits[0] = b;
    check(f[0]!);
  }
  for (const start of [0x3c000000, 0x3e800000, 0x3f800000, 0x40000000]) {
    for (let b = start; b < start + 20000; b++) {
      bits[0] = b;
      check(f[0]!);
    }
  }
  for (let k = -30; k <= 30; k++) {
    for (const base of [10 ** k, 2 ** k]) {
      bits[0] = 0;
      f[0] = base;
      const b0 = bits[0]!;
      for (let b = b0 - 50; b <= b0 + 50; b++) {
        bits[0] = b;
        check(f[0]!);
      }
    }
  }
  assert.ok(checked > 90_000);
});
