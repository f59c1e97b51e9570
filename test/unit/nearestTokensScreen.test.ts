// The nearest-token scan screens rows with float32 kernels and computes exactly only the rows that may rank
// (src/engine/scan/screenBound.ts). These tests hold it to that: the screening kernels' results, every shape of
// block (rows and dims that are not multiples of the kernels' steps), the bound on hard data, and the scan's answer,
// which must be the exact scan's bit for bit (the JS kernel never screens), on tables full of near-ties, exact
// ties, and rows the screen cannot judge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestTokens, type ScanStats } from '../../src/engine/nearestTokens';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { RowDots } from '../../src/engine/scan/rowDots';
import { MAX_SQUARED_NORM, MIN_SQUARED_NORM, screenInverseNorm, screenScoreBound } from '../../src/engine/scan/screenBound';
import type { EmbeddingTables } from '../../src/engine/types';
import { randomFloats } from './helpers/randomFloats';

/** Tables over float32 rows held in memory, with the range path (the scan's usual path). */
function tablesOf(data: Float32Array, dim: number): EmbeddingTables {
  const vocabSize = data.length / dim;
  return {
    vocabSize,
    dim,
    contextLength: 0,
    tokenRows: (ids) => {
      const out = new Float32Array(ids.length * dim);
      for (let i = 0; i < ids.length; i++) out.set(data.subarray(ids[i]! * dim, (ids[i]! + 1) * dim), i * dim);
      return out;
    },
    tokenRowsRange: (start, count) => data.slice(start * dim, (start + count) * dim),
    positionRows: () => new Float32Array(0),
    describe: () => ({ kind: 'random', seed: '0', vocabSize, dim, contextLength: 0 }),
  };
}

/** Screened (default kernel) and exact (JS kernel, never screens) answers must be identical; returns the stats. */
async function assertScreenedIsExact(tables: EmbeddingTables, id: number, k: number, label: string): Promise<ScanStats> {
  const stats: ScanStats = { rows: 0, exactRows: 0 };
  const screened = await nearestTokens(tables, id, { k, stats });
  const exactStats: ScanStats = { rows: 0, exactRows: 0 };
  const exact = await nearestTokens(tables, id, { k, backend: 'js', stats: exactStats });
  assert.deepEqual(screened, exact, label);
  assert.equal(exactStats.exactRows, exactStats.rows, `${label}: the JS kernel scores every row exactly`);
  // A repeat scan uses the cached screening norms: same answer.
  assert.deepEqual(await nearestTokens(tables, id, { k }), exact, `${label}: repeat scan`);
  return stats;
}

test('screening kernels: float32 sums within the classical bound of the float64 ones, exact on small integers, any rows × dim', () => {
  const u = 2 ** -24;
  for (const dim of [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 64, 255, 768, 769]) {
    for (const rows of [1, 2, 3, 4, 5, 6, 7, 9, 37]) {
      const kernel = new RowDots(dim, rows);
      const data = randomFloats(rows * dim, dim * 100 + rows);
      const vector = randomFloats(dim, dim + 7);
      kernel.setVector(vector);
      kernel.load(data);
      kernel.screenDotsAndNormsOf(rows);
      const withNorms = kernel.screenDots.slice(0, rows);
      const norms2 = kernel.screenNorms2.slice(0, rows);
      kernel.screenDotsOf(rows);
      const dotsOnly = kernel.screenDots.slice(0, rows);
      const gamma = (dim * u) / (1 - dim * u);
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        let abs = 0;
        let sq = 0;
        for (let j = 0; j < dim; j++) {
          const x = data[r * dim + j]!;
          dot += x * vector[j]!;
          abs += Math.abs(x * vector[j]!);
          sq += x * x;
        }
        const at = `dim ${dim}, ${rows} rows, row ${r}`;
        assert.ok(Math.abs(withNorms[r]! - dot) <= gamma * abs, `${at}: dot with norms`);
        assert.ok(Math.abs(dotsOnly[r]! - dot) <= gamma * abs, `${at}: dot alone`);
        assert.ok(Math.abs(norms2[r]! - sq) <= gamma * sq, `${at}: squared norm`);
      }
      // Small integers: every product and partial sum is exact in float32, so both kernels give the exact values.
      const ints = Float32Array.from(data, (v) => Math.round(v * 8));
      const intVector = Float32Array.from(vector, (v) => Math.round(v * 8));
      kernel.setVector(intVector);
      kernel.load(ints);
      kernel.screenDotsAndNormsOf(rows);
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        let sq = 0;
        for (let j = 0; j < dim; j++) {
          dot += ints[r * dim + j]! * intVector[j]!;
          sq += ints[r * dim + j]! ** 2;
        }
        assert.equal(kernel.screenDots[r], dot, `dim ${dim}, ${rows} rows, row ${r}: integer dot`);
        assert.equal(kernel.screenNorms2[r], sq, `dim ${dim}, ${rows} rows, row ${r}: integer squared norm`);
      }
    }
  }
});

test('screening needs a float32-valued vector and WebAssembly; exact kernels from any first row match the whole block', () => {
  const kernel = new RowDots(5, 8);
  kernel.setVector([1, 2, 3, 4, 0.1]);
  assert.equal(kernel.canScreen, false, '0.1 is not a float32 value');
  assert.throws(() => kernel.screenDotsOf(1), /float32-valued vector/);
  kernel.setVector([1, 2, 3, 4, Math.fround(0.1)]);
  assert.equal(kernel.canScreen, true);
  assert.equal(new RowDots(5, 8, 'js').canScreen, false);
  for (const backend of ['wasm-simd', 'js'] as const) {
    const k = new RowDots(13, 9, backend);
    k.setVector(randomFloats(13, 5));
    k.load(randomFloats(13 * 9, 6));
    k.dotsAndNormsOf(9);
    const dots = k.dots.slice(0, 9);
    const norms = k.norms.slice(0, 9);
    for (let r = 0; r < 9; r++) {
      k.dotsAndNormsOf(1, r);
      assert.equal(k.dots[0], dots[r], `${backend} row ${r} dot`);
      assert.equal(k.norms[0], norms[r], `${backend} row ${r} norm`);
    }
    assert.throws(() => k.dotsAndNormsOf(2, 8), RangeError);
  }
});

test('the bound holds on hard rows: cancellation, wide exponents, near-underflow and near-overflow norms, 4,096 dims', () => {
  const cases: {
    name: string;
    dim: number;
    rows: (dim: number, query: Float32Array) => Float32Array[];
    query?: (dim: number) => Float32Array;
    /** The case must come this close to the bound (a fraction of it): the data is hard enough to catch a bound far too small. */
    worstAtLeast?: number;
  }[] = [
    {
      name: 'cancellation (dot ≈ 0 from large terms of both signs)',
      dim: 768,
      rows: (dim, q) =>
        Array.from({ length: 40 }, (_, s) => {
          const noise = randomFloats(dim, 500 + s);
          const row = new Float32Array(dim);
          // Orthogonal to q up to rounding: pairs (q_{2i+1}, -q_{2i}) plus a little noise.
          for (let j = 0; j + 1 < dim; j += 2) {
            row[j] = q[j + 1]! * 1e3 + noise[j]! * 1e-3;
            row[j + 1] = -q[j]! * 1e3 + noise[j + 1]! * 1e-3;
          }
          return row;
        }),
    },
    {
      name: 'values spanning 2^-30 … 2^30',
      dim: 300,
      rows: (dim) => Array.from({ length: 40 }, (_, s) => Float32Array.from(randomFloats(dim, 900 + s), (v, j) => v * 2 ** (((j * 7 + s) % 61) - 30))),
    },
    {
      name: 'small norms whose float32 squares underflow',
      dim: 64,
      rows: (dim) => Array.from({ length: 40 }, (_, s) => Float32Array.from(randomFloats(dim, 1300 + s), (v, j) => v * 2 ** -(38 + ((j + s) % 50)))),
    },
    {
      name: 'near the largest screenable norm',
      dim: 64,
      rows: (dim) => Array.from({ length: 40 }, (_, s) => Float32Array.from(randomFloats(dim, 1700 + s), (v) => v * 2 ** 46)),
    },
    { name: 'Llama-sized rows', dim: 4096, rows: (dim) => Array.from({ length: 12 }, (_, s) => randomFloats(dim, 2100 + s)) },
    {
      // Every float32 partial sum of a constant row rounds the same way, so these errors add up instead of
      // cancelling: the largest screening errors found (a search over constants gave the first x below: 69 u, 2% of the bound).
      name: 'constant rows against a constant query',
      dim: 768,
      query: (dim) => new Float32Array(dim).fill(1.1545648574829102),
      rows: (dim) => [1.1525390148162842, ...Array.from({ length: 60 }, (_, s) => 1 + s / 61)].map((x) => new Float32Array(dim).fill(x)),
      worstAtLeast: 0.01,
    },
  ];
  for (const { name, dim, rows, query: queryOf, worstAtLeast } of cases) {
    const query = queryOf?.(dim) ?? randomFloats(dim, 77);
    const data = rows(dim, query);
    const kernel = new RowDots(dim, data.length);
    data.forEach((row, r) => kernel.block.set(row, r * dim));
    kernel.setVector(query);
    let qSq = 0;
    for (let j = 0; j < dim; j++) qSq += query[j]! * query[j]!;
    const qNorm = Math.sqrt(qSq);
    kernel.screenDotsAndNormsOf(data.length);
    const screened = Array.from(kernel.screenDots.subarray(0, data.length), (d, r) => d * screenInverseNorm(kernel.screenNorms2[r]!) * (1 / qNorm));
    kernel.dotsAndNormsOf(data.length);
    const bound = screenScoreBound(dim);
    let judged = 0;
    let worst = 0;
    for (let r = 0; r < data.length; r++) {
      if (Number.isNaN(screened[r])) continue;
      judged++;
      const exact = kernel.dots[r]! / (qNorm * kernel.norms[r]!);
      const error = Math.abs(screened[r]! - exact);
      assert.ok(error <= bound, `${name}, row ${r}: |${screened[r]} − ${exact}| > ${bound}`);
      worst = Math.max(worst, error);
    }
    assert.equal(judged, data.length, `${name}: every row is in the screenable range`);
    if (worstAtLeast !== undefined) assert.ok(worst >= worstAtLeast * bound, `${name}: worst error ${worst} is not ${worstAtLeast} of the bound ${bound}`);
  }
  assert.equal(screenInverseNorm(MIN_SQUARED_NORM / 2), NaN);
  assert.equal(screenInverseNorm(MAX_SQUARED_NORM * 2), NaN);
  assert.equal(screenInverseNorm(Infinity), NaN);
  assert.equal(screenScoreBound(1 << 18), Infinity, 'no useful float32 bound for sums this long: no screening');
});

test('random tables: the screened scan is the exact scan, and computes only a few percent of the rows exactly', async () => {
  for (const dim of [7, 64, 130, 768]) {
    const tables = new RandomEmbeddingTables({ seed: '123', vocabSize: 6000, dim, contextLength: 4, materializeLimit: 0 });
    let exactRows = 0;
    let rows = 0;
    for (const [id, k] of [
      [40, 10],
      [5999, 1],
      [0, 50],
    ] as const) {
      const stats = await assertScreenedIsExact(tables, id, k, `dim ${dim}, id ${id}, k ${k}`);
      exactRows += stats.exactRows;
      rows += stats.rows;
    }
    assert.equal(rows, 3 * 5999);
    if (dim >= 64) assert.ok(exactRows < rows * 0.05, `dim ${dim}: ${exactRows} of ${rows} rows computed exactly`);
  }
});

test('near-ties closer than the bound, exact ties and scaled copies rank exactly as the exact scan ranks them', async () => {
  const dim = 96;
  const query = randomFloats(dim, 3);
  const rows: Float32Array[] = [query];
  // 300 rows a few float32 ulps from the query: their exact scores differ by ~1e-8, far below the bound (~2.5e-5),
  // so the screen cannot order them and every one must be computed exactly.
  for (let i = 0; i < 300; i++) {
    const row = query.slice();
    const noise = randomFloats(dim, 1000 + i);
    for (let j = 0; j < dim; j++) row[j] = Math.fround(row[j]! * (1 + noise[j]! * 2 ** -22));
    rows.push(row);
  }
  // Exact ties: copies and power-of-two multiples of a few of those rows (the same exact score); the lower id wins.
  for (let i = 0; i < 40; i++) rows.push(Float32Array.from(rows[1 + ((i * 37) % 300)]!, (v) => v * 2 ** ((i % 5) - 2)));
  // Filler far away.
  for (let i = 0; i < 2000; i++) rows.push(randomFloats(dim, 5000 + i));
  const data = new Float32Array(rows.length * dim);
  rows.forEach((row, r) => data.set(row, r * dim));
  const tables = tablesOf(data, dim);
  for (const k of [1, 10, 120, 350]) {
    const stats = await assertScreenedIsExact(tables, 0, k, `k ${k}`);
    assert.ok(stats.exactRows >= Math.min(k, 340), `k ${k}: the near-ties were computed exactly`);
  }
  const best = await nearestTokens(tables, 0, { k: 350 });
  assert.ok(
    best.some((n, i) => i > 0 && n.score === best[i - 1]!.score),
    'the table has exact ties in the answer',
  );
});

test('rows the screen cannot judge (zero, NaN, infinite, tiny, huge) and queries it cannot use get the exact answer', async () => {
  const dim = 10;
  const base = randomFloats(200 * dim, 11);
  const data = base.slice();
  const setRow = (r: number, f: (v: number, j: number) => number) => {
    for (let j = 0; j < dim; j++) data[r * dim + j] = f(base[r * dim + j]!, j);
  };
  setRow(3, () => 0);
  setRow(4, (v, j) => (j === 2 ? NaN : v));
  setRow(5, (v, j) => (j === 7 ? Infinity : v));
  setRow(6, (v) => v * 2 ** -70); // squared norm below the screenable range
  setRow(7, (v) => v * 2 ** 70); // float32 squares overflow
  setRow(8, (v) => v * 2 ** -149 * 3); // subnormal
  setRow(9, (_, j) => data[j]! * 2 ** 60); // a huge copy of row 0: the best score there is
  setRow(10, (_, j) => data[j]! * 2 ** -60); // a tiny copy of row 0: ties with row 9
  setRow(20, () => 0); // a zero query
  setRow(21, (v) => v * 2 ** 80); // a query too large to screen with
  const tables = tablesOf(data, dim);
  for (const id of [0, 1, 9, 10, 20, 21, 6, 7]) {
    for (const k of [1, 5, 199]) {
      const stats = await assertScreenedIsExact(tables, id, k, `id ${id}, k ${k}`);
      if (id === 20 || id === 21) assert.equal(stats.exactRows, stats.rows, `id ${id}: screening off for this query`);
    }
  }
  const nearestToZero = await nearestTokens(tables, 0, { k: 3 });
  assert.deepEqual(
    nearestToZero.slice(0, 2).map((n) => n.id),
    [9, 10],
  );
});
