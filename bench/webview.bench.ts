/**
 * Time to first paint of the inspector panel in headless Chromium (the built bundle in the real
 * renderWebviewHtml page): from posting `state` to the frame after the heatmaps were drawn.
 * Baseline measured in the same run: painting an empty state (0 tokens). Each case gets a fresh page
 * (first paint, cold charts); the median of a few runs is reported. Run: `npm run bench -- webview`.
 */
import { launchChromium, openView, startServer } from '../test/webview/harness';
import { SYNTHETIC_STATE_SOURCE } from '../test/webview/fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Case {
  name: string;
  tokens: number;
  dim: number;
  ctx: number;
}

const CASES: Case[] = [
  { name: 'empty state (baseline)', tokens: 0, dim: 768, ctx: 1 },
  { name: '1,000 tokens × 768 dims (ctx 1024)', tokens: 1000, dim: 768, ctx: 1024 },
  { name: '4,096 tokens × 768 dims (ctx 1024)', tokens: 4096, dim: 768, ctx: 1024 },
];

/** Page-side: build the state first (not timed), then time postMessage → rendered → next frame. */
function measureSource(c: Case): string {
  return `(async () => {
    const state = (${SYNTHETIC_STATE_SOURCE})(${c.tokens}, ${c.dim}, ${c.ctx});
    const t0 = performance.now();
    window.postMessage({ type: 'state', state }, '*');
    await new Promise((resolve) => {
      const check = () => {
        if (document.body.dataset.state === 'ready') requestAnimationFrame(() => setTimeout(resolve, 0));
        else requestAnimationFrame(check);
      };
      check();
    });
    return performance.now() - t0;
  })()`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const results: { c: Case; times: number[] }[] = [];
    for (const c of CASES) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const view = await openView(browser, server, 'panel', {});
        await view.waitForPosted('ready');
        times.push((await view.page.evaluate(measureSource(c))) as number);
        await view.close();
      }
      results.push({ c, times });
    }
    const base = median(results[0]!.times);
    console.log(`panel first paint in Chromium (${RUNS} runs each, median; ratio vs empty-state baseline)`);
    console.log('case'.padEnd(40), 'median ms'.padStart(10), 'min ms'.padStart(8), 'max ms'.padStart(8), 'ratio'.padStart(8));
    for (const { c, times } of results) {
      const m = median(times);
      console.log(
        c.name.padEnd(40),
        m.toFixed(1).padStart(10),
        Math.min(...times).toFixed(1).padStart(8),
        Math.max(...times).toFixed(1).padStart(8),
        `${(m / base).toFixed(1)}×`.padStart(8),
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
