// Random PyTorch-exact embedding tables at GPT-2 size (50,257 × 768, context 1,024, seed 123):
// rows on demand (RandomEmbeddingTables) against the naive baseline measured in the same run, i.e. materialising
// the whole table with `torch.manual_seed; nn.Embedding; nn.Embedding` semantics (torchEmbeddingInit).
// Run: node --expose-gc --import tsx bench/embeddings.bench.ts   (or `npm run bench -- embeddings`)
import { cpus, loadavg } from 'node:os';
import { RandomEmbeddingTables } from '../src/engine/randomTables';
import { torchEmbeddingInit } from '../src/engine/torchRandom';

const VOCAB = 50257;
const DIM = 768;
const CONTEXT = 1024;
const SEED = 123;

const gc = (globalThis as { gc?: () => void }).gc;
function collect(): void {
  gc?.();
  gc?.();
}
function externalBytes(): number {
  collect();
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}
function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ratio = (ours: number, baseline: number) => (ours <= baseline ? `${(baseline / ours).toFixed(1)}× faster` : `${(ours / baseline).toFixed(1)}× slower`);
const ms = (t: number) => (t < 1 ? `${(t * 1000).toFixed(1)} µs` : `${t.toFixed(1)} ms`);

// Same pseudo-random row sample for both sides.
const sample: number[] = [];
let x = 12345;
for (let i = 0; i < 1000; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  sample.push(x % VOCAB);
}

// ── rows on demand ──
const before = externalBytes();
const built = time(() => new RandomEmbeddingTables({ seed: SEED, vocabSize: VOCAB, dim: DIM, contextLength: CONTEXT }));
const tables = built.value;
const coldRow = time(() => tables.tokenRows([40]));
const firstCachedRow = time(() => tables.tokenRows([40]));
// Steady state: mean of many cached lookups (the first one above still pays JIT warm-up).
const cachedRepeats = 10000;
const cachedRow = time(() => {
  for (let i = 0; i < cachedRepeats; i++) tables.tokenRows([40]);
});
cachedRow.ms /= cachedRepeats;
const firstPosition = time(() => tables.positionRows([0]));
const lastRow = time(() => tables.tokenRows([VOCAB - 1]));
const randomCold = time(() => tables.tokenRows(sample));
const randomCached = time(() => tables.tokenRows(sample));
const fullContext = time(() => tables.positionRows(Array.from({ length: CONTEXT }, (_, i) => i)));
const ours = tables.tokenRows(sample);
const oursExtra = externalBytes() - before;
const stats = tables.stats();

// ── baseline: materialise everything, then index ──
const baseBefore = externalBytes();
const materialise = time(() => torchEmbeddingInit(SEED, VOCAB, DIM, CONTEXT));
const full = materialise.value;
const baseRandom = time(() => {
  const out = new Float32Array(sample.length * DIM);
  sample.forEach((r, i) => out.set(full.token.subarray(r * DIM, r * DIM + DIM), i * DIM));
  return out;
});
const baseExtra = externalBytes() - baseBefore;

// Same numbers from both paths, or the comparison is meaningless.
let identical = ours.length === baseRandom.value.length;
for (let i = 0; identical && i < ours.length; i++) identical = ours[i] === baseRandom.value[i];
const firstPositionIdentical = firstPosition.value.every((v, i) => v === full.position[i]);

const rows: [string, string, string, string][] = [
  ['first token row (cold)', ms(built.ms + coldRow.ms), ms(materialise.ms), ratio(built.ms + coldRow.ms, materialise.ms)],
  ['same row again (cached, first time)', ms(firstCachedRow.ms), '—', ''],
  ['same row again (cached, steady mean)', ms(cachedRow.ms), '—', ''],
  ['first positional row (builds checkpoints)', ms(firstPosition.ms), ms(materialise.ms), ratio(firstPosition.ms, materialise.ms)],
  ['last token row (after checkpoints)', ms(lastRow.ms), '—', ''],
  ['1,000 random token rows (cold)', ms(randomCold.ms), ms(baseRandom.ms), `${ratio(randomCold.ms, baseRandom.ms)} (baseline: lookups after materialising)`],
  ['1,000 random token rows (cached)', ms(randomCached.ms), ms(baseRandom.ms), ratio(randomCached.ms, baseRandom.ms)],
  ['full positional table 1,024 rows (cold)', ms(fullContext.ms), '—', ''],
  [
    'time to first 1,000 rows incl. preparation',
    ms(built.ms + coldRow.ms + firstPosition.ms + randomCold.ms),
    ms(materialise.ms + baseRandom.ms),
    ratio(built.ms + coldRow.ms + firstPosition.ms + randomCold.ms, materialise.ms + baseRandom.ms),
  ],
  ['extra memory (heap + array buffers)', mb(oursExtra), mb(baseExtra), `${(baseExtra / oursExtra).toFixed(1)}× less`],
];

console.log(`gpt2 × ${DIM}, context ${CONTEXT}, seed ${SEED}${gc ? '' : '  (run with --expose-gc for memory figures)'}`);
const widths = [44, 17, 17, 0];
console.log(['operation', 'rows on demand', 'materialise all', 'ratio'].map((s, i) => s.padEnd(widths[i]!)).join(''));
for (const r of rows) console.log(r.map((s, i) => s.padEnd(widths[i]!)).join(''));
console.log(
  `checkpoints: ${stats.checkpoints} every ${stats.checkpointInterval} twists = ${mb(stats.checkpointBytes)}; ` +
    `row cache: ${stats.cachedRows} rows = ${mb(stats.cacheBytes)}; identical results: ${identical && firstPositionIdentical}`,
);
if (!identical || !firstPositionIdentical) process.exitCode = 1;

// ── nearest tokens on a random-init table: the sequential range fast path vs the row-by-row path ──
// Baselines in the same run, alternated with ours: the same range scan with the JS generator (`wasm: false`, what
// the range path did before the WebAssembly kernel), the scan through `tokenRows` (rows one by one, as
// `neighbors --seed` did before tokenRowsRange existed) and materialising the whole table with the reference
// generator. Wall and CPU time (user + system): on a shared machine CPU time is the steadier of the two.
// Target (issue 14): `neighbors --seed` at GPT-2 × 768 under 0.5 s.
void (async () => {
  const { nearestTokens } = await import('../src/engine/nearestTokens');
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const measure = async (fn: () => unknown): Promise<[number, number]> => {
    const w = performance.now();
    const c = cpuMs();
    await fn();
    return [performance.now() - w, cpuMs() - c];
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ROUNDS = 5;
  for (const dim of [256, 768]) {
    const results: Record<'range' | 'js' | 'rows' | 'materialise', [number[], number[]]> = {
      range: [[], []],
      js: [[], []],
      rows: [[], []],
      materialise: [[], []],
    };
    const record = (name: keyof typeof results, [w, c]: [number, number]) => {
      results[name][0].push(w);
      results[name][1].push(c);
    };
    let fast: unknown;
    let slow: unknown;
    for (let i = 0; i < ROUNDS; i++) {
      // A fresh tables object each time: what `neighbors --seed` pays in a new process (no cached norms).
      const fresh = () => new RandomEmbeddingTables({ seed: SEED, vocabSize: VOCAB, dim, contextLength: CONTEXT });
      record('range', await measure(async () => (fast = await nearestTokens(fresh(), 40, { k: 10 }))));
      let js: unknown;
      const freshJs = () => new RandomEmbeddingTables({ seed: SEED, vocabSize: VOCAB, dim, contextLength: CONTEXT, wasm: false });
      record('js', await measure(async () => (js = await nearestTokens(freshJs(), 40, { k: 10 }))));
      if (JSON.stringify(js) !== JSON.stringify(fast)) {
        console.log('WebAssembly and JS generators disagree');
        process.exitCode = 1;
      }
      const t = fresh();
      const rowByRow = {
        vocabSize: VOCAB,
        dim,
        contextLength: CONTEXT,
        tokenRows: (r: ArrayLike<number>) => t.tokenRows(r),
        positionRows: (r: ArrayLike<number>) => t.positionRows(r),
        describe: () => t.describe(),
      };
      record('rows', await measure(async () => (slow = await nearestTokens(rowByRow, 40, { k: 10 }))));
      record('materialise', await measure(() => torchEmbeddingInit(SEED, VOCAB, dim, CONTEXT)));
    }
    if (JSON.stringify(fast) !== JSON.stringify(slow)) {
      console.log('range and row-by-row scans disagree');
      process.exitCode = 1;
    }
    const line = (label: string, k: 0 | 1) =>
      console.log(
        `  ${label.padEnd(6)} range fast path ${ms(median(results.range[k])).padEnd(10)} row by row ${ms(median(results.rows[k])).padEnd(10)} ` +
          `(${ratio(median(results.range[k]), median(results.rows[k]))})   JS generator ${ms(median(results.js[k])).padEnd(10)} ` +
          `(${ratio(median(results.range[k]), median(results.js[k]))})   materialise ${ms(median(results.materialise[k])).padEnd(10)} (${ratio(median(results.range[k]), median(results.materialise[k]))})`,
      );
    console.log(
      `nearest 10 of ${VOCAB} × ${dim}, random init (seed ${SEED}), fresh tables, median of ${ROUNDS}; identical results: ${JSON.stringify(fast) === JSON.stringify(slow)}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    );
    line('wall', 0);
    line('CPU', 1);
  }
})();
