// The panel's analyses for a 256-token page × 768 (issue 14's targets: projection < 100 ms, similarity < 60 ms,
// CSV export < 150 ms, from 624 / 185 / 501 ms), each against the implementation it replaced, measured in the
// same run and alternated with it run by run: per-pair float64 loops for the two similarity matrices, a JS Gram
// matrix + full Householder eigensolver for the projection, the toPrecision search for every CSV number.
// Wall and CPU time (user + system) medians: on a shared machine CPU time is the steadier of the two.
// Run: node --expose-gc --import tsx bench/pageAnalyses.bench.ts   (or `npm run bench -- pageAnalyses`)
import { float32ToStringByPrecision, matrixToCsv } from '../src/engine/analysis/export';
import { jointProjection } from '../src/engine/analysis/projection';
import { cosineSimilarityMatrix } from '../src/engine/analysis/similarity';
import { topEigenpairs } from '../src/engine/analysis/symmetricTop';
import { RandomEmbeddingTables } from '../src/engine/randomTables';

const N = 256;
const DIM = 768;
const tables = new RandomEmbeddingTables({ seed: '123', vocabSize: 50257, dim: DIM, contextLength: 1024 });
const tok = tables.tokenRows(Array.from({ length: N }, (_, i) => (i * 7919) % 50257));
const pos = tables.positionRows(Array.from({ length: N }, (_, i) => i));
const comb = tok.map((v, i) => v + pos[i]!);

function previousSimilarity(x: Float32Array): Float32Array {
  const sq = new Float64Array(N);
  for (let i = 0; i < N; i++) for (let j = 0; j < DIM; j++) sq[i] += x[i * DIM + j]! * x[i * DIM + j]!;
  const out = new Float32Array(N * N);
  for (let a = 0; a < N; a++) {
    for (let b = a; b < N; b++) {
      let dot = 0;
      for (let j = 0; j < DIM; j++) dot += x[a * DIM + j]! * x[b * DIM + j]!;
      out[a * N + b] = out[b * N + a] = dot / Math.sqrt(sq[a]! * sq[b]!);
    }
  }
  return out;
}

function previousProjection(): Float32Array {
  const m = 2 * N;
  const xc = new Float64Array(m * DIM);
  xc.set(tok);
  xc.set(comb, N * DIM);
  const mean = new Float64Array(DIM);
  for (let i = 0; i < m; i++) for (let j = 0; j < DIM; j++) mean[j] += xc[i * DIM + j]! / m;
  for (let i = 0; i < m * DIM; i++) xc[i] -= mean[i % DIM]!;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = i; k < m; k++) {
      let s = 0;
      for (let j = 0; j < DIM; j++) s += xc[i * DIM + j]! * xc[k * DIM + j]!;
      a[i * m + k] = a[k * m + i] = s;
    }
  }
  const eig = topEigenpairs(a, m, 2);
  const coords = new Float32Array(m * 2);
  for (let c = 0; c < 2; c++) {
    const axis = new Float64Array(DIM);
    for (let i = 0; i < m; i++) for (let j = 0; j < DIM; j++) axis[j] += eig.vectors[c * m + i]! * xc[i * DIM + j]!;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < DIM; j++) s += xc[i * DIM + j]! * axis[j]!;
      coords[i * 2 + c] = s;
    }
  }
  return coords;
}

function previousCsv(x: Float32Array): string {
  const lines = [Array.from({ length: DIM }, (_, j) => `dim_${j}`).join(',')];
  for (let i = 0; i < N; i++) {
    const cells: string[] = [];
    for (let j = 0; j < DIM; j++) cells.push(float32ToStringByPrecision(x[i * DIM + j]!));
    lines.push(cells.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function measure(fn: () => unknown): [number, number] {
  const w = performance.now();
  const c = cpuMs();
  fn();
  return [performance.now() - w, cpuMs() - c];
}

const cases: [string, () => unknown, () => unknown, number][] = [
  [
    'similarity (token + combined matrices)',
    () => [cosineSimilarityMatrix(tok, N, DIM), cosineSimilarityMatrix(comb, N, DIM)],
    () => [previousSimilarity(tok), previousSimilarity(comb)],
    60,
  ],
  ['projection (joint PCA of 512 points)', () => jointProjection(tok, comb, N, DIM), previousProjection, 100],
  ['CSV export of the combined matrix', () => matrixToCsv(comb, N, DIM), () => previousCsv(comb), 150],
];
const rows: string[][] = [['case (256 tokens × 768)', 'ours wall', 'before wall', 'ours CPU', 'before CPU', 'speedup (CPU)', 'target']];
for (const [name, ours, before, target] of cases) {
  const o: [number[], number[]] = [[], []];
  const b: [number[], number[]] = [[], []];
  ours(); // warm up both (JIT, wasm tier-up)
  before();
  for (let r = 0; r < 5; r++) {
    const [ow, oc] = measure(ours);
    o[0].push(ow);
    o[1].push(oc);
    const [bw, bc] = measure(before);
    b[0].push(bw);
    b[1].push(bc);
  }
  const f = (t: number) => `${t.toFixed(1)} ms`;
  rows.push([name, f(median(o[0])), f(median(b[0])), f(median(o[1])), f(median(b[1])), `${(median(b[1]) / median(o[1])).toFixed(1)}×`, `< ${target} ms`]);
}
const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((x, c) => x.padEnd(w[c]!)).join('  '));
