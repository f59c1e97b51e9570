// Steps several e2e files take in the inspector panel: inspect the first line of the-verdict.txt from a reset
// workbench, and export a page matrix through code-server's save dialog (openExportDialog, then saveExport).
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { inspectorPanel, openFile, resetWorkbench, runCommand, selectLine, waitFor } from './harness';
import { acceptFileDialog, widget } from './sourceSteps';

/**
 * Default settings, no editors or notifications, then the first line of the-verdict.txt ("I HAD always … a
 * cheap genius--though a good fellow enough--so …": " a" and "--" repeat) inspected; returns the panel once it
 * shows that line's tokens (GPT-2 ids 40, 367, 2885, 1464 first).
 */
export async function inspectFirstLine(page: Page): Promise<Frame> {
  await resetWorkbench(page, { userSettings: {} });
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const panel = await inspectorPanel(page);
  await waitFor(
    async () => (await panel.locator('.strip .chip-id').allInnerTexts()).slice(0, 4).join(',') === '40,367,2885,1464' || undefined,
    'the first line’s tokens',
  );
  return panel;
}

/**
 * Export tab → `what` as `format` → Export…, until code-server's save dialog (VS Code's simple file dialog: a
 * quick input holding the proposed path) is open; returns the proposed path. A state that reaches the panel after
 * the click (the settings reset re-inspects, late on a loaded machine) cancels the export and the panel says
 * "Cancelled: the panel changed meanwhile. Try again.": the user tries again, and so does this, on that message only.
 */
export async function openExportDialog(page: Page, panel: Frame, what: string, format: string): Promise<string> {
  await panel.locator('#tab-export').click();
  await panel.locator('#export-what').selectOption(what);
  await panel.locator('#export-format').selectOption(format);
  const input = page.locator('.quick-input-widget input.input');
  const status = panel.locator('#export-status');
  for (let attempt = 1; ; attempt++) {
    await panel.locator('#export-button').click();
    const outcome = await waitFor(
      async () => ((await input.isVisible()) ? 'dialog' : /^Cancelled/.test(await status.innerText().catch(() => '')) ? 'cancelled' : undefined),
      `the save dialog (export status: ${await status.innerText().catch(() => '?')})`,
      60_000,
    );
    if (outcome === 'dialog') break;
    assert.ok(attempt < 3, 'the export was cancelled three times in a row');
  }
  return waitFor(async () => ((await input.inputValue()).endsWith(`.${format}`) ? input.inputValue() : undefined), 'the proposed file name', 30_000);
}

/**
 * Saves the export to the path its dialog proposes (openExportDialog) with the dialog's OK button, not Enter: the
 * dialog is still listing the folder when the path appears, and an Enter pressed meanwhile can be dropped (seen with
 * the open dialog of the models e2e under load), which left the test waiting for a file that never came.
 * (code-server's dialog labels it "OK", beside "Show Local", whatever saveLabel the extension asked for.)
 */
export async function saveExport(page: Page, proposed: string): Promise<void> {
  const ok = widget(page).locator('.quick-input-action .monaco-button', { hasText: /^OK$/ }).first();
  await acceptFileDialog(page, ok, proposed);
}
