// Smoke test of the packaged extension in a real VS Code: the .vsix installs, its command is in the
// palette, running it on a selection activates the extension, and nothing it does logs an error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  activationTimeMs,
  assertNoExtensionErrors,
  extensionId,
  isExtensionActivated,
  openFile,
  readExtHostLog,
  repoRoot,
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
  // Screenshots go to an ignored folder: running the tests leaves the git tree clean.
  const shot = await screenshot(page, 'smoke-inspect-selection');
  const ignored = spawnSync('git', ['check-ignore', '-q', shot], { cwd: repoRoot });
  assert.equal(ignored.status, 0, `${shot} must be ignored by git (README images are refreshed by npm run screenshots)`);

  // VS Code activated it for an event the manifest declares (its activation events, or a contributed
  // command or view), never for '*': the host logs the event that triggered the activation.
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    activationEvents?: string[];
    contributes: { commands: { command: string }[]; views?: Record<string, { id: string }[]> };
  };
  const declared = new Set([
    ...(manifest.activationEvents ?? []),
    ...manifest.contributes.commands.map((c) => `onCommand:${c.command}`),
    ...Object.values(manifest.contributes.views ?? {})
      .flat()
      .map((v) => `onView:${v.id}`),
  ]);
  declared.delete('*');
  const activation = new RegExp(`_doActivateExtension ${extensionId.replace(/\./g, '\\.')}, startup: \\w+, activationEvent: '([^']+)'`).exec(
    readExtHostLog(server),
  );
  assert.ok(activation, 'the extension host logged our activation');
  assert.ok(declared.has(activation[1]!), `activated by '${activation[1]}', one of: ${[...declared].join(', ')}`);
  // The time is information for the log, not a test (speed is measured by the benchmarks).
  console.log(`# activation time: ${await activationTimeMs(server)} ms`);
  assert.ok(isExtensionActivated(server));
  assertNoExtensionErrors(server);
  assert.deepEqual(webviewCspViolations(vs!), []);
});
