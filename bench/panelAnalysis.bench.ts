// The panel's worker methods end to end on the EngineService (real gpt2 tokenizer, PyTorch-exact random tables,
// GPT-2 small sizes: dim 768, context 1024), each against the baseline measured in the same run: the plain
// `inspect` of the same page, which every analysis re-runs (so the ratio is what a tab costs on top of it).
// Run: node --expose-gc --import tsx bench/panelAnalysis.bench.ts   (or `npm run bench -- panelAnalysis`)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineService } from '../src/engine/service';
import { defaultEngineDependencies } from '../src/engine/defaultDependencies';
import type { EmbeddingSettings } from '../src/shared/embeddingTypes';
import type { InspectParams } from '../src/shared/engineProtocol';

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
const text = readFileSync(join(__dirname, '..', 'samples', 'the-verdict.txt'), 'utf8');

async function best(run: () => Promise<unknown>, repeats: number): Promise<number> {
  let t = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    await run();
    t = Math.min(t, performance.now() - start);
  }
  return t;
}
const fmt = (t: number) => (t < 1 ? `${(t * 1000).toFixed(0)} µs` : `${t.toFixed(1)} ms`);

async function main() {
  const service = new EngineService(defaultEngineDependencies());
  const rows: string[][] = [['case (256-token page, dim 768)', 'time', 'inspect baseline', 'ratio']];
  const inspect: InspectParams = { text, settings, firstToken: 0, maxTokens: 256 };
  await service.inspect(inspect); // warm the tokenization and tables caches, as the panel's own inspect does
  const base = await best(() => service.inspect(inspect), 5);
  const add = (name: string, t: number) => rows.push([name, fmt(t), fmt(base), `${(t / base).toFixed(1)}×`]);
  for (const kind of ['similarity', 'projection', 'tokenStats', 'positionalLab'] as const) {
    add(`analysis ${kind}`, await best(() => service.analysis({ kind, inspect }), 5));
  }
  for (const format of ['npy', 'csv', 'json'] as const) {
    add(`exportData combined .${format}`, await best(() => service.exportData({ inspect, what: 'combined', format }), 3));
  }
  add('pytorchSnippet (whole text, first batch)', await best(() => service.pytorchSnippet({ text: text.slice(0, 20000), settings }), 3));
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((x, c) => x.padEnd(w[c]!)).join('  '));
}
void main();
