// End-to-end harness: the packaged extension in a real VS Code (code-server, see scripts/code-server.ts),
// driven through Debian's Chromium with playwright-core. Tests use node:test; a typical file:
//
//   let vs: VSCodeSession;
//   before(async () => { vs = await startVSCode({ label: 'panel' }); });
//   after(async () => { await vs?.close(); });
//   test('…', async () => {
//     await openFile(vs.page, 'the-verdict.txt');
//     await selectRange(vs.page, { line: 1, column: 1 }, { line: 1, column: 21 });
//     await runCommand(vs.page, 'Token Embeddings: Inspect Selection');
//     const frame = await findWebviewFrame(vs.page, { title: 'Token Embeddings' });
//     …
//     assertNoExtensionErrors(vs.server);
//     assert.deepEqual(vs.cspViolations, []);
//   });
//
// `npm run test:e2e` packages the .vsix and installs code-server before running test/e2e/*.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import {
  BASE_USER_SETTINGS,
  CHROMIUM_PATH,
  extensionId,
  launchCodeServer,
  repoRoot,
  type LaunchOptions,
  type RunningCodeServer,
} from '../../scripts/code-server';

export { extensionId, launchCodeServer, repoRoot, type LaunchOptions, type RunningCodeServer };

/**
 * Where screenshot() writes: test-results/screenshots/ (gitignored), so a test run never touches tracked
 * files. `npm run screenshots` sets E2E_SCREENSHOTS_DIR=media/screenshots to refresh the README's images.
 */
export const screenshotsDir = resolve(repoRoot, process.env.E2E_SCREENSHOTS_DIR || join('test-results', 'screenshots'));

/**
 * Default wait of the helpers. Generous on purpose: teammates share 2 cores, and a wait only costs
 * time when something is wrong. Playwright's own actions use it too (see openWorkbench).
 */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Flags for Debian's Chromium as root in a container, with no background network traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Starts code-server with fresh folders and the packaged extension (alias of launchCodeServer). */
export function startCodeServer(options: LaunchOptions = {}): Promise<RunningCodeServer> {
  return launchCodeServer(options);
}

/** A message the browser reported because a page or webview broke its Content-Security-Policy. */
export interface CspViolation {
  text: string;
  url: string;
}

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every CSP violation reported by the workbench or any webview since the page opened. */
  cspViolations: CspViolation[];
  /** console.error output of the workbench and webviews (for diagnosis; VS Code itself logs some). */
  consoleErrors: string[];
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  viewport?: { width: number; height: number };
  /** Milliseconds to wait for the workbench to render. */
  timeoutMs?: number;
}

/** Opens the server's workbench on its workspace folder in headless Chromium and waits until it is usable. */
export async function openWorkbench(server: RunningCodeServer, options: WorkbenchOptions = {}): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  const page = await context.newPage();
  const cspViolations: CspViolation[] = [];
  const consoleErrors: string[] = [];
  // Chromium reports CSP violations as console log entries of the offending frame (webview frames included).
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) cspViolations.push({ text, url: msg.location().url });
    else if (msg.type() === 'error') consoleErrors.push(text);
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  const timeout = options.timeoutMs ?? 2 * DEFAULT_TIMEOUT_MS;
  try {
    await page.goto(server.workbenchUrl);
    // (Not the status bar: a test may hide it through settings.)
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout });
    // The explorer shows the workspace's files once the remote file system is connected.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
    // Extension contributions (commands, views) are registered once the extension host is up.
    await waitFor(() => readExtHostLog(server).includes('Eager extensions activated'), 'the extension host', timeout);
  } catch (error) {
    await page.screenshot({ path: join(server.runDir, 'workbench-failed.png') }).catch(() => undefined);
    await browser.close();
    throw error;
  }
  return {
    browser,
    context,
    page,
    cspViolations,
    consoleErrors,
    async close() {
      await browser.close();
    },
  };
}

export interface VSCodeSession extends Workbench {
  server: RunningCodeServer;
}

export interface SessionOptions extends LaunchOptions, WorkbenchOptions {}

/** code-server + browser in one call; close() stops both (run files are kept when E2E_KEEP=1). */
export async function startVSCode(options: SessionOptions = {}): Promise<VSCodeSession> {
  const server = await launchCodeServer(options);
  try {
    const workbench = await openWorkbench(server, options);
    return {
      ...workbench,
      server,
      async close() {
        await workbench.close().catch(() => undefined);
        await server.stop({ keepFiles: process.env.E2E_KEEP === '1' });
      },
    };
  } catch (error) {
    await server.stop({ keepFiles: true });
    throw error;
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');

/**
 * Sets the quick input's whole value (e.g. '>Title' for commands, ':12:3' for Go to Line). fill()
 * fires one input event instead of one per key, which matters on a busy 2-core machine.
 */
async function fillQuickInput(page: Page, value: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const input = quickInput(page).locator('input.input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(value, { timeout: timeoutMs });
}

/**
 * Presses the key that opens a quick input (F1, Ctrl+P) and waits for its input box. A key pressed while nothing in
 * the workbench holds the keyboard focus (seen after a click in a webview and after a save dialog closed) opens
 * nothing: the editor area's tab strip is then clicked to give the workbench the focus and the key pressed again,
 * at most twice more; each retry is written to stderr so a run's log shows it.
 */
export async function openQuickInput(page: Page, key: 'F1' | 'Control+P'): Promise<void> {
  const input = quickInput(page).locator('input.input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      process.stderr.write(`harness: ${key} opened no quick input (attempt ${attempt}): focusing the workbench, pressing it again\n`);
      await page
        .locator('.part.editor')
        .click({ position: { x: 5, y: 5 } })
        .catch(() => undefined);
    }
  }
}

/** Opens a workspace file by Quick Open (Ctrl+P), e.g. `openFile(page, 'the-verdict.txt')`; waits for its editor. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop()!;
  // By the tab's resource name: a text match would also find the inspector's "Tokens: x.txt" tab in another group.
  const tab = page.locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(name)}]`).first();
  // Quick Open fills its list in steps (recent files, then the file search): pick the file's row only once
  // it is the focused one, by clicking it (an Enter pressed while the list was being replaced was lost now and
  // then on a loaded machine). Should the editor still not open, Quick Open is done again, at most three
  // times, and each retry is written to stderr so the run's log shows it.
  for (let attempt = 1; ; attempt++) {
    try {
      await page
        .locator('.part.editor')
        .click({ position: { x: 5, y: 5 } })
        .catch(() => undefined);
      await openQuickInput(page, 'Control+P');
      // Quick Open closes when something else takes the focus right after it opened (seen with the inspector
      // panel open beside the editor): then filling it fails fast and the whole step is done again.
      await fillQuickInput(page, relativePath, 10_000);
      const row = quickInput(page).locator('.monaco-list-row.focused', { hasText: name }).first();
      await row.waitFor({ timeout: 20_000 });
      await row.click();
      await tab.waitFor({ timeout: 20_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      process.stderr.write(`harness: openFile(${relativePath}) attempt ${attempt} did not open it (${why}), trying again\n`);
      if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
    }
  }
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  await page.locator('.monaco-editor.focused').waitFor();
}

/** Runs a command by its palette title via F1 (Ctrl+Shift+P can be taken by the browser). */
export async function runCommand(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  // Exact label match, so 'Inspect Selection' never runs 'Inspect Selection in Panel' listed first.
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const row = quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  const deadline = Date.now() + timeoutMs;
  // The palette lists the commands known when it opens; right after start-up the extensions' may
  // still be on their way, so reopen it until the command shows up.
  for (;;) {
    try {
      await openQuickInput(page, 'F1');
      // A palette that closes at once (focus taken by a webview) fails the fill fast: then it is opened again.
      await fillQuickInput(page, `>${title}`, 10_000);
      await row.waitFor({ timeout: 3_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`command "${title}" not in the command palette`, { cause: error });
      await page.keyboard.press('Escape');
      await quickInput(page).waitFor({ state: 'hidden' });
    }
  }
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden' });
}

/** Waits for a notification toast whose message matches, and returns it. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout: timeoutMs });
  return toast;
}

/**
 * Waits for a modal dialog (VS Code shows one e.g. when a command run from the palette throws) whose
 * text matches, and returns it; `closeDialog` dismisses it.
 */
export async function waitForDialog(page: Page, text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await dialog.waitFor({ timeout: timeoutMs });
  return dialog;
}

export async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
}

/** Messages of all notifications currently shown as toasts. */
export async function notificationMessages(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

/** Closes every notification (Notifications: Clear All Notifications). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * Puts the workbench in a known state at the start of a test, whatever an earlier test left: every editor
 * closed (the inspector panel is one, so its panel-only settings go too; an unsaved editor is closed
 * without saving), no notifications, no quick input or dialog open, and with `userSettings` the user
 * settings rewritten (`{}`: the harness defaults). Tests then open what they need themselves.
 */
export async function resetWorkbench(page: Page, options: { userSettings?: Record<string, unknown> } = {}): Promise<void> {
  for (let i = 0; i < 3 && (await quickInput(page).isVisible()); i++) await page.keyboard.press('Escape');
  if (await page.locator('.monaco-dialog-box').isVisible()) await closeDialog(page);
  await runCommand(page, 'View: Close All Editors');
  const tabs = page.locator('.tabs-container .tab');
  await waitFor(async () => {
    // An unsaved editor asks first: close it without saving.
    const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Don't Save|Do not Save/ });
    if (await dontSave.isVisible()) await dontSave.click();
    return (await tabs.count()) === 0;
  }, 'every editor to close');
  // Settings an earlier test changed (through the UI) are put back: the harness defaults plus these.
  if (options.userSettings) await changeUserSettings(page, options.userSettings);
  await clearNotifications(page);
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
}

/** Moves the cursor of the focused editor (1-based line and column) through Go to Line (Ctrl+G). */
export async function goTo(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  await fillQuickInput(page, `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  // Focus returns to the editor asynchronously; keys pressed before the cursor has moved can be lost.
  await waitFor(async () => (await selectionStatus(page)).startsWith(`Ln ${line},`) || undefined, `the cursor on line ${line}`, 15_000);
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Selects from `from` to `to` (1-based, `to` exclusive like VS Code columns) in the focused editor
 * with the keyboard, as a user would. Word wrap is off in the harness settings, so End is the line end.
 */
export async function selectRange(page: Page, from: Position, to: Position): Promise<void> {
  await goTo(page, from.line, from.column);
  for (let l = from.line; l < to.line; l++) await page.keyboard.press('Shift+ArrowDown');
  if (to.line !== from.line) {
    // The status bar must show the last line before Home is judged by it: a late update from the arrows read
    // as "Home moved" made the helper skip the second Home and end two columns too far.
    await waitFor(async () => (await selectionStatus(page)).startsWith(`Ln ${to.line},`) || undefined, `the cursor on line ${to.line}`, 10_000);
    // Home toggles between the first non-blank and column 1, so read where it landed — after the status
    // bar has caught up with the key (a stale read decided wrongly under load) — and press again if needed.
    const before = await selectionStatus(page);
    await page.keyboard.press('Shift+Home');
    const landed = await waitFor(
      async () => {
        const now = await selectionStatus(page);
        return now !== before ? now : undefined;
      },
      'Home to move the cursor',
      3_000,
    ).catch(() => before); // already at column 1 of an unindented line: nothing moves
    if (!/Col 1\b/.test(landed)) {
      await page.keyboard.press('Shift+Home');
      await waitFor(async () => /Col 1\b/.test(await selectionStatus(page)) || undefined, 'the cursor at column 1', 10_000);
    }
  }
  const startColumn = to.line === from.line ? from.column : 1;
  for (let c = startColumn; c < to.column; c++) await page.keyboard.press('Shift+ArrowRight');
  await waitFor(
    async () => (await selectionStatus(page)).startsWith(`Ln ${to.line}, Col ${to.column}`) || undefined,
    `the selection to end at ${to.line}:${to.column}`,
    10_000,
  );
}

/** Selects a whole line (without its line break) in the focused editor. */
export async function selectLine(page: Page, line: number): Promise<void> {
  await goTo(page, line, 1);
  // On a loaded machine a Shift+End can still reach the editor before it has focus: press again until the
  // status bar reports a selection (an empty line never does; it is left after a few tries).
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Shift+End');
    const selected = await waitFor(async () => /selected\)/.test(await selectionStatus(page)) || undefined, 'a selection', 5_000).then(
      () => true,
      () => false,
    );
    if (selected) return;
  }
}

/** The status bar's cursor/selection item, e.g. "Ln 1, Col 327 (326 selected)". */
export async function selectionStatus(page: Page): Promise<string> {
  const item = page.locator('#status\\.editor\\.selection');
  await item.waitFor();
  return (await item.innerText()).trim();
}

/**
 * Shows the hover at a position of the focused editor (Go to Line, then "Show or Focus Hover",
 * Ctrl+K Ctrl+I) and returns its text once it contains `expected` (any text when omitted).
 */
export async function showHover(page: Page, at: Position, expected?: string | RegExp): Promise<string> {
  await goTo(page, at.line, at.column);
  const hover = page.locator('.monaco-hover:not(.hidden)', expected ? { hasText: expected } : {}).first();
  const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
  // Language servers (and our provider) may answer the first request only once ready: ask again.
  for (;;) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    try {
      await hover.waitFor({ timeout: 5_000 });
      return (await hover.innerText()).trim();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no hover at ${at.line}:${at.column}`, { cause: error });
      await page.keyboard.press('Escape');
    }
  }
}

export interface WebviewMatch {
  /** The webview document's <title>. */
  title?: string | RegExp;
  /** Text somewhere in the webview's body. */
  text?: string | RegExp;
  /** A CSS selector that must exist in the webview. */
  selector?: string;
}

/** Resolves to undefined when `promise` takes longer than `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The little of the DOM findWebviewFrame reads inside a frame. */
interface BrowserDocument {
  title: string;
  body: { innerText: string } | null;
  querySelector(selector: string): unknown;
}

function matches(value: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? value.includes(pattern) : pattern.test(value);
}

/**
 * Finds the frame holding an extension webview's own document. VS Code nests it: workbench → webview
 * host iframe (pre/index.html) → active-frame with the extension's HTML; page.frames() lists them all.
 */
export async function findWebviewFrame(page: Page, match: WebviewMatch, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
  const describe = JSON.stringify(match, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v));
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame() || frame.isDetached()) continue;
        // The host frame (pre/index.html) has no extension content; skip it and VS Code's fake.html shell.
        if (/\/webview\/browser\/pre\/index\.html/.test(frame.url())) continue;
        try {
          // A frame still loading (or VS Code's hidden pending frame) may never create its context:
          // bound each probe so one such frame cannot stall the search.
          const info = await withTimeout(
            frame.evaluate((selector) => {
              // Runs in the browser; this file is type-checked without the DOM lib.
              const doc = (globalThis as unknown as { document: BrowserDocument }).document;
              return {
                title: doc.title,
                text: doc.body?.innerText ?? '',
                hasSelector: selector ? doc.querySelector(selector) !== null : true,
              };
            }, match.selector ?? null),
            1_000,
          );
          if (!info) continue;
          if (match.title !== undefined && !matches(info.title, match.title)) continue;
          if (match.text !== undefined && !matches(info.text, match.text)) continue;
          if (!info.hasSelector) continue;
          if (match.title === undefined && match.text === undefined && match.selector === undefined) continue;
          return frame;
        } catch {
          // frame navigated or detached while we looked: try again on the next poll
        }
      }
      return undefined;
    },
    `a webview frame matching ${describe}`,
    timeoutMs,
  );
}

/**
 * The inspector panel's webview document, once it shows tokens. Its title exactly: the side panel's
 * ("Token Embeddings Sidebar") also shows token chips.
 */
export async function inspectorPanel(page: Page, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
  return findWebviewFrame(page, { title: /^Token Embeddings$/, selector: '.strip .chip-id' }, timeoutMs);
}

/**
 * Every chip's id in the token strip of a panel or the side view. The strip builds the chips in view first and the
 * rest in idle slices (`data-complete` says when it has all of them), so a list read earlier can be a prefix: this
 * reads it once the strip is complete, and again if the strip was replaced while it read.
 */
export async function stripChipIds(frame: Frame, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
  const complete = frame.locator('.strip[data-complete="true"]');
  return waitFor(
    async () => {
      if ((await complete.count()) === 0) return undefined;
      const ids = await frame.locator('.strip .chip-id').allInnerTexts();
      return (await complete.count()) === 1 ? ids : undefined;
    },
    'the token strip with all its chips',
    timeoutMs,
  );
}

/**
 * Waits until the inspector panel's source bar reads `expected` (the whole label, e.g. 'random init · seed 123', or a
 * pattern); returns the panel.
 */
export async function waitForPanelSource(page: Page, expected: string | RegExp, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
  return waitFor(
    async () => {
      const frame = await inspectorPanel(page, timeoutMs);
      const label = (
        await frame
          .locator('#source-label')
          .innerText()
          .catch(() => '')
      ).trim();
      return (typeof expected === 'string' ? label === expected : expected.test(label)) && frame;
    },
    what,
    timeoutMs,
  );
}

/**
 * Packages a fixture extension folder (plain JS, no build) into .vscode-test/fixtures/<folder>.vsix
 * for LaunchOptions.extraExtensions; returns the .vsix path.
 */
export function packageFixtureExtension(folder: string): string {
  const outDir = join(repoRoot, '.vscode-test', 'fixtures');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${basename(folder)}.vsix`);
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const flags = ['--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out];
  const r = spawnSync(vsce, ['package', ...flags], { cwd: folder, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed in ${folder}:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** Saves a PNG of the page (or one element) to screenshotsDir/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string, element?: Locator): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  if (element) await element.screenshot({ path });
  else await page.screenshot({ path });
  return path;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Every log file the server wrote so far (USER_DATA_DIR/logs/<session>/…). */
export function logFiles(server: RunningCodeServer): string[] {
  return listFiles(join(server.userDataDir, 'logs'));
}

/** The extension host's log (logs/<session>/exthost<N>/remoteexthost.log), all sessions concatenated. */
export function readExtHostLog(server: RunningCodeServer): string {
  return logFiles(server)
    .filter((f) => /[\\/]exthost\d*[\\/]remoteexthost\.log$/.test(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

/**
 * An extension's own log-output-channel files (logs/<session>/exthost<N>/<extension id>/<name>.log);
 * by default ours ("Token Embeddings").
 */
export function readExtensionLog(server: RunningCodeServer, id = extensionId): string {
  return logFiles(server)
    .filter((f) => f.split(/[\\/]/).includes(id) && f.endsWith('.log'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

/** Splits a VS Code log into entries: a timestamped line plus its continuation (stack) lines. */
function logEntries(log: string): string[] {
  const entries: string[] = [];
  for (const line of log.split('\n')) {
    if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(line) || entries.length === 0) entries.push(line);
    else entries[entries.length - 1] += `\n${line}`;
  }
  return entries;
}

/**
 * Error lines that concern our extension: errors in the extension host log naming it (activation
 * failures, uncaught exceptions in its code, failed commands) and [error] lines of its own log.
 * Other extensions' and telemetry noise is ignored.
 */
export function extensionErrors(server: RunningCodeServer, id = extensionId): string[] {
  const commandPrefix = id === extensionId ? 'tokenEmbeddings.' : undefined;
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ours = new RegExp([escape(id), ...(commandPrefix ? [escape(commandPrefix)] : [])].join('|'), 'i');
  const exthost = logEntries(readExtHostLog(server))
    .filter((entry) => /^\S+ \S+ \[error\]/.test(entry) && ours.test(entry))
    .map((entry) => entry.split('\n').slice(0, 4).join('\n'));
  const own = readExtensionLog(server, id)
    .split('\n')
    .filter((line) => /\[error\]/i.test(line));
  return [...exthost, ...own];
}

/** Fails with the offending lines when the extension logged errors or failed to activate. */
export function assertNoExtensionErrors(server: RunningCodeServer, id = extensionId): void {
  assert.deepEqual(extensionErrors(server, id), [], `errors from ${id} in the extension host logs`);
}

/** Whether the extension host activated our extension (it logs each activation with its reason). */
export function isExtensionActivated(server: RunningCodeServer, id = extensionId): boolean {
  return readExtHostLog(server).includes(`ExtensionService#_doActivateExtension ${id},`);
}

/** Activation time the extension logged ("activated in X ms"), once it has activated. */
export async function activationTimeMs(server: RunningCodeServer, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
  return waitFor(
    () => {
      const m = /activated in ([\d.]+) ms/.exec(readExtensionLog(server));
      return m ? Number(m[1]) : undefined;
    },
    `"${extensionId}" to log its activation time`,
    timeoutMs,
  );
}

/**
 * Replaces the user settings file (merged over the harness defaults) on disk. code-server here does NOT
 * notice outside writes while a window is open: use it before openWorkbench / with reloadWindow, or use
 * changeUserSettings to change settings live, as a user would.
 */
export function setUserSettings(server: RunningCodeServer, settings: Record<string, unknown>): void {
  writeFileSync(join(server.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...settings }, null, 2));
}

/**
 * tokenEmbeddings.weightsPath is machine-scoped: in a remote window — and code-server's is one — VS Code takes
 * it from the extension host machine's settings (`<user-data>/Machine/settings.json`), never from the browser's
 * user settings, just as a path on an SSH host belongs in that host's Remote settings.
 */
export function setMachineSettings(server: RunningCodeServer, settings: Record<string, unknown>): void {
  const dir = join(server.userDataDir, 'Machine');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** CSP violations reported by extension webviews (the workbench's own are filtered out). */
export function webviewCspViolations(workbench: Workbench): CspViolation[] {
  return workbench.cspViolations.filter((v) => /webview|vscode-resource|vscode-cdn|fake\.html/i.test(v.url) || /webview/i.test(v.text));
}

/**
 * Changes user settings live through VS Code itself, as a user would: opens "Preferences: Open User
 * Settings (JSON)", replaces its content with the harness defaults merged with `settings`, saves
 * and closes it. The window (and our extension's onDidChangeConfiguration) sees the change at once.
 */
export async function changeUserSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // One line, inserted as a whole: no auto-closing quotes/brackets or auto-indent get in the way.
  await page.keyboard.insertText(JSON.stringify({ ...BASE_USER_SETTINGS, ...settings }));
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  await runCommand(page, 'View: Close Editor');
}

/**
 * Reloads the workbench ("Developer: Reload Window") and waits until the NEW page is usable. The command reloads
 * only after VS Code has flushed its storage, so runCommand can return while the old page is still shown (measured:
 * 2 of 8 reloads), and every wait on the old page would pass at once — its editor part, its explorer, its webviews,
 * which then detach under the test. So the new document's load event is awaited first (listened for before the
 * command runs, so it cannot be missed).
 */
export async function reloadWindow(page: Page): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout: 2 * DEFAULT_TIMEOUT_MS }), runCommand(page, 'Developer: Reload Window')]);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 2 * DEFAULT_TIMEOUT_MS });
  await page
    .locator('.explorer-folders-view .monaco-list-row')
    .first()
    .waitFor({ timeout: 2 * DEFAULT_TIMEOUT_MS });
  // A reloaded page has no keyboard focus yet, and F1 pressed into nothing opens no palette: focus the side bar.
  await page.locator('.part.sidebar .composite.title').first().click();
}
