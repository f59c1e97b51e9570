// The harness's own checks must be able to fail: with a fixture extension (test/e2e/fixtures/webview-probe)
// that opens a webview with a known title, text and a deliberate CSP violation, and has a command that
// throws, these tests prove findWebviewFrame, the CSP collector and the extension-error detector see
// the real things the Token Embeddings tests rely on them to see.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoExtensionErrors,
  changeUserSettings,
  extensionErrors,
  findWebviewFrame,
  openFile,
  packageFixtureExtension,
  runCommand,
  selectRange,
  reloadWindow,
  resetWorkbench,
  selectionStatus,
  setUserSettings,
  showHover,
  startVSCode,
  waitFor,
  waitForDialog,
  closeDialog,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';

const PROBE_ID = 'harness.webview-probe';
let vs: VSCodeSession | undefined;

before(async () => {
  const probe = packageFixtureExtension(join(import.meta.dirname, 'fixtures', 'webview-probe'));
  vs = await startVSCode({ label: 'harness', extraExtensions: [probe] });
});

after(async () => {
  await vs?.close();
});

test('findWebviewFrame reaches the webview document by title and by text', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await runCommand(page, 'Harness Probe: Open Webview');
  const t0 = Date.now();
  const byTitle = await findWebviewFrame(page, { title: 'Harness Probe' });
  assert.equal(await byTitle.locator('#status').innerText(), 'probe ready');
  const byText = await findWebviewFrame(page, { text: 'probe ready', selector: '#status' });
  assert.equal(byText, byTitle);
  console.log(`# webview found in ${Date.now() - t0} ms`);
  await assert.rejects(findWebviewFrame(page, { title: 'No Such Webview' }, 1_000), /timed out/);

  // The probe's page breaks its CSP on purpose (an img-src); the collector sees it. (In this test: it is the
  // webview this test opened — opening it a second time in a later test left the focus where F1 was lost.)
  const violations = await waitFor(
    () => webviewCspViolations(vs!).length > 0 && webviewCspViolations(vs!),
    'the probe webview to report its img-src violation',
  );
  assert.ok(
    violations.some((v) => /img-src/.test(v.text)),
    JSON.stringify(violations),
  );
});

test('an exception thrown by an extension command is found in the extension host log', { timeout: 180_000 }, async () => {
  const { page, server } = vs!;
  assertNoExtensionErrors(server, PROBE_ID);
  await runCommand(page, 'Harness Probe: Fail');
  // Run from the palette, a throwing command gets a modal error dialog, and a stack in the log.
  await waitForDialog(page, 'harness probe failure on purpose');
  await closeDialog(page);
  const errors = await waitFor(
    () => extensionErrors(server, PROBE_ID).length > 0 && extensionErrors(server, PROBE_ID),
    'the probe failure in the extension host log',
  );
  assert.ok(errors.length > 0);
  // The Token Embeddings extension is installed too but was never involved.
  assert.deepEqual(extensionErrors(server), []);
});

test('keyboard helpers select exact ranges and show hovers', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  // Its own state: the earlier tests leave the probe webview open, which can hold the keyboard focus.
  await resetWorkbench(page);
  await openFile(page, 'example.ts');
  // Line 3: "export function createDataloader(text: string, maxLength = 4, stride = 1): number[][] {"
  await selectRange(page, { line: 3, column: 17 }, { line: 3, column: 33 });
  assert.match(await selectionStatus(page), /Ln 3, Col 33 \(16 selected\)/);
  await selectRange(page, { line: 3, column: 1 }, { line: 5, column: 3 });
  assert.match(await selectionStatus(page), /Ln 5, Col 3/);
  // The built-in TypeScript extension answers hovers on the function name.
  const hover = await showHover(page, { line: 3, column: 20 }, 'createDataloader');
  assert.match(hover, /function createDataloader\(text: string/);
});

test('resetWorkbench closes every editor (an unsaved one without saving) and every notification', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  await openFile(page, 'example.ts');
  await page.keyboard.press('Control+N');
  await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor();
  await page.keyboard.insertText('unsaved text');
  await page.locator('.tabs-container .tab.active.dirty').waitFor();
  await runCommand(page, 'Harness Probe: Fail');
  await waitForDialog(page, 'harness probe failure on purpose');
  await resetWorkbench(page);
  assert.equal(await page.locator('.tabs-container .tab').count(), 0);
  assert.equal(await page.locator('.monaco-dialog-box').count(), 0);
  assert.deepEqual(await page.locator('.notifications-toasts .notification-toast').count(), 0);
});

test('changeUserSettings applies settings to the running window', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  const statusBar = page.locator('.part.statusbar');
  await statusBar.waitFor({ state: 'visible' });
  await changeUserSettings(page, { 'workbench.statusBar.visible': false });
  await statusBar.waitFor({ state: 'hidden' });
  await changeUserSettings(page, {});
  await statusBar.waitFor({ state: 'visible' });
});

test('setUserSettings on disk takes effect after reloadWindow', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;
  const statusBar = page.locator('.part.statusbar');
  await statusBar.waitFor({ state: 'visible' });
  setUserSettings(server, { 'workbench.statusBar.visible': false });
  await reloadWindow(page);
  await statusBar.waitFor({ state: 'hidden' });
  setUserSettings(server, {});
  await reloadWindow(page);
  await statusBar.waitFor({ state: 'visible' });
});
