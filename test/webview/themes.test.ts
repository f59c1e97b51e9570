/**
 * Token chips, and the notes and marks the panel adds around its charts, are readable in every theme kind: with the `--vscode-*` variables and body classes real VS Code
 * gives a webview (captured from code-server by scripts/capture-theme-vars.ts into vscode-theme-vars.json),
 * the WCAG contrast of chip text — token and ID, even, odd and selected chips — against what is actually
 * behind it is at least 4.5:1. Colours are read with getComputedStyle, translucent layers composited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { answerTab, engineBookState } from './engineReplies';
import { bookState } from './fixtures';
import { launchChromium, openView, startServer, type StaticServer, type ViewPage } from './harness';

interface CapturedTheme {
  theme: string;
  bodyClass: string;
  vars: Record<string, string>;
}
const CAPTURED = JSON.parse(readFileSync(join(__dirname, 'vscode-theme-vars.json'), 'utf8')) as Record<string, CapturedTheme>;

type Rgba = [number, number, number, number];

/** WCAG 2 relative luminance of an opaque sRGB colour (0..255 channels). */
function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `over` drawn on an opaque `under`. */
function composite(over: Rgba, under: Rgba): Rgba {
  const a = over[3];
  return [0, 1, 2].map((i) => over[i]! * a + under[i]! * (1 - a)).concat(1) as Rgba;
}

let browser: Browser;
let server: StaticServer;
let view: ViewPage;
/** The panel after a change of its own settings, on the Similarity tab with a selected repeated token. */
let notes: ViewPage;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  view = await openView(browser, server, 'panel');
  await view.waitForPosted('ready');
  await view.deliverState(bookState());
  await view.page.waitForSelector('body[data-state=ready]');
  // A selected chip next to even and odd ones.
  await view.page.locator('.strip .chip').nth(2).click();
  await view.page.waitForSelector('.strip .chip.selected');

  // Context 5: tokens 10 and 15 (" a") share a position slot, so the slot note shows; token 10 is selected.
  const { state, inspect } = await engineBookState({ contextLength: 5, stride: 5 });
  notes = await openView(browser, server, 'panel');
  await notes.waitForPosted('ready');
  await notes.deliverState(state);
  await notes.page.waitForSelector('body[data-state=ready]');
  await notes.page.fill('input[name=stride]', '3');
  await notes.page.press('input[name=stride]', 'Enter');
  await notes.page.waitForSelector('#panel-only-note:not([hidden])');
  await answerTab(notes, 'similarity', 'similarity', inspect);
  await notes.page.waitForSelector('#same-slot-note');
  await notes.page.locator('.strip .chip').nth(10).click();
  await notes.page.waitForSelector('#sim-pairs tr.selected');
  await notes.page.waitForSelector('#sim-token-repeats .repeat-mark');
});
after(async () => {
  await notes?.close();
  await view?.close();
  await browser?.close();
  await server?.close();
});

/** Puts the captured theme on the page the way VS Code does: variables on <html>, theme classes on <body>. */
async function applyTheme(page: Page, theme: CapturedTheme): Promise<void> {
  await page.evaluate(({ vars, bodyClass }) => {
    const root = document.documentElement;
    for (const name of [...root.style].filter((n) => n.startsWith('--vscode-'))) root.style.removeProperty(name);
    for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(...bodyClass.split(' '));
  }, theme);
}

/** Text colour and the colour behind it (every translucent background up to the page composited), for an element. */
async function textAndBackground(page: Page, selector: string): Promise<{ text: Rgba; background: Rgba }> {
  const raw = await page.$eval(selector, (el) => {
    const layers: string[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor);
    return { color: getComputedStyle(el).color, layers };
  });
  const parse = (css: string): Rgba => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) throw new Error(`unexpected colour ${css}`);
    const p = m[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
  };
  // The page behind <html> is the canvas; VS Code's webview host paints the editor background there.
  let background: Rgba = parse(raw.layers.at(-1)!.startsWith('rgba(0, 0, 0, 0)') ? 'rgb(255, 255, 255)' : raw.layers.at(-1)!);
  for (const layer of raw.layers.slice(0, -1).reverse()) background = composite(parse(layer), background);
  return { text: composite(parse(raw.color), background), background };
}

/** Text the panel adds next to its controls and charts (issue 10): the notes, the ● marks, a selected pair. */
const ADDED_TEXT = {
  'panel-only note': '#panel-only-note',
  'position-slot note': '#same-slot-note',
  '● mark of a repeated row': '#sim-token-repeats .repeat-mark',
  'selected pair row': '#sim-pairs tr.selected td.tok',
};

/** The captured themes' kinds as the panel names them (body[data-theme-kind]). */
const THEME_KIND: Record<string, string> = { dark: 'dark', light: 'light', hcDark: 'highContrast', hcLight: 'highContrastLight' };

const CHIPS = {
  'even chip': '.strip .chip.even:not(.selected)',
  'odd chip': '.strip .chip.odd:not(.selected)',
  'selected chip': '.strip .chip.selected',
};

for (const kind of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`chip text is at least 4.5:1 in the ${kind} theme (${CAPTURED[kind]?.theme})`, async () => {
    const theme = CAPTURED[kind];
    assert.ok(theme, `captured variables for ${kind}`);
    await applyTheme(view.page, theme);
    const failures: string[] = [];
    for (const [what, selector] of Object.entries(CHIPS)) {
      for (const [part, sel] of [
        ['token text', `${selector} .chip-text`],
        ['id', `${selector} .chip-id`],
      ] as const) {
        const { text, background } = await textAndBackground(view.page, sel);
        const ratio = contrast(text, background);
        if (ratio < 4.5)
          failures.push(`${what} ${part}: rgb(${text.slice(0, 3).map(Math.round)}) on rgb(${background.slice(0, 3).map(Math.round)}) = ${ratio.toFixed(2)}:1`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

for (const kind of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`the panel's notes, ● marks and selected pair rows are at least 4.5:1 in the ${kind} theme`, async () => {
    const theme = CAPTURED[kind]!;
    await applyTheme(notes.page, theme);
    // The panel redraws its charts for the new theme (on the next frame), and the ● marks follow the new paint.
    await notes.page.waitForSelector(`body[data-theme-kind="${THEME_KIND[kind]}"]`);
    for (const selector of Object.values(ADDED_TEXT)) await notes.page.waitForSelector(selector);
    const failures: string[] = [];
    for (const [what, selector] of Object.entries(ADDED_TEXT)) {
      const { text, background } = await textAndBackground(notes.page, selector);
      const ratio = contrast(text, background);
      if (ratio < 4.5)
        failures.push(`${what}: rgb(${text.slice(0, 3).map(Math.round)}) on rgb(${background.slice(0, 3).map(Math.round)}) = ${ratio.toFixed(2)}:1`);
    }
    assert.deepEqual(failures, []);
  });
}
