// Engine worker round trip vs the same call in-process, and transferring vs structured-cloning the result's
// Float32Arrays. Baselines are measured in the same run; `npm run bench worker` builds dist/worker.js first.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineService } from '../src/engine/service';
import { defaultEngineDependencies } from '../src/engine/defaultDependencies';
import { getTokenizer } from '../src/engine/tokenizer';
import { EngineClient } from '../src/host/engineClient';
import { nodeWorkerStarter } from '../src/host/nodeWorkerPort';
import type { EmbeddingSettings } from '../src/shared/embeddingTypes';
import type { InspectParams } from '../src/shared/engineProtocol';

const root = join(__dirname, '..');
const workerScript = join(root, 'dist', 'worker.js');
if (!existsSync(workerScript)) throw new Error('dist/worker.js missing: run `npm run build` first');

const TOKENS = 1000;
const RUNS = 40;
/** V8 needs a few dozen calls before the engine's loops are optimised; measured runs start after that. */
const WARMUP = 25;

// A text of exactly 1,000 gpt2 tokens: the start of the-verdict.txt.
const verdict = readFileSync(join(root, 'test', 'fixtures', 'the-verdict.txt'), 'utf8');
const encoded = getTokenizer('gpt2').encode(verdict, { allowSpecial: false });
const text = verdict.slice(0, encoded.spans[2 * (TOKENS - 1) + 1]);
const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 768,
  contextLength: 1024,
  stride: 1024,
  batchSize: 8,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};
const params: InspectParams = { text, settings, firstToken: 0, maxTokens: TOKENS };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.9)];
}

/** Baseline and candidate alternate run by run, so load changes on a shared machine hit both alike. */
async function timePairs(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await a();
    xs.push(performance.now() - t0);
    t0 = performance.now();
    await b();
    ys.push(performance.now() - t0);
  }
  return [xs, ys];
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;

async function main(): Promise<void> {
  // ── cold first call ──
  let t0 = performance.now();
  const service = new EngineService(defaultEngineDependencies());
  const first = await service.inspect(params);
  const coldInProcess = performance.now() - t0;
  if (first.tokens.length !== TOKENS) throw new Error(`expected ${TOKENS} tokens, got ${first.tokens.length}`);

  const client = new EngineClient({ startWorker: nodeWorkerStarter(workerScript) });
  t0 = performance.now();
  await client.call('inspect', params);
  const coldWorker = performance.now() - t0;

  // ── warm (cached tokenization and tables): the common case of paging / re-inspecting ──
  const [inProcess, viaWorker] = await timePairs(
    () => service.inspect(params),
    () => client.call('inspect', params),
  );
  // A new text each time: tokenization is not cached.
  let n = 0;
  const [freshInProcess, freshWorker] = await timePairs(
    () => service.inspect({ ...params, text: `${text} ${n++}` }),
    () => client.call('inspect', { ...params, text: `${text} ${n++}` }),
  );
  // How busy the calling (extension host) thread is: its event loop's active time per call (new texts).
  const blocked = async (fn: () => Promise<unknown>): Promise<number> => {
    const before = performance.eventLoopUtilization();
    for (let i = 0; i < 10; i++) await fn();
    return performance.eventLoopUtilization(before).active / 10;
  };
  const blockedInProcess = await blocked(() => service.inspect({ ...params, text: `${text} ${n++}` }));
  const blockedWorker = await blocked(() => client.call('inspect', { ...params, text: `${text} ${n++}` }));
  await client.dispose();

  console.log(
    `inspect of ${TOKENS} gpt2 tokens, dim ${settings.dim} (3 × ${TOKENS}×${settings.dim} float32 = ${((3 * TOKENS * 768 * 4) / 1e6).toFixed(1)} MB of vectors), median of ${RUNS} after ${WARMUP} warm-up calls`,
  );
  console.log(`  cold first call   in-process ${fmt(coldInProcess)}   worker ${fmt(coldWorker)}   (worker boot + tokenizer + tables)`);
  const row = (label: string, a: number[], b: number[]) =>
    console.log(
      `  ${label.padEnd(16)}  in-process ${fmt(median(a))}   worker ${fmt(median(b))}   ratio ${(median(b) / median(a)).toFixed(2)}×   worker overhead ${fmt(median(b) - median(a))}   (p90 ${p90(a).toFixed(2)} / ${p90(b).toFixed(2)} ms)`,
    );
  row('cached text', inProcess, viaWorker);
  row('new text', freshInProcess, freshWorker);
  console.log(`  caller thread busy per call (event-loop active time)   in-process ${fmt(blockedInProcess)}   worker ${fmt(blockedWorker)}`);

  // ── transfer vs structured clone of the same payload across a real worker ──
  const echo = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ floats, transfer }) => {
       const arrays = [0, 1, 2].map(() => new Float32Array(floats).fill(0.5));
       parentPort.postMessage(arrays, transfer ? arrays.map((a) => a.buffer) : []);
     });`,
    { eval: true },
  );
  const roundTrip = (transfer: boolean) =>
    new Promise<void>((resolve) => {
      echo.once('message', () => resolve());
      echo.postMessage({ floats: TOKENS * settings.dim, transfer });
    });
  const [copied, transferred] = await timePairs(
    () => roundTrip(false),
    () => roundTrip(true),
  );
  await echo.terminate();
  console.log(`worker → host reply of 3 Float32Arrays of ${TOKENS}×${settings.dim} (allocation + fill included in both)`);
  console.log(
    `  structured clone ${fmt(median(copied))}   transfer ${fmt(median(transferred))}   clone/transfer ${(median(copied) / median(transferred)).toFixed(2)}×`,
  );
}

void main();
