// Steps of the source e2e tests (models, source progress, web): palette commands that open their own quick pick,
// choosing in it, code-server's file dialog, and the status bar's token count naming the tokenizer.
import type { Locator, Page } from 'playwright-core';
import { notificationMessages, openQuickInput, readExtensionLog, waitFor, waitForNotification, type RunningCodeServer } from './harness';

export const widget = (page: Page) => page.locator('.quick-input-widget');

/** Starts a palette command that opens its own quick pick (runCommand waits for the quick input to close). */
export async function startCommand(page: Page, title: string): Promise<void> {
  await openQuickInput(page, 'F1');
  const input = widget(page).locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await widget(page).locator('.monaco-list-row.focused', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
}

/** Chooses the row holding `label` in the quick pick titled `title`. */
export async function pick(page: Page, title: RegExp, label: string | RegExp): Promise<void> {
  await widget(page).locator('.quick-input-title', { hasText: title }).waitFor();
  const row = widget(page).locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor();
  await row.click();
}

/**
 * Types `path` into code-server's file dialog (VS Code's simple file dialog, a quick input) and accepts it. The
 * dialog opens busy: until it has listed its starting folder it overwrites what is typed, so the path is typed
 * again until it stays. A file: once the dialog lists the file's folder, its OK button takes the typed path. A folder
 * (`accept` = the dialog's OK label): Enter on a folder opens it, so the dialog is led into the folder (path + '/')
 * and its OK button takes it.
 */
export async function chooseInDialog(page: Page, title: RegExp, path: string, accept?: string): Promise<void> {
  const input = widget(page).locator('input.input');
  await widget(page).locator('.quick-input-title', { hasText: title }).waitFor();
  await widget(page).locator('.monaco-list-row').first().waitFor();
  const typed = accept ? `${path}/` : path;
  await waitFor(async () => {
    if ((await input.inputValue()) !== typed) await input.fill(typed);
    // Still the typed path a moment later (a listing that finished meanwhile would have replaced it).
    await widget(page).locator('.monaco-list-row').first().waitFor();
    return (await input.inputValue()) === typed || undefined;
  }, 'the typed path to stay in the dialog');
  // The dialog's OK button (e.g. "Use Tokenizer"), not Enter: under load an Enter pressed while the dialog was
  // still checking the typed path was dropped (the dialog stayed open on the right path; seen in 2 of 3 loaded runs).
  const ok = widget(page)
    .locator('.quick-input-action .monaco-button, .quick-input-header .monaco-button', accept ? { hasText: accept } : {})
    .first();
  if (!accept) {
    await widget(page)
      .locator('.monaco-list-row', { hasText: path.split('/').pop()! })
      .first()
      .waitFor();
  }
  await acceptFileDialog(page, ok, typed);
}

/**
 * Clicks the file dialog's OK button (`ok`) until the dialog closes, at most three times, while it still holds
 * `path`: a click (like an Enter) made while the busy dialog was still checking the path can be dropped.
 */
export async function acceptFileDialog(page: Page, ok: Locator, path: string): Promise<void> {
  const input = widget(page).locator('input.input');
  for (let attempt = 1; ; attempt++) {
    await ok.click();
    try {
      await widget(page).waitFor({ state: 'hidden', timeout: 15_000 });
      return;
    } catch (error) {
      if (attempt === 3 || (await input.inputValue()) !== path) throw error;
      process.stderr.write(`e2e: the file dialog kept ${path} open after OK (attempt ${attempt}), pressing OK again\n`);
    }
  }
}

/**
 * Select Tokenizer… (already open) → its "Open tokenizer.json…" row (`label`: the desktop row also offers .gguf files,
 * the web build's only tokenizer.json) → `path` chosen in the file dialog.
 */
export async function chooseTokenizerFile(page: Page, path: string, label = 'Open tokenizer.json or .gguf file'): Promise<void> {
  await pick(page, /Select Tokenizer/, label);
  await chooseInDialog(page, /Select Tokenizer/, path);
}

/** The status bar's token count item once it names `tokenizer` (e.g. /· gpt2$/). */
export async function statusCount(page: Page, tokenizer: RegExp): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: tokenizer }).first();
  await item.waitFor({ timeout: 120_000 });
  return (await item.innerText()).trim();
}

/**
 * waitForNotification that, when the notification does not come, says what was there instead: the toasts shown
 * and the end of the extension's log (so a failure on a loaded CI machine can be told apart from a missing feature).
 */
export async function expectNotification(page: Page, server: RunningCodeServer, text: RegExp, timeoutMs: number): Promise<Locator> {
  try {
    return await waitForNotification(page, text, timeoutMs);
  } catch (error) {
    const shown = await notificationMessages(page).catch(() => [] as string[]);
    const log = readExtensionLog(server).split('\n').slice(-20).join('\n');
    throw new Error(`no notification matching ${text}; toasts shown: ${JSON.stringify(shown)}; end of the extension log:\n${log}`, { cause: error });
  }
}
