// Settings and input the extension must handle gracefully, in a real VS Code (code-server + Chromium): invalid
// settings give one warning toast and the defaults are used; special-token text is plain text unless
// tokenEmbeddings.allowSpecialTokens is on (ids checked against tiktoken's WASM build, the reference
// implementation); the panel's Cancel button stops a long inspection (the host handles the webview's
// `cancel`). Every test starts from default settings and a workbench with no editors open.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { get_encoding } from 'tiktoken';
import {
  assertNoExtensionErrors,
  changeUserSettings,
  inspectorPanel,
  openFile,
  resetWorkbench,
  runCommand,
  selectLine,
  startVSCode,
  waitFor,
  waitForNotification,
  webviewCspViolations,
  type VSCodeSession,
  stripChipIds,
} from './harness';

const SPECIAL_TEXT = 'Hello<|endoftext|>world';
/** 8,000,000 digits in 80 lines: gpt2 cuts digit runs into pairs, the slowest input per byte (see the bench). */
const DIGIT_LINES = 80;
const DIGITS_PER_LINE = 100_000;

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'input' });
  writeFileSync(join(vs.server.workspaceDir, 'special.txt'), `${SPECIAL_TEXT}\n`);
  let state = 12345;
  const line = (): string => {
    let s = '';
    for (let i = 0; i < DIGITS_PER_LINE; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      s += String(state % 10);
    }
    return s;
  };
  writeFileSync(join(vs.server.workspaceDir, 'digits.txt'), Array.from({ length: DIGIT_LINES }, line).join('\n'));
});

after(async () => {
  await vs?.close();
});

/** Default settings, no editors, no notifications: the starting point of every test here. */
async function freshStart(): Promise<void> {
  await resetWorkbench(vs!.page, { userSettings: {} });
}

async function chipIds(page = vs!.page): Promise<number[]> {
  return (await stripChipIds(await inspectorPanel(page))).map(Number);
}

test('invalid settings: one warning toast naming each, the defaults are used, "Open Settings" opens them', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await freshStart();
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  await inspectorPanel(page);

  await changeUserSettings(page, { 'tokenEmbeddings.dim': 0, 'tokenEmbeddings.seed': 'not a number' });
  const toast = await waitForNotification(page, /2 invalid settings were replaced by defaults/);
  const text = await toast.innerText();
  assert.match(text, /tokenEmbeddings\.dim/);
  assert.match(text, /tokenEmbeddings\.seed/);
  // The panel keeps working on the defaults: dim 256, seed 123.
  const panel = await inspectorPanel(page);
  await waitFor(
    async () => /\(8, 4, 256\)/.test(await panel.locator('table.shapes').evaluate((table) => table.textContent ?? '')) || undefined,
    'the default dim in the panel',
  );
  assert.match(await panel.locator('#source-label').innerText(), /seed 123/);

  await toast.locator('.monaco-button', { hasText: 'Open Settings' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'Settings' }).waitFor();
  await page.locator('.settings-editor').waitFor();
  await changeUserSettings(page, {});
  assertNoExtensionErrors(vs!.server);
});

test('special-token text: plain text by default, one special token with allowSpecialTokens (ids as tiktoken)', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await freshStart();
  const enc = get_encoding('gpt2');
  const asText = Array.from(enc.encode(SPECIAL_TEXT, [], []));
  const asSpecial = Array.from(enc.encode(SPECIAL_TEXT, 'all'));
  enc.free();
  assert.ok(!asText.includes(50256) && asSpecial.includes(50256), 'the reference tells the two apart');

  await openFile(page, 'special.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  await waitFor(async () => (await chipIds()).join(',') === asText.join(',') || undefined, `the plain-text ids ${asText.join(',')}`);

  await changeUserSettings(page, { 'tokenEmbeddings.allowSpecialTokens': true });
  await waitFor(async () => (await chipIds()).join(',') === asSpecial.join(',') || undefined, `the ids with <|endoftext|> as one token ${asSpecial.join(',')}`);
  const panel = await inspectorPanel(page);
  assert.equal(await panel.locator('.strip .chip', { has: panel.locator('.chip-id', { hasText: /^50256$/ }) }).count(), 1);
  await changeUserSettings(page, {});
  await waitFor(async () => (await chipIds()).join(',') === asText.join(',') || undefined, 'plain text again');
  assertNoExtensionErrors(vs!.server);
});

test('Cancel in the panel stops a long inspection: busy ends, the panel keeps what it showed; the next inspection works', { timeout: 300_000 }, async () => {
  const { page } = vs!;
  await freshStart();
  // The panel first, so the long inspection's busy bar is watched from its first moment: on an idle machine the
  // 8 MB inspection is busy for a second or two, less than finding a newly opened webview frame can take.
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  const panel = await inspectorPanel(page);
  await waitFor(async () => (await chipIds()).slice(0, 4).join(',') === '40,367,2885,1464' || undefined, 'the first line inspected');
  const before = await chipIds();
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
  await openFile(page, 'digits.txt');
  await page.keyboard.press('Control+A');
  await waitFor(async () => /selected\)/.test(await page.locator('#status\\.editor\\.selection').innerText()) || undefined, 'the whole file selected');
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  // 8 MB of digits take seconds to tokenize (longer on a loaded machine): Cancel while the panel says busy.
  await panel.locator('.busy:not([hidden]) button').click();
  await panel.locator('.busy').waitFor({ state: 'hidden' });
  // The host posts a finished inspection before it clears the busy bar, so a host that ignored `cancel` would
  // show the digits' tokens by now; a cancelled one still shows the first line's.
  assert.deepEqual(await chipIds(), before, 'the cancelled inspection replaced nothing');

  // The engine is not stuck: a small inspection answers (with the 8 MB editor closed, so the browser is free).
  await resetWorkbench(page);
  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  await runCommand(page, 'Token Embeddings: Inspect Selection');
  await waitFor(async () => (await chipIds()).slice(0, 4).join(',') === '40,367,2885,1464' || undefined, 'the first line inspected', 180_000);
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
