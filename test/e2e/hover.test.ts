// Hovers at common embedding widths in a real VS Code (code-server + Chromium): at 256, 768 (GPT-2) and 4,096
// the hover shows the three strips as pictures (not as raw base64 text) and keeps the inspector link; and
// hovers work from startup, before any command has run (activation on onStartupFinished).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  activationTimeMs,
  assertNoExtensionErrors,
  readExtHostLog,
  changeUserSettings,
  openFile,
  showHover,
  startVSCode,
  waitFor,
  type VSCodeSession,
} from './harness';

let vs: VSCodeSession | undefined;
let opened = false;

before(async () => {
  vs = await startVSCode({ label: 'hover' });
});

after(async () => {
  await vs?.close();
});

interface HoverImages {
  count: number;
  /** Images the browser decoded into a picture (naturalWidth > 0). */
  decoded: number;
  text: string;
  links: string[];
}

async function hoverImages(page: Page): Promise<HoverImages> {
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  const images = hover.locator('img');
  const count = await images.count();
  let decoded = 0;
  for (let i = 0; i < count; i++) {
    if (
      await images
        .nth(i)
        .evaluate(
          (img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0,
        )
    )
      decoded++;
  }
  return { count, decoded, text: await hover.innerText(), links: await hover.locator('a').allInnerTexts() };
}

test('hovers and the token count work from startup, before any Token Embeddings command', { timeout: 240_000 }, async () => {
  const { page, server } = vs!;
  await openFile(page, 'the-verdict.txt');
  opened = true;
  const text = await showHover(page, { line: 1, column: 8 }, /token ID/);
  assert.match(text, /always.*token ID 1464/s);
  await page.keyboard.press('Escape');
  // The status bar counts the document's tokens without any command having run.
  await page
    .locator('.statusbar-item', { hasText: /tokens/ })
    .first()
    .waitFor();
  const ms = await activationTimeMs(server);
  console.log(`# activation time at startup: ${ms} ms (bundle load + activate)`);
  assert.match(
    readExtHostLog(server),
    /ExtensionService#_doActivateExtension token-embeddings\.token-embeddings, startup: false, activationEvent: 'onStartupFinished'/,
  );
});

for (const dim of [256, 768, 4096]) {
  test(`hover at dim ${dim}: three pictures and the inspector link`, { timeout: 240_000 }, async () => {
    const { page } = vs!;
    await changeUserSettings(page, { 'tokenEmbeddings.dim': dim });
    if (!opened) await openFile(page, 'the-verdict.txt');
    opened = true;
    // Closing settings.json brings the-verdict.txt back; focus its editor.
    await page.locator('.tabs-container .tab.active', { hasText: 'the-verdict.txt' }).waitFor();
    await page.keyboard.press('Control+1');
    await page.locator('.monaco-editor.focused').waitFor();
    // Line 1 starts "I HAD always thought…": column 8 is inside " always".
    await showHover(page, { line: 1, column: 8 }, new RegExp(`dim ${dim}\\b`));
    const shown = await waitFor(
      async () => {
        const h = await hoverImages(page);
        return h.decoded === 3 && h;
      },
      `three decoded strip images at dim ${dim}`,
      30_000,
    ).catch(async () => hoverImages(page));
    assert.equal(shown.count, 3, `three <img> in the hover: ${shown.text.slice(0, 300)}`);
    assert.equal(shown.decoded, 3, 'each strip decodes to a picture');
    assert.doesNotMatch(shown.text, /data:image|base64/, 'no raw data URI shown as text');
    assert.ok(
      shown.links.some((l) => /Open in Token Embeddings inspector/.test(l)),
      `links: ${shown.links.join(' | ')}`,
    );
    await page.keyboard.press('Escape');
  });
}

test('no errors in the extension host log', () => {
  assertNoExtensionErrors(vs!.server);
});
