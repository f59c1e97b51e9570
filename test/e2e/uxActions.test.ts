// What a user meets around the panel (issue 10), in a real VS Code (code-server + Chromium), driven like a user:
// the random init's nearest tokens called noise, the special-token notice's "Turn On Special Tokens", Inspect
// Selection with only a cursor in a long text starting at the cursor's page (and "Go to token"), the export
// notification's "Reveal in Explorer", "Apply to Settings" writing the panel's own changes to the settings, and a
// closed panel's own changes going with it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { get_encoding } from 'tiktoken';
import {
  assertNoExtensionErrors,
  inspectorPanel,
  openFile,
  resetWorkbench,
  runCommand,
  selectLine,
  selectionStatus,
  startVSCode,
  waitFor,
  waitForNotification,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';
import { inspectFirstLine, openExportDialog, saveExport } from './panelSteps';

const SPECIAL_TEXT = 'Hello<|endoftext|>world';
const ENDOFTEXT = 50256;

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'ux' });
  writeFileSync(join(vs.server.workspaceDir, 'special.txt'), `${SPECIAL_TEXT}\n`);
});

after(async () => {
  await vs?.close();
});

/** The user settings file as code-server keeps it on disk. */
function userSettings(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(vs!.server.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

test('random init: the nearest-tokens list says its neighbours are noise', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  const panel = await inspectFirstLine(page);
  await panel.locator('.strip .chip').nth(5).click(); // " Jack"
  const section = panel.locator('#neighbors[data-status="ready"]');
  await section.waitFor({ timeout: 60_000 });
  assert.ok((await panel.locator('#neighbors-list .neighbor').count()) > 0, 'the list has neighbours');
  const note = panel.locator('#neighbors .neighbors-status.noise-note');
  assert.match(await note.innerText(), /Random init: .*noise, not meaning.*Load learned weights/);
});

test('special-token text: "Turn On Special Tokens" in the notice sets the setting and the panel reads one special token', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await resetWorkbench(page, { userSettings: {} });
  await openFile(page, 'special.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const toast = await waitForNotification(page, /contains <\|endoftext\|>, which is tokenized as plain text/);
  const panel = await inspectorPanel(page);
  await waitFor(async () => (await panel.locator('.strip .chip').count()) > 3 || undefined, 'the plain-text tokens');
  assert.equal(await panel.locator('.strip .chip.special').count(), 0, 'plain text: no special token yet');

  await toast.locator('.monaco-button', { hasText: 'Turn On Special Tokens' }).click();
  await waitFor(() => userSettings()['tokenEmbeddings.allowSpecialTokens'] === true || undefined, 'allowSpecialTokens in the user settings');
  // The settings change re-inspects: "Hello", <|endoftext|> (one id), "world".
  const special = panel.locator('.strip .chip.special');
  await special.waitFor({ timeout: 60_000 });
  assert.equal(await special.locator('.chip-id').innerText(), String(ENDOFTEXT));
  assert.equal(await panel.locator('.strip .chip.special').count(), 1);
});

test(
  'Inspect Selection with only a cursor in a long text starts at the cursor’s page with its token selected; Go to token jumps',
  { timeout: 240_000 },
  async () => {
    const { page, server } = vs!;
    const text = readFileSync(join(server.workspaceDir, 'the-verdict.txt'), 'utf8');
    const enc = get_encoding('gpt2');
    const total = enc.encode(text).length;
    enc.free();
    const maxTokens = 512;
    assert.ok(total > 2 * maxTokens, `the-verdict.txt has ${total} tokens: several pages`);
    await resetWorkbench(page, { userSettings: {} });
    await openFile(page, 'the-verdict.txt');
    await page.keyboard.press('Control+End');
    const lastLine = text.split('\n').length;
    await waitFor(async () => (await selectionStatus(page)).startsWith(`Ln ${lastLine},`) || undefined, 'the cursor at the end of the file');
    await runCommand(page, 'Token Embeddings: Inspect Selection');
    const panel = await inspectorPanel(page);

    // The cursor sits after the last character: its token is the last one, on the last page.
    const last = total - 1;
    const first = last - (last % maxTokens);
    const fmt = (n: number) => n.toLocaleString('en-US');
    const info = panel.locator('.page-info');
    await waitFor(
      async () => (await info.innerText().catch(() => '')) === `tokens ${fmt(first)}–${fmt(last)} of ${fmt(total)}` || undefined,
      `page ${first}–${last}`,
    );
    assert.equal(await panel.locator('.strip .chip.selected').getAttribute('data-row'), String(last - first), 'the cursor’s token is selected');

    await panel.locator('input[name=jumpToken]').fill('1000');
    await panel.locator('button', { hasText: 'Go to token' }).click();
    await waitFor(async () => (await info.innerText().catch(() => '')) === `tokens 1,000–1,511 of ${fmt(total)}` || undefined, 'the page from token 1,000');
  },
);

test('Export: the notification offers "Reveal in Explorer", which shows the written file', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;
  const panel = await inspectFirstLine(page);
  const proposed = await openExportDialog(page, panel, 'ids', 'json');
  const name = proposed.split('/').pop()!;
  await saveExport(page, proposed);
  await waitFor(() => existsSync(join(server.workspaceDir, name)) || undefined, name);

  const toast = await waitForNotification(page, /Wrote \d[\d,]* bytes to .*\.json/);
  await toast.locator('.monaco-button', { hasText: 'Reveal in Explorer' }).click();
  // The Explorer shows, and selects, the file.
  await page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: name }).waitFor({ timeout: 30_000 });
});

test('Apply to Settings writes the seed changed in the panel to the user settings', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  const panel = await inspectFirstLine(page);
  assert.equal(userSettings()['tokenEmbeddings.seed'], undefined, 'the default seed to start with');
  const seed = panel.locator('input[name=seed]');
  await seed.fill('7');
  await seed.press('Enter');
  await waitFor(async () => /seed 7\b/.test(await panel.locator('#source-label').innerText()) || undefined, 'the panel on seed 7');
  // (innerText alone would read a hidden note too.)
  const note = panel.locator('#panel-only-note');
  assert.ok(await note.isVisible(), 'the panel says the seed is its own');
  assert.match(await note.innerText(), /this panel only/);

  await panel.locator('#apply-settings').click();
  await waitFor(
    async () => /Saved to your settings: tokenEmbeddings\.seed = 7\b/.test(await panel.locator('#apply-status').innerText()) || undefined,
    'the panel’s answer',
  );
  await waitFor(() => userSettings()['tokenEmbeddings.seed'] === '7' || undefined, 'tokenEmbeddings.seed = "7" in the user settings file');
  assert.equal(await note.isVisible(), false);
  // The settings now hold seed 7: the panel, re-inspected from them, still shows it.
  await waitFor(async () => /seed 7\b/.test(await panel.locator('#source-label').innerText()) || undefined, 'the panel on seed 7 from the settings');
});

test('a closed panel takes its own changes with it: the next panel shows the settings', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  const closing = await inspectFirstLine(page);
  await closing.locator('input[name=dim]').fill('64');
  await closing.locator('input[name=dim]').press('Enter');
  await closing.locator('table.shapes', { hasText: '(8, 4, 64)' }).waitFor({ state: 'attached', timeout: 60_000 });
  // Closed without a settings change (which would reset the panel's changes anyway); its webview goes with it.
  await resetWorkbench(page);
  await waitFor(() => closing.isDetached() || undefined, 'the closed panel’s webview to go');
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  // A new panel: its first state is the host's (chips are drawn with the controls, from the same state).
  const panel = await inspectorPanel(page);
  assert.equal(await panel.locator('input[name=dim]').inputValue(), '256', 'the settings’ dim, not the closed panel’s 64');
  assert.equal(await panel.locator('#panel-only-note').isVisible(), false);
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
