/**
 * Time to first paint of the inspector panel in headless Chromium (the built bundle in the real
 * renderWebviewHtml page): from posting `state` to the frame after the heatmaps were drawn.
 * Baseline measured in the same run: painting an empty state (0 tokens). Each first-paint case gets a fresh
 * page (cold charts); the repaint cases post a second state to a page that already shows one (another seed:
 * same shape, new values; another dim: new shape). Cases run interleaved, round by round, so a burst of
 * machine load hits every case alike; the median of the rounds is reported, as wall time and as the CPU time of
 * the page's renderer threads (from Chromium's trace: steadier than wall time on a loaded machine).
 * Run: `npm run bench -- webview`.
 *
 * BENCH_BEFORE=DIR[,DIR…] also runs the bundles in each DIR (a copy of an older build's dist/webview) in the
 * same rounds, for a before/after table measured in one run, with the style sheets in DIR/media if there are
 * (a copy of that build's media/), else this checkout's; BENCH_BEFORE_LEGACY=1 posts them the message form
 * of the builds before the third session (`encoding`, a `firstBatch`); BENCH_BEFORE_PREVIEW=1 gives their states
 * the engine's paint preview too (older builds ignore it).
 * BENCH_NO_PREVIEW=1 also runs this build with states that carry no paint preview (the panel computes it).
 * BENCH_CASES=0,1 runs only those cases (indices into CASES; the baseline, case 0, always runs).
 * Each case also reports the stretch after its first frame until the token strip is complete (every chip built
 * and laid out): the time to that frame, the CPU spent, and the longest main-thread task in it (a task over
 * 50 ms delays input). BENCH_TASKS=1 prints, per run, the longest of those tasks (by CPU) with what they did.
 * BENCH_PROFILE=1 also records one first paint of the 1,000 × 768 case with the Chrome DevTools Protocol's
 * sampling profiler and Chromium's timeline trace events, and prints where the time goes (JS by function,
 * self and inclusive, and style / layout / paint / GC by trace event).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { paintPreview } from '../src/engine/analysis/paintPreview';
import { LUT_STEPS } from '../src/shared/colourScale';
import { launchChromium, openView, startServer, type StaticServer } from '../test/webview/harness';
import { PANEL_LUT_SOURCE, SYNTHETIC_STATE_SOURCE, WITH_PREVIEW_SOURCE } from '../test/webview/fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Case {
  name: string;
  tokens: number;
  dim: number;
  ctx: number;
  /** A state shown before the timed one (a repaint case): its dim (same tokens and ctx) and seed. */
  before?: { dim: number; seed: number };
}

const ALL_CASES: Case[] = [
  { name: 'empty state (baseline)', tokens: 0, dim: 768, ctx: 1 },
  { name: '1,000 tokens × 768 dims (ctx 1024)', tokens: 1000, dim: 768, ctx: 1024 },
  { name: '4,096 tokens × 768 dims (ctx 1024)', tokens: 4096, dim: 768, ctx: 1024 },
  { name: 'repaint 1,000 × 768, new seed', tokens: 1000, dim: 768, ctx: 1024, before: { dim: 768, seed: 7 } },
  { name: 'repaint 1,000 × 768, dim 512 → 768', tokens: 1000, dim: 768, ctx: 1024, before: { dim: 512, seed: 7 } },
];
const CASES = process.env.BENCH_CASES ? ALL_CASES.filter((_, i) => i === 0 || process.env.BENCH_CASES!.split(',').map(Number).includes(i)) : ALL_CASES;

/** Page-side: wait until the panel says `ready`, then for the next frame to be produced. */
const WAIT_PAINTED = `new Promise((resolve) => {
  const check = () => {
    if (document.body.dataset.state === 'ready') requestAnimationFrame(() => setTimeout(resolve, 0));
    else requestAnimationFrame(check);
  };
  check();
})`;

/**
 * Page-side: builds the states (not timed) and shows the `before` one; the timed state waits in window.__bench.
 * `legacy`: the message form of the builds before this session's changes (the state's `encoding` before it
 * became `tokenizer`, and a `firstBatch`, which their parser requires: an empty one).
 */
function prepareSource(c: Case, legacy: boolean, preview: boolean): string {
  const synthetic = `(${SYNTHETIC_STATE_SOURCE})`;
  // The engine worker's paint preview, computed (untimed: the worker does it) by the engine's own code in the page.
  const build = preview ? `((...a) => ${WITH_PREVIEW_SOURCE}(${synthetic}(...a), window.devicePixelRatio || 1, ${PANEL_LUT_SOURCE}))` : synthetic;
  const make = legacy
    ? `((...a) => {
        const s = ${build}(...a);
        s.settings.encoding = s.settings.tokenizer.encoding; delete s.settings.tokenizer;
        s.result.encoding = s.result.tokenizer.encoding; delete s.result.tokenizer;
        s.result.firstBatch = { inputs: new Int32Array(0), targets: new Int32Array(0), batch: 0, windows: 0, batches: 0 };
        return s;
      })`
    : build;
  return `(async () => {
    window.__bench = ${make}(${c.tokens}, ${c.dim}, ${c.ctx});
    ${c.before ? `window.postMessage({ type: 'state', state: ${make}(${c.tokens}, ${c.before.dim}, ${c.ctx}, ${c.before.seed}) }, '*'); await ${WAIT_PAINTED};` : ''}
    await new Promise((r) => setTimeout(r, 50));
  })()`;
}

/**
 * Page-side: time postMessage → rendered → that frame produced. The state's ArrayBuffers are transferred, as VS
 * Code's webview frame does when it hands a host message to the page (`postMessage(data.message, origin, data.transfer)`).
 *
 * First paint ends with the first frame whose animation-frame callbacks see `ready` (the state was fully handled
 * before it): a timer set there runs once that frame's style, layout, paint and commit are done. The third
 * session's window waited for one more frame, so it also counted work the page defers to after its first frame
 * (the token strip's later chips); that end is kept as `bench:later` for comparison.
 */
const MEASURE_SOURCE = `(async () => {
  delete document.body.dataset.state;
  const r = window.__bench.result;
  const grids = r.preview ? [r.preview.token, r.preview.position, r.preview.combined].filter(Boolean).flatMap((g) => (g.rgba ? [g.values, g.rgba] : [g.values])) : [];
  const transfer = [r.positions, r.tokenEmbeddings, r.positionalEmbeddings, r.combinedEmbeddings, ...grids].map((a) => a.buffer);
  performance.mark('bench:start');
  const t0 = performance.now();
  window.postMessage({ type: 'state', state: window.__bench }, '*', transfer);
  const wall = await new Promise((resolve) => {
    const check = () => {
      if (document.body.dataset.state === 'ready') setTimeout(() => { performance.mark('bench:end'); resolve(performance.now() - t0); }, 0);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const later = performance.now() - t0;
  performance.mark('bench:later');
  // The token strip complete: the first frame whose animation-frame callbacks see every chip built has laid
  // them out; the timer set there ends the window.
  const strip = document.querySelector('.strip');
  await new Promise((resolve) => {
    const check = () => (strip.dataset.complete === 'true' ? setTimeout(resolve, 0) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
  const complete = performance.now() - t0;
  performance.mark('bench:complete');
  return [wall, later, complete, Number(strip.dataset.slices ?? NaN)];
})()`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
}

interface Measure {
  /** postMessage → the first frame showing the state, wall clock. */
  wall: number;
  /**
   * CPU time the page's renderer threads spent in tasks in that window (trace events' thread durations): the
   * machine's load does not inflate it the way it does wall time.
   */
  cpu: number;
  /** The same to the end of the frame after that (the third session's window: deferred work included). */
  laterWall: number;
  laterCpu: number;
  /** BENCH_BREAKDOWN=1: CPU self time by trace event name (JS, style, layout, paint, raster…) in that window. */
  byEvent?: Map<string, number>;
  /**
   * From the end of the first frame until the frame that lays out the strip's last chips: wall time from
   * postMessage to that frame, the renderer's CPU after the first frame, and the longest main-thread task in
   * that stretch (wall and CPU: a task over 50 ms is one that delays input).
   */
  completeWall: number;
  /** The strip's data-slices: how many times it built chips (NaN for builds before it said). */
  slices: number;
  afterCpu: number;
  longestTask: number;
  longestTaskCpu: number;
  /** Main-thread tasks over 50 ms (wall) in that stretch. */
  longTasks: number;
  /** BENCH_BREAKDOWN=1: CPU self time by trace event name in that stretch. */
  afterByEvent?: Map<string, number>;
}

const BREAKDOWN = process.env.BENCH_BREAKDOWN === '1';

/**
 * CPU time of the renderer's task-running threads (main, compositor, IO) between two marks: the thread durations
 * of their outermost task events (a task traced under two names, with more trace categories on, counts once).
 * Raster and GC worker threads are not included (as in the third session's numbers).
 */
function taskCpu(events: TraceEvent[], from: TraceEvent, to: TraceEvent): number {
  return outerTasks(events, from, to).reduce((cpu, e) => cpu + (e.tdur ?? e.dur ?? 0) / 1000, 0);
}

/**
 * The outermost task events of the renderer's task-running threads that start between two marks, by thread
 * (a task traced under two names, with more trace categories on, is one task).
 */
function outerTasks(events: TraceEvent[], from: TraceEvent, to: TraceEvent): TraceEvent[] {
  const tasks = events
    .filter((e) => (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.ph === 'X' && e.pid === from.pid)
    .filter((e) => e.ts >= from.ts && e.ts <= to.ts)
    .sort((a, b) => a.tid - b.tid || a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const outer: TraceEvent[] = [];
  let tid = -1;
  let busyUntil = -Infinity;
  for (const e of tasks) {
    if (e.tid !== tid) [tid, busyUntil] = [e.tid, -Infinity];
    if (e.ts < busyUntil) continue; // nested in the task kept before
    outer.push(e);
    busyUntil = e.ts + (e.dur ?? 0);
  }
  return outer;
}

/**
 * The main thread's tasks between two marks (the page's marks are recorded on its main thread), longest
 * first by wall time: a long one is where an input event waits.
 */
function mainThreadTasks(events: TraceEvent[], from: TraceEvent, to: TraceEvent): { wall: number; cpu: number }[] {
  return outerTasks(events, from, to)
    .filter((e) => e.tid === from.tid)
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? e.dur ?? 0) / 1000 }))
    .sort((a, b) => b.wall - a.wall);
}

async function runOnce(browser: Browser, build: Build, c: Case): Promise<Measure> {
  const view = await openView(browser, build.server, 'panel', {});
  try {
    await view.waitForPosted('ready');
    await view.page.evaluate(prepareSource(c, build.legacy, build.preview));
    const cdp = await view.page.context().newCDPSession(view.page);
    // The garbage of building the state is not the panel's: collect it before the clock starts.
    await cdp.send('HeapProfiler.collectGarbage');
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    const categories = BREAKDOWN ? 'toplevel,blink.user_timing,devtools.timeline' : 'toplevel,blink.user_timing';
    await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
    const [wall, laterWall, completeWall, slices] = (await view.page.evaluate(MEASURE_SOURCE)) as [number, number, number, number];
    await cdp.send('Tracing.end');
    await traced;
    const mark = (name: string) => events.find((e) => e.name === name);
    const [start, end, later, complete] = ['bench:start', 'bench:end', 'bench:later', 'bench:complete'].map(mark);
    if (!start || !end || !later || !complete) throw new Error('bench: the page marks are missing from the trace');
    const inWindow = (from: TraceEvent, to: TraceEvent) => events.filter((e) => e.pid === from.pid && e.ts >= from.ts && e.ts <= to.ts);
    const after = mainThreadTasks(events, end, complete);
    if (process.env.BENCH_TASKS === '1' && c.tokens > 0) {
      const tasks = outerTasks(events, end, complete)
        .filter((e) => e.tid === end.tid)
        .sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0));
      console.log(`${build.label} ${c.name}: ${tasks.length} main-thread tasks after the first frame; the longest:`);
      for (const t of tasks.slice(0, 6)) {
        const inside = events.filter((e) => e.tid === t.tid && e.pid === t.pid && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0));
        const self = [...selfThreadTime(inside)].filter(([, v]) => v >= 0.5).sort((a, b) => b[1] - a[1]);
        console.log(
          `  ${((t.dur ?? 0) / 1000).toFixed(1)} ms wall, ${((t.tdur ?? 0) / 1000).toFixed(1)} CPU at +${((t.ts - end.ts) / 1000).toFixed(0)}: ${self.map(([n, v]) => `${n} ${v.toFixed(1)}`).join(', ')}`,
        );
      }
    }
    return {
      wall,
      cpu: taskCpu(events, start, end),
      laterWall,
      laterCpu: taskCpu(events, start, later),
      byEvent: BREAKDOWN ? selfThreadTime(inWindow(start, end)) : undefined,
      completeWall,
      slices,
      afterCpu: taskCpu(events, end, complete),
      longestTask: after[0]?.wall ?? 0,
      longestTaskCpu: Math.max(0, ...after.map((t) => t.cpu)),
      longTasks: after.filter((t) => t.wall > 50).length,
      afterByEvent: BREAKDOWN ? selfThreadTime(inWindow(end, complete)) : undefined,
    };
  } finally {
    await view.close();
  }
}

/**
 * CPU time of the page's threads by trace event name, each event's own share only: its thread duration minus
 * that of the events nested in it (so Layout inside a JS call is counted once, as Layout).
 */
function selfThreadTime(events: TraceEvent[]): Map<string, number> {
  const marks = events.find((e) => e.name === 'bench:start');
  const out = new Map<string, number>();
  const byThread = new Map<number, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined || e.dur === undefined || (marks && e.pid !== marks.pid)) continue;
    byThread.set(e.tid, [...(byThread.get(e.tid) ?? []), e]);
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: { e: TraceEvent; children: number }[] = [];
    const close = (until: number) => {
      while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= until) {
        const { e, children } = stack.pop()!;
        out.set(e.name, (out.get(e.name) ?? 0) + Math.max(0, e.tdur! - children) / 1000);
        if (stack.length) stack[stack.length - 1]!.children += e.tdur!;
      }
    };
    for (const e of list) {
      close(e.ts);
      stack.push({ e, children: 0 });
    }
    close(Infinity);
  }
  return out;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** One paint of `c` under the CDP profiler and timeline tracing; prints self and inclusive time by function and by event. */
async function profilePaint(browser: Browser, server: StaticServer, c: Case): Promise<void> {
  const view = await openView(browser, server, 'panel', {});
  await view.waitForPosted('ready');
  await view.page.evaluate(prepareSource(c, false, true));
  const cdp = await view.page.context().newCDPSession(view.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.start');
  const [ms] = (await view.page.evaluate(MEASURE_SOURCE)) as [number, number];
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await cdp.send('Tracing.end');
  await traced;
  await view.close();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const k of n.children ?? []) parent.set(k, n.id);
  const keyOf = (id: number) => {
    const f = nodes.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    self.set(keyOf(id), (self.get(keyOf(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) seen.add(keyOf(n));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  });
  const start = events.find((e) => e.name === 'bench:start')!;
  const end = events.find((e) => e.name === 'bench:end')!;
  const byEvent = selfThreadTime(events.filter((e) => e.pid === start.pid && e.ts >= start.ts && e.ts <= end.ts));
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .filter(([k]) => !k.startsWith('(root)') && !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `    ${v.toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n');
  console.log(`profile of one paint, ${c.name}: ${ms.toFixed(1)} ms (under the profiler)`);
  console.log(`  JS self time by function (CDP sampling profiler, 0.1 ms):\n${top(self, 20)}`);
  console.log(`  JS inclusive time by function:\n${top(inclusive, 30)}`);
  console.log(`  trace events, CPU (thread) self time by name, all renderer threads:\n${top(byEvent, 20)}`);
}

interface Build {
  label: string;
  server: StaticServer;
  /** An older build, whose state parser still requires `firstBatch`. */
  legacy: boolean;
  /** Its states carry the engine's paint preview (as the panel's inspections do since the fourth session). */
  preview: boolean;
}

/**
 * The worker's side of the preview: paintPreview on the same synthetic tables in Node (the engine worker's
 * runtime), the first call (cold, as in a fresh worker) and the median of RUNS more. Printed next to the
 * panel's table so the end-to-end cost is visible.
 */
function measureWorkerPreview(): void {
  console.log('\nengine worker: paintPreview (colour scale, folded rows, their pixels) on the same tables, Node, pixel ratio 1');
  const lut = new Uint8ClampedArray(LUT_STEPS * 4).map((_, i) => i);
  // The page's own generator, run in Node as well.
  const make = new Function(`return (${SYNTHETIC_STATE_SOURCE})`)() as (n: number, dim: number, ctx: number) => { result: Record<string, unknown> };
  for (const c of ALL_CASES.slice(1, 3)) {
    const r = make(c.tokens, c.dim, c.ctx).result as unknown as {
      tokens: unknown[];
      tokenEmbeddings: Float32Array;
      positionalEmbeddings: Float32Array;
      combinedEmbeddings: Float32Array;
    };
    const tables = { dim: c.dim, contextLength: c.ctx, tokenRows: r.tokens.length, ...r };
    const time = () => {
      const t0 = performance.now();
      paintPreview(tables, { pixelRatio: 1, lut });
      return performance.now() - t0;
    };
    const cold = time();
    const warm = median(Array.from({ length: RUNS }, time));
    console.log(`${c.name.padEnd(40)} first call ${cold.toFixed(1).padStart(6)} ms, then median ${warm.toFixed(1).padStart(6)} ms`);
  }
}

async function main(): Promise<void> {
  const builds: Build[] = [{ label: 'this build', server: await startServer(), legacy: false, preview: true }];
  if (process.env.BENCH_NO_PREVIEW === '1')
    builds.push({ label: 'this build, states without the engine preview', server: builds[0]!.server, legacy: false, preview: false });
  for (const dir of (process.env.BENCH_BEFORE ?? '').split(',').filter(Boolean)) {
    const legacy = process.env.BENCH_BEFORE_LEGACY === '1';
    const mediaDir = existsSync(join(dir, 'media')) ? join(dir, 'media') : undefined;
    builds.push({
      label: `before (${dir})`,
      server: await startServer({ webviewDir: dir, mediaDir }),
      legacy,
      preview: process.env.BENCH_BEFORE_PREVIEW === '1',
    });
  }
  const browser = await launchChromium();
  try {
    const times = new Map<string, Measure[]>();
    for (let round = 0; round < RUNS; round++) {
      for (const b of builds) {
        for (const c of CASES) {
          const key = `${b.label}|${c.name}`;
          times.set(key, [...(times.get(key) ?? []), await runOnce(browser, b, c)]);
        }
      }
    }
    if (process.env.BENCH_PROFILE === '1') {
      await profilePaint(browser, builds[0]!.server, ALL_CASES[0]!);
      await profilePaint(browser, builds[0]!.server, ALL_CASES[1]!);
      await profilePaint(browser, builds[0]!.server, ALL_CASES[3]!);
    }
    for (const b of builds) {
      type Numeric = 'wall' | 'cpu' | 'laterWall' | 'laterCpu' | 'completeWall' | 'slices' | 'afterCpu' | 'longestTask' | 'longestTaskCpu' | 'longTasks';
      const of = (c: Case, k: Numeric) => times.get(`${b.label}|${c.name}`)!.map((m) => m[k]);
      const baseWall = median(of(CASES[0]!, 'wall'));
      const baseCpu = median(of(CASES[0]!, 'cpu'));
      const baseLater = median(of(CASES[0]!, 'laterCpu'));
      console.log(`\npanel paint in Chromium, ${b.label} (${RUNS} interleaved rounds, median; ratio vs its empty-state baseline)`);
      console.log('first frame showing the state; "+1 frame": to the end of the frame after it (the third session\'s window)');
      console.log(
        'case'.padEnd(40),
        'wall ms'.padStart(9),
        'min'.padStart(7),
        'max'.padStart(7),
        'ratio'.padStart(7),
        '  CPU ms'.padStart(9),
        'ratio'.padStart(7),
        '| +1 frame: wall'.padStart(16),
        'CPU'.padStart(7),
        'ratio'.padStart(7),
      );
      for (const c of CASES) {
        const wall = of(c, 'wall');
        const cpu = median(of(c, 'cpu'));
        const m = median(wall);
        const fmt = (x: number, w = 7) => x.toFixed(1).padStart(w);
        console.log(
          c.name.padEnd(40),
          fmt(m, 9),
          fmt(Math.min(...wall)),
          fmt(Math.max(...wall)),
          `${(m / baseWall).toFixed(2)}×`.padStart(7),
          fmt(cpu, 9),
          `${(cpu / baseCpu).toFixed(2)}×`.padStart(7),
          fmt(median(of(c, 'laterWall')), 16),
          fmt(median(of(c, 'laterCpu'))),
          `${(median(of(c, 'laterCpu')) / baseLater).toFixed(2)}×`.padStart(7),
        );
      }
      console.log('after the first frame until the token strip is complete (its last chips laid out):');
      console.log(
        'case'.padEnd(40),
        'complete ms'.padStart(12),
        'CPU after'.padStart(10),
        'longest task wall'.padStart(18),
        'max'.padStart(7),
        'its CPU'.padStart(8),
        'tasks > 50 ms'.padStart(14),
        'slices'.padStart(7),
      );
      for (const c of CASES) {
        const fmt = (x: number, w: number) => x.toFixed(1).padStart(w);
        const longest = of(c, 'longestTask');
        console.log(
          c.name.padEnd(40),
          fmt(median(of(c, 'completeWall')), 12),
          fmt(median(of(c, 'afterCpu')), 10),
          fmt(median(longest), 18),
          fmt(Math.max(...longest), 7),
          fmt(median(of(c, 'longestTaskCpu')), 8),
          String(Math.max(...of(c, 'longTasks'))).padStart(14),
          (Number.isNaN(median(of(c, 'slices'))) ? '-' : String(median(of(c, 'slices')))).padStart(7),
        );
      }
      if (BREAKDOWN) {
        const breakdown = (title: string, pick: (m: Measure) => Map<string, number>) => {
          console.log(`  ${title}, CPU self time by trace event, median of the rounds (ms):`);
          for (const c of CASES) {
            const runs = times.get(`${b.label}|${c.name}`)!.map(pick);
            const names = new Set(runs.flatMap((m) => [...m.keys()]));
            const med = [...names].map((n) => [n, median(runs.map((m) => m.get(n) ?? 0))] as const).filter(([, v]) => v >= 0.3);
            med.sort((x, y) => y[1] - x[1]);
            console.log(`  ${c.name}: ${med.map(([n, v]) => `${n} ${v.toFixed(1)}`).join(', ')}`);
          }
        };
        breakdown('first frame', (m) => m.byEvent!);
        breakdown('after it until the strip is complete', (m) => m.afterByEvent!);
      }
    }
    measureWorkerPreview();
  } finally {
    await browser.close();
    for (const server of new Set(builds.map((b) => b.server))) await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
