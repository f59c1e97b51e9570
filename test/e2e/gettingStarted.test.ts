// What a new user meets first, in a real VS Code (code-server + Chromium): the extension's details page shows
// the README's picture (not a broken image), and the Getting Started walkthrough's first step opens the sample
// and runs the first inspection.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoExtensionErrors,
  findWebviewFrame,
  runCommand,
  startVSCode,
  waitFor,
  webviewCspViolations,
  type VSCodeSession,
  openQuickInput,
} from './harness';

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'getting-started' });
});

after(async () => {
  await vs?.close();
});

test('the details page leads with what it does and shows its picture', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  await runCommand(page, 'Extensions: Show Enabled Extensions');
  await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Token Embeddings' }).first().click();
  const details = await findWebviewFrame(page, { text: 'How to use it' }, 60_000);
  const image = details.locator('img').first();
  await image.waitFor();
  const decoded = await waitFor(
    () =>
      image.evaluate((img) =>
        (img as unknown as { naturalWidth: number }).naturalWidth > 0 ? (img as unknown as { naturalWidth: number }).naturalWidth : false,
      ),
    'the README picture to load',
    30_000,
  );
  assert.ok(decoded > 0);
  const text = await details.locator('body').innerText();
  assert.ok(text.indexOf('How to use it') < text.indexOf('Set-up (fresh machine)'), 'usage before developer set-up');
  await runCommand(page, 'View: Close Editor');
});

test('the walkthrough opens the sample and inspects it', { timeout: 240_000 }, async () => {
  const { page } = vs!;
  // By hand, not runCommand (which waits for the quick input to close: this command opens a second pick in it).
  const input = page.locator('.quick-input-widget input.input');
  await openQuickInput(page, 'F1');
  await input.fill('>Welcome: Open Walkthrough');
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Open Walkthrough' }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with Token Embeddings' }).first().click();
  const button = page
    .locator('.gettingStartedContainer', { hasText: 'Inspect your first text' })
    .locator('.button-link, .monaco-button', { hasText: 'Open the Sample and Inspect It' })
    .first();
  await button.waitFor({ timeout: 60_000 });
  await button.click();
  const panel = await findWebviewFrame(page, { title: 'Token Embeddings', selector: '.strip .chip-id' }, 60_000);
  // The sample's first line starts "I HAD always thought": GPT-2 ids 40, 367, 2885, 1464.
  const ids = (await panel.locator('.strip .chip-id').allInnerTexts()).slice(0, 4).map(Number);
  assert.deepEqual(ids, [40, 367, 2885, 1464]);
  assertNoExtensionErrors(vs!.server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
