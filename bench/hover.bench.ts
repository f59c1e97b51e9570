// Hover latency on a 5 MB document through the real engine worker (dist/worker.js) and the host's own
// request path (DocumentSync + EngineClient), i.e. what TokenHoverProvider does minus VS Code's rendering.
// Baseline measured in the same run: an empty round trip to the worker (releaseDocument of an unknown uri).
// Also shown: what resending the text with every hover would cost (the design the cache avoids).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient } from '../src/host/engineClient';
import { nodeWorkerStarter } from '../src/host/nodeWorkerPort';
import { DocumentSync } from '../src/host/documentSync';
import { renderHoverMarkdown } from '../src/host/hoverContent';
import { BOOK_SETTINGS } from '../test/support/reference';
import type { EmbeddingSettings } from '../src/shared/embeddingTypes';

const root = join(__dirname, '..');
const verdict = readFileSync(join(root, 'test', 'fixtures', 'the-verdict.txt'), 'utf8');
const TARGET = 5 * 1024 * 1024;
const text = verdict.repeat(Math.ceil(TARGET / verdict.length)).slice(0, TARGET);
const settings: EmbeddingSettings = BOOK_SETTINGS;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1], n: s.length };
}

let seed = 42;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

async function main() {
  const client = new EngineClient({ startWorker: nodeWorkerStarter(join(root, 'dist', 'worker.js')), timeoutMs: 120_000 });
  const sync = new DocumentSync(client);
  try {
    // warm up: worker start, tokenizer ranks, tables
    await client.call('inspect', { text: 'warm up', settings, firstToken: 0, maxTokens: 4 });

    const rtt: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await client.call('releaseDocument', { uri: 'bench:nothing' });
      rtt.push(performance.now() - t);
    }

    const first: number[] = [];
    let tokens = 0;
    for (let version = 1; version <= 3; version++) {
      const doc = { uri: 'bench:5mb', version, getText: () => text };
      const t = performance.now();
      const r = await sync.call('tokenAt', doc, (document) => ({ document, offset: Math.floor(random() * text.length), settings }));
      first.push(performance.now() - t);
      if (r.status === 'ok') tokens = r.totalTokens;
    }

    const doc = { uri: 'bench:5mb', version: 3, getText: () => text };
    const cached: number[] = [];
    const withMarkdown: number[] = [];
    for (let i = 0; i < 300; i++) {
      const offset = Math.floor(random() * text.length);
      const t = performance.now();
      const r = await sync.call('tokenAt', doc, (document) => ({ document, offset, settings }), { channel: 'hover' });
      cached.push(performance.now() - t);
      if (r.status !== 'ok') throw new Error(`no token at ${offset}`);
      renderHoverMarkdown({ result: r, tokenizer: 'gpt2', documentUri: doc.uri });
      withMarkdown.push(performance.now() - t);
    }

    const resent: number[] = [];
    for (let i = 0; i < 20; i++) {
      const offset = Math.floor(random() * text.length);
      const t = performance.now();
      await client.call('tokenAt', { document: { uri: 'bench:5mb', version: 3, text }, offset, settings });
      resent.push(performance.now() - t);
    }

    const base = stats(rtt).median;
    const row = (name: string, ms: number[]) => {
      const s = stats(ms);
      console.log(
        `${name.padEnd(46)} median ${s.median.toFixed(2).padStart(8)} ms  p95 ${s.p95.toFixed(2).padStart(8)} ms  ` +
          `max ${s.max.toFixed(2).padStart(8)} ms  ×${(s.median / base).toFixed(1).padStart(7)} baseline  (n=${s.n})`,
      );
    };
    console.log(`document: ${(text.length / 1024 / 1024).toFixed(1)} MiB UTF-16 chars, ${tokens.toLocaleString('en-US')} gpt2 tokens, dim 256`);
    row('baseline: empty worker round trip', rtt);
    row('first hover of a version (send + tokenize 5 MB)', first);
    row('later hover (cached tokenization, no text)', cached);
    row('later hover + markdown/SVG strips rendered', withMarkdown);
    row('later hover if the text were resent each time', resent);
  } finally {
    await client.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
