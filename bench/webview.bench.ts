/**
 * Time to first paint of the inspector panel in headless Chromium (the built bundle in the real
 * renderWebviewHtml page): from posting `state` to the frame after the heatmaps were drawn.
 * Baseline measured in the same run: painting an empty state (0 tokens). Each case gets a fresh page
 * (first paint, cold charts); the median of a few runs is reported. Run: `npm run bench -- webview`.
 * BENCH_PROFILE=1 also records one first paint of the 1,000 × 768 case with the Chrome DevTools Protocol's
 * sampling profiler and Chromium's timeline trace events, and prints where the time goes (JS by function, and
 * style / layout / paint / GC by trace event).
 */
import type { Browser } from 'playwright-core';
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

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** One first paint of `c` under the CDP profiler and timeline tracing; prints self time by function and by event. */
async function profileFirstPaint(browser: Browser, server: Awaited<ReturnType<typeof startServer>>, c: Case): Promise<void> {
  const view = await openView(browser, server, 'panel', {});
  await view.waitForPosted('ready');
  const cdp = await view.page.context().newCDPSession(view.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  const events: { name: string; ph: string; dur?: number; ts: number; tid: number }[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
  const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.start');
  const ms = (await view.page.evaluate(measureSource(c))) as number;
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await cdp.send('Tracing.end');
  await traced;
  await view.close();
  const byFunction = new Map<string, number>();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byEvent = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && e.dur !== undefined) byEvent.set(e.name, (byEvent.get(e.name) ?? 0) + e.dur / 1000);
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `    ${v.toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n');
  console.log(`profile of one first paint, ${c.name}: ${ms.toFixed(1)} ms`);
  console.log(`  JS self time by function (CDP sampling profiler, 0.1 ms):\n${top(byFunction, 15)}`);
  console.log(`  trace events, total duration by name (nested events overlap):\n${top(byEvent, 15)}`);
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
    if (process.env.BENCH_PROFILE === '1') await profileFirstPaint(browser, server, CASES[1]!);
    const base = median(results[0]!.times);
    console.log(`panel first paint in Chromium (${RUNS} runs each, median; ratio vs empty-state baseline)`);
    console.log('case'.padEnd(40), 'median ms'.padStart(10), 'min ms'.padStart(8), 'max ms'.padStart(8), 'ratio'.padStart(8));
    for (const { c, times } of results) {
      const m = median(times);
      console.log(
        c.name.padEnd(40),
        m.toFixed(1).padStart(10),
        Math.min(...times)
          .toFixed(1)
          .padStart(8),
        Math.max(...times)
          .toFixed(1)
          .padStart(8),
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
