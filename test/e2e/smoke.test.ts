// Smoke test of the packaged extension in a real VS Code: the .vsix installs, its command is in the
// palette, running it on a selection activates the extension, and nothing it does logs an error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  activationTimeMs,
  assertNoExtensionErrors,
  isExtensionActivated,
  openFile,
  runCommand,
  screenshot,
  selectLine,
  selectionStatus,
  startVSCode,
  findWebviewFrame,
  webviewCspViolations,
  type VSCodeSession,
} from './harness';

let vs: VSCodeSession | undefined;

before(async () => {
  vs = await startVSCode({ label: 'smoke' });
});

after(async () => {
  await vs?.close();
});

test('Inspect Selection on the first line of the-verdict.txt activates the packaged extension', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;

  await openFile(page, 'the-verdict.txt');
  await selectLine(page, 1);
  // The first line of the-verdict.txt is 326 characters long.
  assert.match(await selectionStatus(page), /Ln 1, Col 327 \(326 selected\)/);

  await runCommand(page, 'Token Embeddings: Inspect Selection');
  // The inspector panel opens beside the editor and shows the selection's tokens.
  const panel = await findWebviewFrame(page, { title: 'Token Embeddings', selector: '.strip .chip-id' }, 60_000);
  assert.equal(await panel.locator('.strip .chip-id').first().innerText(), '40');
  await screenshot(page, 'smoke-inspect-selection');

  const ms = await activationTimeMs(server);
  assert.ok(ms > 0, `activation time logged: ${ms} ms`);
  console.log(`# activation time: ${ms} ms`);
  assert.ok(isExtensionActivated(server));
  assertNoExtensionErrors(server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
