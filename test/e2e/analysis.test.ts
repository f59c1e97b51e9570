// The panel's analysis tabs and take-away actions in a real VS Code (code-server + Chromium), driven like a
// user: inspect a line with repeated tokens, open the Similarity tab, Copy as PyTorch (clipboard + the untitled
// Python editor it offers), and Export a .npy through VS Code's own save dialog (the simple file dialog that
// code-server shows: its path box is prefilled with the workspace file, Enter accepts it).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoExtensionErrors,
  goTo,
  runCommand,
  screenshot,
  startVSCode,
  waitFor,
  waitForNotification,
  webviewCspViolations,
  type VSCodeSession,
  stripChipIds,
} from './harness';
import { inspectFirstLine, openExportDialog, saveExport } from './panelSteps';

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'analysis' });
  // Copy as PyTorch goes through the browser clipboard in code-server: let the test read it back.
  await vs.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(vs.server.workbenchUrl).origin });
});

after(async () => {
  await vs?.close();
});

/** Visible text of the active editor (Monaco renders spaces as no-break spaces). */
async function visibleEditorText(page: Page): Promise<string> {
  const text = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

test('Similarity tab: a repeated token is identical before positions and different after', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  const panel = await inspectFirstLine(page);

  await panel.locator('#tab-similarity').click();
  const rows = panel.locator('#sim-pairs tr[data-i]');
  await rows.first().waitFor({ timeout: 60_000 });
  const pairs = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      token: tr.querySelector('.tok')?.textContent ?? '',
      only: Number(tr.querySelector('.sim-token')?.textContent),
      combined: Number(tr.querySelector('.sim-combined')?.textContent),
    })),
  );
  const dashes = pairs.filter((p) => p.token === '“--”');
  assert.ok(dashes.length >= 1, `"--" is listed as repeated: ${JSON.stringify(pairs)}`);
  for (const p of pairs) assert.equal(p.only, 1, `token-only similarity of ${p.token}`);
  assert.ok(
    pairs.some((p) => p.combined < 1),
    `some repeated token differs once positions are added: ${JSON.stringify(pairs)}`,
  );
  await panel.locator('#sim-token-canvas').waitFor();
  await panel.locator('#sim-combined-canvas').waitFor();

  // The other tabs answer from the worker too.
  await panel.locator('#tab-projection').click();
  await waitFor(async () => Number((await panel.locator('#projection-canvas').getAttribute('data-arrows')) ?? 0) > 0 || undefined, 'projection arrows', 60_000);
  await panel.locator('#tab-positions').click();
  await panel.locator('#lab-rope[data-invariant="true"]').waitFor({ timeout: 60_000 });
  await panel.locator('#tab-similarity').click();
  await panel.locator('#sim-token-canvas').scrollIntoViewIfNeeded();
  await screenshot(page, 'e2e-analysis-similarity');
});

test('Copy as PyTorch fills the clipboard and opens the script in an untitled Python editor', { timeout: 180_000 }, async () => {
  const { page } = vs!;
  const panel = await inspectFirstLine(page);
  await panel.locator('#tab-export').click();
  await panel.locator('#copy-pytorch').click();
  const toast = await waitForNotification(page, 'PyTorch script copied', 60_000);
  await waitFor(async () => /copied/.test((await panel.locator('#export-status').innerText()) ?? '') || undefined, 'the panel status', 30_000);

  const clip = await page.evaluate(() =>
    (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
  );
  assert.match(clip, /torch\.manual_seed\(123\)/);
  assert.match(clip, /\[ {3}40, {3}367, {2}2885, {2}1464\]/, 'the first window of ids');

  await toast.locator('.monaco-button', { hasText: 'Open in Editor' }).click();
  await page.locator('.tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 30_000 });
  await waitFor(
    async () =>
      /Python/.test(
        await page
          .locator('.statusbar-item', { hasText: 'Python' })
          .first()
          .innerText()
          .catch(() => ''),
      ) || undefined,
    'the Python language mode',
    30_000,
  );
  await goTo(page, 62);
  await waitFor(async () => (await visibleEditorText(page)).includes('torch.manual_seed(123)') || undefined, 'torch.manual_seed(123) in the editor', 30_000);
  await goTo(page, 46);
  await waitFor(async () => (await visibleEditorText(page)).includes('[   40,   367,  2885,  1464]') || undefined, 'the ids in the editor', 30_000);
  await screenshot(page, 'e2e-copy-as-pytorch');
  // Close the untitled editor without saving it.
  await runCommand(page, 'View: Revert and Close Editor');
});

test('Export writes a NumPy .npy through the save dialog', { timeout: 180_000 }, async () => {
  const { page, server } = vs!;
  const panel = await inspectFirstLine(page);
  const proposed = await openExportDialog(page, panel, 'combined', 'npy');
  assert.ok(proposed.endsWith('input_embeddings.npy'), proposed);
  await saveExport(page, proposed);
  const target = join(server.workspaceDir, 'input_embeddings.npy');
  await waitFor(() => existsSync(target) || undefined, target, 60_000);
  await waitFor(async () => /Wrote \d[\d,]* bytes/.test(await panel.locator('#export-status').innerText()) || undefined, 'the panel reports the write', 30_000);

  const bytes = readFileSync(target);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], '\\x93NUMPY v1.0');
  const headerLen = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLen).toString('latin1');
  const chips = (await stripChipIds(panel)).length;
  assert.match(header, new RegExp(`\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(${chips}, 256\\), \\}`));
  assert.equal((10 + headerLen) % 64, 0, 'header padded to 64 bytes');
  assert.equal(bytes.length, 10 + headerLen + chips * 256 * 4);
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
