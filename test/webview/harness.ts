/**
 * Runs the BUILT webview bundles in real headless Chromium, in the page `renderWebviewHtml` produces (same
 * CSP, same script/style tags), served from a tiny 127.0.0.1 server. The only stand-in is
 * `acquireVsCodeApi`, which cannot exist outside VS Code: it records posted messages and keeps setState,
 * and the test delivers host messages the way VS Code does (a `message` event on window).
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../src/host/webviewHtml';
import type { JsonPanelState } from './fixtures';
import { SYNTHETIC_STATE_SOURCE } from './fixtures';

export const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Theme variables as VS Code's Dark+/Light+/High Contrast themes define them (subset the views use). */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1e1e1e',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-focusBorder': '#007fd4',
      '--vscode-panel-border': '#80808059',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#616161',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-red': '#e51400',
      '--vscode-focusBorder': '#0090f1',
      '--vscode-panel-border': '#80808059',
      '--vscode-editor-inactiveSelectionBackground': '#e5ebf1',
      '--vscode-editorWidget-background': '#f3f3f3',
      '--vscode-list-activeSelectionBackground': '#0060c0',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#616161',
      '--vscode-input-border': '#cecece',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#616161',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-button-secondaryBackground': '#5f6a79',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-editorHoverWidget-background': '#f3f3f3',
      '--vscode-editorHoverWidget-foreground': '#616161',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  highContrast: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-focusBorder': '#f38518',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

function themeCss(name: ThemeName): string {
  const vars = Object.entries(THEMES[name].vars)
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n');
  return `:root {\n${vars}\n}\n`;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.html': 'text/html',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves dist/webview/*, media/*, test theme CSS and the two pages (`/panel.html`, `/sidebar.html`).
 * `webviewDir` serves the bundles from another build (the webview bench compares an older build in the same run),
 * and `mediaDir` that build's style sheets (media/*; this checkout's without it).
 */
export async function startServer(opts: { webviewDir?: string; mediaDir?: string } = {}): Promise<StaticServer> {
  const webviewDir = opts.webviewDir ?? join(ROOT, 'dist', 'webview');
  for (const f of ['panel.js', 'sidebar.js']) {
    if (!existsSync(join(webviewDir, f))) throw new Error(`${join(webviewDir, f)} is missing: run \`npm run build\` first (npm run test:webview does)`);
  }
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const page = /^\/(panel|sidebar)\.html$/.exec(path);
    if (page) {
      const kind = page[1] as 'panel' | 'sidebar';
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      const html = renderWebviewHtml({
        cspSource: origin,
        nonce: createNonce(),
        scriptUri: `${origin}/dist/webview/${kind}.js`,
        styleUris: [`${origin}/theme/${theme}.css`, `${origin}/media/webview.css`, `${origin}/media/${kind}.css`],
        title: kind === 'panel' ? 'Token Embeddings' : 'Tokens',
        bodyClass: THEMES[theme].bodyClass,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const themeFile = /^\/theme\/(\w+)\.css$/.exec(path);
    if (themeFile && themeFile[1]! in THEMES) {
      res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss(themeFile[1] as ThemeName));
      return;
    }
    const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
    if (!/^(dist[/\\]webview|media)[/\\]/.test(rel) || rel.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    const file = /^dist[/\\]webview[/\\]/.test(rel)
      ? join(webviewDir, rel.slice('dist/webview/'.length))
      : opts.mediaDir
        ? join(opts.mediaDir, rel.slice('media/'.length))
        : join(ROOT, rel);
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no server address');
  origin = `http://127.0.0.1:${addr.port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The page server and Chromium for one test file: started before its first test, closed after its last. Read
 * `browser` and `server` inside tests (they are set once `before` has run).
 */
export function useBrowser(): { readonly browser: Browser; readonly server: StaticServer } {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;
  before(async () => {
    server = await startServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      assert.ok(browser, 'Chromium is started by the before() hook of useBrowser');
      return browser;
    },
    get server() {
      assert.ok(server, 'the page server is started by the before() hook of useBrowser');
      return server;
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...RASTER_FLAGS,
    ],
  });
}

/**
 * Flags that keep canvas pixels the same on every machine: software rasterisation in Skia whatever GPU or
 * Mesa driver is installed (an installed Mesa changed pixels here), sRGB output (colour management would
 * shift every compared colour), greyscale text without hinting (axis labels decide the chart area's size).
 */
export const RASTER_FLAGS = [
  '--disable-gpu',
  '--disable-gpu-rasterization',
  '--disable-accelerated-2d-canvas',
  '--force-color-profile=srgb',
  '--disable-lcd-text',
  '--font-render-hinting=none',
  '--force-device-scale-factor=1',
];

/** Installed before any page script: the acquireVsCodeApi stand-in and a CSP-violation recorder. */
function initScript(storedState: unknown): string {
  return `(() => {
    const posted = [];
    let state = ${JSON.stringify(storedState ?? null)};
    let acquired = false;
    window.__test = { posted, violations: [], get state() { return state; } };
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return Object.freeze({
        postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => state,
        setState: (s) => { state = JSON.parse(JSON.stringify(s)); return s; },
      });
    };
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__test.violations.push(e.violatedDirective + ' ' + e.blockedURI);
    });
  })();`;
}

export interface ViewPage {
  page: Page;
  context: BrowserContext;
  /** console errors, page errors and CSP violations seen so far. */
  problems: string[];
  posted(): Promise<Array<Record<string, unknown>>>;
  waitForPosted(type: string, count?: number): Promise<Array<Record<string, unknown>>>;
  deliver(message: unknown): Promise<void>;
  deliverState(state: JsonPanelState): Promise<void>;
  deliverSyntheticState(tokens: number, dim: number, ctx: number): Promise<void>;
  storedState(): Promise<unknown>;
  /**
   * Delivers a marker message (an `error` with a unique text) and waits until the page shows it: every
   * message and input event queued before it has been handled. For checks that something did NOT happen.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function openView(
  browser: Browser,
  server: StaticServer,
  kind: 'panel' | 'sidebar',
  opts: { theme?: ThemeName; storedState?: unknown; viewport?: { width: number; height: number } } = {},
): Promise<ViewPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: kind === 'panel' ? 1100 : 360, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript({ content: initScript(opts.storedState) });
  await page.goto(`${server.origin}/${kind}.html?theme=${opts.theme ?? 'dark'}`);
  let flushCount = 0;
  const view: ViewPage = {
    page,
    context,
    problems,
    posted: () => page.evaluate(() => (window as unknown as { __test: { posted: Array<Record<string, unknown>> } }).__test.posted),
    async waitForPosted(type, count = 1) {
      await page.waitForFunction(
        ([t, c]) => (window as unknown as { __test: { posted: Array<{ type: string }> } }).__test.posted.filter((m) => m.type === t).length >= (c as number),
        [type, count] as const,
      );
      return (await view.posted()).filter((m) => m.type === type);
    },
    deliver: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    deliverState: (state) =>
      page.evaluate((s) => {
        // VS Code delivers typed arrays as typed arrays; JSON fixtures carry plain arrays.
        const r = s.result as unknown as Record<string, unknown>;
        r.positions = Int32Array.from(s.result.positions);
        for (const k of ['tokenEmbeddings', 'positionalEmbeddings', 'combinedEmbeddings']) r[k] = Float32Array.from(r[k] as number[]);
        window.postMessage({ type: 'state', state: s }, '*');
      }, state),
    deliverSyntheticState: (tokens, dim, ctx) =>
      page.evaluate(`window.postMessage({ type: 'state', state: (${SYNTHETIC_STATE_SOURCE})(${tokens}, ${dim}, ${ctx}) }, '*')`),
    storedState: () => page.evaluate(() => (window as unknown as { __test: { state: unknown } }).__test.state),
    async flush() {
      const marker = `flush marker ${++flushCount}`;
      await view.deliver({ type: 'error', message: marker });
      await page.waitForFunction((m) => document.querySelector('.error-text')?.textContent === m, marker);
      // Work a handler deferred to the next frames (chart.js repaints) has run too.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    },
    async close() {
      const v = await page.evaluate(() => (window as unknown as { __test: { violations: string[] } }).__test.violations).catch(() => []);
      problems.push(...v.map((x) => `csp: ${x}`));
      await context.close();
    },
  };
  return view;
}

export async function violations(view: ViewPage): Promise<string[]> {
  const v = await view.page.evaluate(() => (window as unknown as { __test: { violations: string[] } }).__test.violations);
  return [...view.problems, ...v.map((x) => `csp: ${x}`)];
}

/** Asserts the page has had no CSP violations, console errors or page errors. */
export async function expectClean(view: ViewPage): Promise<void> {
  assert.deepEqual(await violations(view), [], 'no CSP violations, console errors or page errors');
}

/** expectClean, then closes the page. */
export async function closeClean(view: ViewPage): Promise<void> {
  await expectClean(view);
  await view.close();
}

/** Chart geometry the heatmap publishes as data attributes. */
export async function canvasGeometry(page: Page, selector: string) {
  return page.$eval(selector, (c) => {
    const el = c as HTMLCanvasElement;
    const [left, top, width, height] = (el.dataset.area ?? '').split(',').map(Number);
    const box = el.getBoundingClientRect();
    return {
      area: { left: left!, top: top!, width: width!, height: height! },
      rows: Number(el.dataset.rows),
      cols: Number(el.dataset.cols),
      maxAbs: Number(el.dataset.maxAbs),
      selectedRow: el.dataset.selectedRow === '' ? null : Number(el.dataset.selectedRow),
      box: { x: box.x, y: box.y },
    };
  });
}

/**
 * Waits until the chart on canvas `selector` has painted at its final size: the geometry it publishes
 * (data-area) and the canvas size held over two animation frames, and the middle of its plot area is
 * opaque. Charts size themselves from a ResizeObserver, so a pixel read right after `data-state=ready`
 * may come from an earlier size, or from nothing painted yet; and a heatmap paints its bitmap only near
 * the viewport, so the canvas is first scrolled into view, as a user would.
 */
export async function waitForPaint(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(async (sel) => {
    // (No named inner functions: tsx would wrap them in a helper the page does not have.)
    const el = document.querySelector<HTMLCanvasElement>(sel);
    if (!el?.dataset.area) return false;
    el.scrollIntoView({ block: 'nearest' });
    const before = `${el.dataset.area}|${el.width}x${el.height}`;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    if (`${el.dataset.area}|${el.width}x${el.height}` !== before) return false;
    const [l, t, w, h] = el.dataset.area.split(',').map(Number);
    if (!(w! > 0 && h! > 0)) return false;
    return el.getContext('2d')!.getImageData(Math.floor(l! + w! / 2), Math.floor(t! + h! / 2), 1, 1).data[3] === 255;
  }, selector);
}

/** RGB of a canvas pixel at CSS coordinates relative to the canvas (deviceScaleFactor is 1), once painted. */
export async function pixelAt(page: Page, selector: string, x: number, y: number): Promise<[number, number, number]> {
  await waitForPaint(page, selector);
  return page.$eval(
    selector,
    (c, [px, py]) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(Math.floor(px!), Math.floor(py!), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [x, y],
  );
}

/**
 * The pixel at the centre of cell (row, col) of a painted heatmap, geometry and pixel read in one go (a
 * repaint between reading the geometry and the pixel cannot mix two layouts). The centre of a cell is
 * inside the solid block the nearest-neighbour blit draws for it when cells are ≥ 1 px.
 */
export async function cellPixel(page: Page, selector: string, row: number, col: number): Promise<[number, number, number]> {
  await waitForPaint(page, selector);
  return page.$eval(
    selector,
    (c, [r, k]) => {
      const el = c as HTMLCanvasElement;
      const [left, top, width, height] = el.dataset.area!.split(',').map(Number);
      const rows = Number(el.dataset.rows);
      const cols = Number(el.dataset.cols);
      const x = left! + ((k! + 0.5) * width!) / cols;
      const y = top! + ((r! + 0.5) * height!) / rows;
      const d = el.getContext('2d')!.getImageData(Math.floor(x), Math.floor(y), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [row, col],
  );
}

/**
 * Per-channel tolerance (0–255) of every colour comparison: 3. A sampled pixel lies inside a solid cell, so
 * no anti-aliasing is involved; the slack is for rasterisers that round colours differently (software Skia
 * vs Mesa). It is smaller than the gap between any two colours the tests tell apart.
 */
export const COLOUR_TOLERANCE = 3;

export function assertColourNear(actual: readonly number[], expected: readonly number[], what: string, tolerance = COLOUR_TOLERANCE): void {
  const off = [0, 1, 2].some((i) => Math.abs(actual[i]! - expected[i]!) > tolerance);
  if (off)
    throw new assert.AssertionError({
      message: `${what}: pixel [${actual.join(', ')}] is not within ${tolerance} of [${expected.join(', ')}]`,
      actual,
      expected,
    });
}

/**
 * Runs `check` (assertions included) until it passes and returns its value; after `timeoutMs` the last
 * failure is thrown. For what the page updates asynchronously: after a key press, click or message.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
