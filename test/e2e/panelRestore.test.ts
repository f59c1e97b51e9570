// Issue 9, "inspector panel gone after a window reload": with the WebviewPanelSerializer (activation event
// onWebviewPanel:tokenEmbeddings.inspector) the panel comes back after "Developer: Reload Window", and it is
// live: the host inspected the same range again, so an analysis tab still gets its numbers from the worker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import {
  assertNoExtensionErrors,
  findWebviewFrame,
  openFile,
  reloadWindow,
  runCommand,
  selectLine,
  startVSCode,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'panelRestore' });
});

after(async () => {
  await vs?.close();
});

async function panelFrame(page: Page): Promise<Frame> {
  return findWebviewFrame(page, { title: 'Token Embeddings', selector: '.strip .chip-id' }, 60_000);
}

async function chipIds(panel: Frame): Promise<string[]> {
  return panel.locator('.strip .chip-id').allInnerTexts();
}

test('the inspector panel is restored after a window reload, with the same tokens, and stays live', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const before = await chipIds(await panelFrame(page));
  assert.ok(before.length > 10, `tokens shown before the reload: ${before.length}`);

  await reloadWindow(page);
  const panel = await panelFrame(page);
  assert.deepEqual(await chipIds(panel), before, 'the restored panel shows the same tokens');
  assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Tokens: the-verdict.txt' }).count(), 1, 'one panel, titled by the host that restored it');

  // Live, not a picture: the host re-inspected the range, so the worker answers the Similarity tab.
  await panel.locator('#tab-similarity').click();
  await panel.locator('#sim-pairs tr[data-i]').first().waitFor({ timeout: 60_000 });
  assert.doesNotMatch(await panel.locator('#tabpanel-similarity .analysis-status').innerText(), /Nothing inspected/);
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
