// Analysis computations at panel sizes (GPT-2 small: dim 768), each against a baseline measured in the same run:
//  - joint PCA by subspace iteration vs a full Jacobi eigendecomposition of the same Gram matrix;
//  - cosine matrix (float64 sums) vs the same loops in float32 accumulation (Math.fround each step);
//  - .npy encoding (bulk copy) vs writing element by element through a DataView;
//  - CSV export (shortest float32 decimals) vs plain Number#toString of the widened doubles.
// Run: node --expose-gc --import tsx bench/analysis.bench.ts   (or `npm run bench -- analysis`)
import { matrixToCsv } from '../src/engine/analysis/export';
import { encodeNpy, npyHeader } from '../src/engine/analysis/npy';
import { jointProjection, symmetricEigen } from '../src/engine/analysis/projection';
import { cosineSimilarityMatrix } from '../src/engine/analysis/similarity';
import { formatTorchTensor } from '../src/engine/torchFormat';

const DIM = 768;
function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2;
  }
  return out;
}
function best(run: () => unknown, repeats: number): number {
  let t = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    t = Math.min(t, performance.now() - start);
  }
  return t;
}
const fmt = (t: number) => (t < 1 ? `${(t * 1000).toFixed(0)} µs` : `${t.toFixed(1)} ms`);
const ratio = (ours: number, base: number) => (ours <= base ? `${(base / ours).toFixed(1)}× faster` : `${(ours / base).toFixed(1)}× slower`);
const rows: string[][] = [['case', 'ours', 'baseline', 'ratio']];
const row = (name: string, ours: number, base: number) => rows.push([name, fmt(ours), fmt(base), ratio(ours, base)]);

// ── PCA ──
for (const n of [64, 256]) {
  const tok = randomMatrix(n, DIM, 1);
  const comb = randomMatrix(n, DIM, 2);
  for (let i = 0; i < comb.length; i++) comb[i] = Math.fround(comb[i]! * 0.3 + tok[i]!);
  const ours = best(() => jointProjection(tok, comb, n, DIM), 3);
  const base = best(() => {
    // Baseline: same centring and Gram matrix, then a full Jacobi eigendecomposition.
    const m = 2 * n;
    const x = new Float64Array(m * DIM);
    x.set(tok);
    x.set(comb, n * DIM);
    const mean = new Float64Array(DIM);
    for (let i = 0; i < m; i++) for (let j = 0; j < DIM; j++) mean[j] += x[i * DIM + j]! / m;
    for (let i = 0; i < m * DIM; i++) x[i] -= mean[i % DIM]!;
    const g = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let k = i; k < m; k++) {
        let s = 0;
        for (let j = 0; j < DIM; j++) s += x[i * DIM + j]! * x[k * DIM + j]!;
        g[i * m + k] = g[k * m + i] = s;
      }
    symmetricEigen(g, m);
  }, 1);
  row(`joint PCA ${n} tokens × ${DIM} (vs full Jacobi)`, ours, base);
}

// ── cosine matrix ──
{
  const n = 512;
  const x = randomMatrix(n, DIM, 3);
  const ours = best(() => cosineSimilarityMatrix(x, n, DIM), 3);
  const base = best(() => {
    const f = Math.fround;
    const out = new Float32Array(n * n);
    const norms = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < DIM; j++) s = f(s + f(x[i * DIM + j]! * x[i * DIM + j]!));
      norms[i] = Math.sqrt(s);
    }
    for (let a = 0; a < n; a++)
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let j = 0; j < DIM; j++) s = f(s + f(x[a * DIM + j]! * x[b * DIM + j]!));
        out[a * n + b] = out[b * n + a] = s / (norms[a]! * norms[b]!);
      }
    return out;
  }, 3);
  row(`cosine matrix ${n}×${n} from ${DIM}-d (vs float32 loops)`, ours, base);
}

// ── .npy ──
{
  const n = 8192;
  const x = randomMatrix(n, DIM, 4);
  const ours = best(() => encodeNpy(x, [n, DIM]), 5);
  const base = best(() => {
    const h = npyHeader('<f4', [n, DIM]);
    const out = new Uint8Array(h.length + x.length * 4);
    out.set(h);
    const v = new DataView(out.buffer, h.length);
    for (let i = 0; i < x.length; i++) v.setFloat32(i * 4, x[i]!, true);
    return out;
  }, 5);
  row(`.npy ${n}×${DIM} float32 (vs DataView loop)`, ours, base);
}

// ── CSV ──
{
  const n = 512;
  const x = randomMatrix(n, DIM, 5);
  const ours = best(() => matrixToCsv(x, n, DIM), 3);
  const base = best(() => {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(Array.from(x.subarray(i * DIM, (i + 1) * DIM), String).join(','));
    return lines.join('\r\n');
  }, 3);
  row(`CSV ${n}×${DIM} shortest float32 (vs 17-digit toString)`, ours, base);
}

// ── repr ──
{
  const x = randomMatrix(8 * 1024, DIM, 6);
  const ours = best(() => formatTorchTensor(x, [8, 1024, DIM], { gradFn: 'AddBackward0' }), 5);
  const small = randomMatrix(6, 3, 7);
  const base = best(() => formatTorchTensor(small, [6, 3]), 5);
  row('repr (8, 1024, 768) summarised (vs a 6×3 full print)', ours, base);
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
