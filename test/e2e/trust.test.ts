// Workspace Trust for real: code-server started WITHOUT --disable-workspace-trust, on a workspace that was
// never trusted (Restricted Mode) whose .vscode/settings.json points tokenEmbeddings.weightsPath at a valid
// GPT-2-vocabulary .safetensors file. The extension declares `untrustedWorkspaces: limited` with weightsPath
// restricted: it must run in Restricted Mode and ignore the workspace's path (random init shown). Control:
// the same file set in the machine's own settings IS loaded, so the file was never the reason.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoExtensionErrors,
  openFile,
  readExtensionLog,
  repoRoot,
  runCommand,
  selectLine,
  setMachineSettings,
  startVSCode,
  waitForPanelSource,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';
import { writeTinyGpt2Weights } from './tinyWeights';

let vs: VSCodeSession | undefined;
let workspace = '';
let weightsPath = '';

before(async () => {
  // The workspace as a user would get it from someone else: the samples plus the author's settings. It is
  // prepared before the server starts and opened in place, so VS Code reads these settings at start-up.
  workspace = mkdtempSync(join(tmpdir(), 'untrusted-workspace-'));
  cpSync(join(repoRoot, 'samples'), workspace, { recursive: true });
  weightsPath = join(workspace, 'tiny-gpt2.safetensors');
  writeTinyGpt2Weights(weightsPath);
  mkdirSync(join(workspace, '.vscode'));
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'tokenEmbeddings.weightsPath': weightsPath }, null, 2));
  vs = await startVSCode({ label: 'trust', workspaceDir: workspace, workspaceTrust: true });
});

after(async () => {
  await vs?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('an untrusted workspace: Restricted Mode, the extension runs, the workspace weightsPath is ignored', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;
  // VS Code itself says the window is restricted (status bar entry of Restricted Mode).
  await page.locator('#status\\.workspaceTrust, .statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();

  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const panel = await waitForPanelSource(page, 'random init · seed 123', 'the random init despite the workspace weightsPath');
  assert.deepEqual((await panel.locator('.strip .chip-id').allInnerTexts()).slice(0, 4), ['40', '367', '2885', '1464']);
  assert.match(
    await panel.locator('table.shapes').evaluate((table) => table.textContent ?? ''),
    /\(8, 4, 256\)/,
    'default dim and context, not the file’s 8 × 16',
  );
  assert.doesNotMatch(readExtensionLog(server), /tiny-gpt2\.safetensors/, 'the extension never opened the workspace’s file');

  // Control: the same file from the machine's own settings is used — the file was loadable all along.
  setMachineSettings(server, { 'tokenEmbeddings.weightsPath': weightsPath });
  const loaded = await waitForPanelSource(page, 'tiny-gpt2.safetensors', 'the file from the machine settings');
  assert.match(await loaded.locator('table.shapes').evaluate((table) => table.textContent ?? ''), /\(8, 16, 8\)/);
  setMachineSettings(server, {});
  await waitForPanelSource(page, 'random init · seed 123', 'the random init again');

  assertNoExtensionErrors(server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
