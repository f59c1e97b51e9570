// Issue 9, "inspector panel gone after a window reload": with the WebviewPanelSerializer (activation event
// onWebviewPanel:tokenEmbeddings.inspector) the panel comes back after "Developer: Reload Window", and it is
// live: the host inspected the same range again, so an analysis tab still gets its numbers from the worker; a panel
// whose own controls differ from the settings still says "changed for this panel only"; a new window's first
// inspection gets the engine's painted bitmap (the panel's colours are remembered across windows).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import {
  assertNoExtensionErrors,
  inspectorPanel,
  openFile,
  reloadWindow,
  resetWorkbench,
  runCommand,
  selectLine,
  setMachineSettings,
  startVSCode,
  waitFor,
  webviewCspViolations,
  type VSCodeSession,
  stripChipIds,
} from './harness';

/** "Nothing inspected yet…": what an analysis tab says when the host has no inspection to answer from. */
const NOTHING_YET = /Nothing inspected/;

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'panelRestore' });
});

after(async () => {
  await vs?.close();
});

/** The inspector panel by its exact title (the side view, "Token Embeddings Sidebar", shows token chips too). */
async function panelFrame(page: Page): Promise<Frame> {
  return inspectorPanel(page, 60_000);
}

test('the inspector panel is restored after a window reload, with the same tokens, and stays live', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const before = await stripChipIds(await panelFrame(page));
  assert.ok(before.length > 10, `tokens shown before the reload: ${before.length}`);

  await reloadWindow(page);
  // (reloadWindow returns on the new page: this is the restored panel, not the old one about to detach.)
  const panel = await panelFrame(page);
  assert.deepEqual(await stripChipIds(panel), before, 'the restored panel shows the same tokens');

  // Live, not a picture: the host re-inspected the range, so the worker answers the Similarity tab.
  await panel.locator('#tab-similarity').click();
  await panel.locator('#sim-pairs tr[data-i]').first().waitFor({ timeout: 60_000 });
  assert.doesNotMatch(await panel.locator('#tabpanel-similarity .analysis-status').innerText(), NOTHING_YET);
  // Counted once the host has restored and re-inspected: a second panel would be open by now.
  const tabs = page.locator('.tabs-container .tab', { hasText: 'Tokens: the-verdict.txt' });
  await tabs.first().waitFor();
  assert.equal(await tabs.count(), 1, 'one panel, titled by the host that restored it');
  assert.equal(await panel.locator('#panel-only-note').isVisible(), false, 'nothing was changed in the panel');
});

test('a panel whose own controls differ from the settings still says so after a reload', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  let panel = await panelFrame(page);
  await panel.locator('input[name=dim]').fill('64');
  await panel.locator('input[name=dim]').press('Enter');
  await panel.locator('#panel-only-note:not([hidden])').waitFor();
  // The host has answered the change (the shapes table has the panel's dim) before the reload stores it.
  await panel.locator('table.shapes', { hasText: '64)' }).first().waitFor({ state: 'attached', timeout: 60_000 });

  await reloadWindow(page);
  panel = await panelFrame(page);
  // At once, from the state the webview stored (drawn before the host answers).
  await panel.locator('#panel-only-note:not([hidden])').waitFor();
  // Live again: the host inspected with the panel's dim and its state says the panel differs from the settings.
  // Similarity rows come only from the host's answer to a request made for its own state, which reached the panel
  // before that answer (one ordered channel): from here on the panel shows the host's state, not the stored one.
  await panel.locator('#tab-similarity').click();
  await panel.locator('#sim-pairs tr[data-i]').first().waitFor({ timeout: 60_000 });
  assert.equal(await panel.locator('input[name=dim]').inputValue(), '64');
  assert.ok(await panel.locator('#panel-only-note').isVisible(), 'the note is still shown once the host has answered');
});

test('a control changed in the restored panel before the host has re-inspected is kept', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;
  // A tokenizer named in the settings that loads only when the test says (a named pipe): after the reload the host
  // re-inspects only once it has loaded, while the restored panel is already shown and usable.
  const dir = join(server.workspaceDir, 'held');
  mkdirSync(dir);
  const pipe = join(dir, 'tokenizer.json');
  execFileSync('mkfifo', [pipe]);
  setMachineSettings(server, { 'tokenEmbeddings.tokenizerPath': pipe });
  try {
    await reloadWindow(page);
    const panel = await panelFrame(page);
    assert.equal(await panel.locator('input[name=dim]').inputValue(), '64', 'the stored state: dim 64 from the last test');
    await panel.locator('input[name=dim]').fill('32');
    await panel.locator('input[name=dim]').press('Enter');
    // The host has the change once it has answered a request sent after it (one ordered channel), and it still
    // has no inspection: the Projection tab, opened for the first time now, says so.
    await panel.locator('#tab-projection').click();
    await waitFor(
      async () => NOTHING_YET.test(await panel.locator('#tabpanel-projection .analysis-status').innerText()) || undefined,
      'the host to answer that it has not re-inspected yet',
    );
    // The pipe gives "{}": the tokenizer is refused (gpt2 stays) and the host re-inspects.
    await waitFor(() => writePipe(pipe, '{}') || undefined, 'the host to read the tokenizer pipe');
    // Answered from the host's new inspection, which reached the panel first.
    await panel.locator('#tab-similarity').click();
    await panel.locator('#sim-pairs tr[data-i]').first().waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('input[name=dim]').inputValue(), '32', "the panel's newer change, not the stored dim 64");
    assert.equal(await panel.locator('table.shapes', { hasText: '(8, 4, 32)' }).count(), 1, 'the host inspected with dim 32');
    assert.ok(await panel.locator('#panel-only-note').isVisible(), 'dim 32 is still the panel’s own');
  } finally {
    setMachineSettings(server, {});
    writePipe(pipe, '{}'); // a load still waiting on it (none if the test got that far)
  }
});

/** Writes `text` to a named pipe if something reads it now (true); false if nothing does (never blocks). */
function writePipe(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return false; // ENXIO: no reader yet
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

test("a new window's first inspection is painted from the engine's pixels: the panel's colours are remembered", { timeout: 240_000 }, async () => {
  const { page } = vs!;
  // No panel to restore: the next inspection opens a new one, and starts before that panel has loaded and said
  // what its colours and pixel ratio are (viewMetrics) — only what the host remembered from the last window can help.
  await resetWorkbench(page);
  await reloadWindow(page);
  await openFile(page, 'the-verdict.txt');
  await page.keyboard.press('Control+Home');
  await runCommand(page, 'Token Embeddings: Inspect Selection'); // a cursor only: the first page, 512 tokens
  const panel = await panelFrame(page);
  // 512 rows are folded into the map's bitmap rows: by the worker, and painted there when it had the colours.
  const map = panel.locator('#canvas-token[data-bitmap-from]');
  await map.waitFor({ state: 'attached', timeout: 60_000 });
  assert.equal(await map.getAttribute('data-bitmap-from'), 'enginePixels');
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
