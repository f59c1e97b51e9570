/**
 * What a user meets in the panel and side panel (issue 10), in real headless Chromium with the built bundles:
 * the heatmaps on the first screen, keyboard focus never under the sticky controls, a narrow panel without a
 * horizontal scrollbar, a row click that reveals the token, the legend's text alternative, special tokens that
 * look special, a short text's empty batch explained, jumping to a token index, and a dismissable side-panel error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { bookState, type JsonPanelState } from './fixtures';
import { canvasGeometry, launchChromium, openView, startServer, violations, type StaticServer, type ViewPage } from './harness';

let browser: Browser;
let server: StaticServer;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPanel(state: JsonPanelState = bookState(), viewport = { width: 1500, height: 950 }): Promise<ViewPage> {
  const view = await openView(browser, server, 'panel', { viewport });
  await view.waitForPosted('ready');
  await view.deliverState(state);
  await view.page.waitForSelector('body[data-state=ready]');
  return view;
}

async function clean(view: ViewPage): Promise<void> {
  assert.deepEqual(await violations(view), []);
  await view.close();
}

describe('the panel a user meets', () => {
  test('at 1500 × 950 the token heatmap is on the first screen', async () => {
    const view = await openPanel();
    const top = await view.page.$eval('#canvas-token', (c) => c.getBoundingClientRect().top);
    assert.ok(top + 120 <= 950, `the token heatmap starts at y ${Math.round(top)}: at least 120 px of it must be visible`);
    // The book's shapes are one click away, and their summary line still states the input shape.
    assert.match(await view.page.innerText('.shapes-details summary'), /inputs \(7, 4\)/);
    await clean(view);
  });

  test('keyboard focus on a heatmap is never hidden under the sticky controls', async () => {
    const view = await openPanel(bookState(), { width: 1000, height: 500 });
    const page = view.page;
    // Scroll so the map's top third is under the sticky bar (still partly visible, as after Shift+Tab from the
    // values table), then focus it: the browser must bring it out from under the bar.
    const barBottom = await page.$eval('.topbar', (b) => b.getBoundingClientRect().bottom);
    await page.$eval('#canvas-position', (c, bar) => window.scrollBy(0, c.getBoundingClientRect().top - bar + 30), barBottom);
    const before = await page.$eval('#canvas-position', (c) => c.getBoundingClientRect().top);
    assert.ok(before < barBottom - 10, `set-up: the map (top ${Math.round(before)}) starts under the bar (bottom ${Math.round(barBottom)})`);
    await page.focus('#canvas-position');
    const { top, focused } = await page.$eval('#canvas-position', (c) => ({ top: c.getBoundingClientRect().top, focused: document.activeElement === c }));
    assert.ok(focused);
    const bar = await page.$eval('.topbar', (b) => b.getBoundingClientRect().bottom);
    assert.ok(top >= bar - 1, `focused map top ${Math.round(top)} is below the bar's bottom ${Math.round(bar)}`);
    await clean(view);
  });

  test('a 300 px panel has no horizontal scrollbar on any tab', async () => {
    const view = await openPanel(bookState(), { width: 300, height: 900 });
    const page = view.page;
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'Embeddings tab');
    for (const tab of ['similarity', 'projection', 'token', 'positions', 'export']) {
      await page.click(`#tab-${tab}`);
      assert.equal(await overflow(), 0, `${tab} tab`);
    }
    await view.close(); // the analysis requests stay unanswered here: only the layout is checked
  });

  test('clicking a token heatmap row selects the token and reveals it in the editor', async () => {
    const state = bookState();
    const view = await openPanel(state);
    const g = await canvasGeometry(view.page, '#canvas-token');
    await view.page.$eval('#canvas-token', (c) => c.scrollIntoView({ block: 'center' }));
    const box = (await view.page.$eval('#canvas-token', (c) => {
      const r = c.getBoundingClientRect();
      return { x: r.x, y: r.y };
    }))!;
    const row = 5;
    await view.page.mouse.click(box.x + g.area.left + g.area.width / 2, box.y + g.area.top + ((row + 0.5) * g.area.height) / g.rows);
    const reveal = (await view.waitForPosted('revealToken')).at(-1)!;
    const t = state.result.tokens[row]!;
    assert.deepEqual(reveal, { type: 'revealToken', start: t.start, end: t.end });
    assert.equal(await view.page.getAttribute('.strip .chip.selected', 'data-row'), String(row));
    await clean(view);
  });

  test('the colour legend has a text alternative', async () => {
    const view = await openPanel();
    assert.equal(await view.page.getAttribute('#canvas-legend', 'role'), 'img');
    assert.match(
      (await view.page.getAttribute('#canvas-legend', 'aria-label')) ?? '',
      /blue negative, red positive\. Shared colour scale, symmetric around 0: ±\d/,
    );
    await clean(view);
  });

  test('a special token looks special; a short text explains its empty batch', async () => {
    const state = bookState();
    state.result.tokens[3] = { ...state.result.tokens[3]!, id: 50256, text: '<|endoftext|>' };
    const shapes = state.result.shapes as Record<string, number[]>;
    shapes.inputs = [0, 4];
    shapes.tokenEmbeddings = [0, 4, state.result.dim];
    shapes.combined = [0, 4, state.result.dim];
    const view = await openPanel(state);
    assert.deepEqual(await view.page.$$eval('.strip .chip.special', (cs) => cs.map((c) => c.getAttribute('data-row'))), ['3']);
    const border = await view.page.$eval('.strip .chip.special', (c) => getComputedStyle(c).borderTopStyle);
    assert.equal(border, 'dashed');
    assert.match(await view.page.innerText('.shapes-note'), /needs context \+ 1 = 5 tokens/);
    await clean(view);
  });

  test('a long text: jump to a token index', async () => {
    const state = bookState();
    state.result.totalTokens = 100_000;
    const view = await openPanel(state);
    await view.page.fill('input[name=jumpToken]', '54321');
    await view.page.click('text=Go to token');
    assert.deepEqual((await view.waitForPosted('page')).at(-1), { type: 'page', firstToken: 54321 });
    await view.page.fill('input[name=jumpToken]', '100000');
    await view.page.click('text=Go to token');
    assert.equal(await view.page.getAttribute('input[name=jumpToken]', 'aria-invalid'), 'true', 'past the last token');
    await clean(view);
  });
});

describe('panel settings and the user’s settings', () => {
  test('a change in the panel says it stays in the panel; Apply to Settings asks the host and shows its answer', async () => {
    const view = await openPanel();
    const page = view.page;
    assert.equal(await page.isVisible('#panel-only-note'), false, 'nothing changed yet');
    await page.fill('input[name=dim]', '64');
    await page.press('input[name=dim]', 'Enter');
    assert.deepEqual((await view.waitForPosted('changeSettings')).at(-1), { type: 'changeSettings', settings: { dim: 64 } });
    await page.waitForSelector('#panel-only-note:not([hidden])');
    assert.match(await page.innerText('#panel-only-note'), /this panel only: hovers, the side view and the status bar keep your settings/);

    await page.click('#apply-settings');
    const asked = (await view.waitForPosted('request')).at(-1)!;
    assert.deepEqual(asked, { type: 'request', id: asked.id, method: 'applySettings', params: {}, channel: 'applySettings' });
    await view.deliver({ type: 'response', id: asked.id, ok: true, result: { ok: true, message: 'Saved to your settings: tokenEmbeddings.dim = 64.' } });
    await page.waitForFunction(() => document.getElementById('apply-status')?.textContent === 'Saved to your settings: tokenEmbeddings.dim = 64.');
    assert.equal(await page.isVisible('#panel-only-note'), false, 'applied: the panel shows the user’s settings again');

    // A failure (the settings file cannot be written) is shown as an error.
    await page.click('#apply-settings');
    const again = (await view.waitForPosted('request', 2)).at(-1)!;
    await view.deliver({ type: 'response', id: again.id, ok: false, error: { kind: 'internal', message: 'Unable to write to User Settings' } });
    await page.waitForSelector('#apply-status.error-text');
    assert.match(await page.innerText('#apply-status'), /Unable to write to User Settings/);
    await clean(view);
  });
});

describe('the side panel a user meets', () => {
  test('an error banner can be dismissed', async () => {
    const view = await openView(browser, server, 'sidebar', {});
    await view.waitForPosted('ready');
    await view.deliver({ type: 'error', message: 'the weights in odd-names.safetensors cannot be used' });
    const banner = view.page.locator('.error-banner');
    await banner.waitFor();
    await banner.locator('button', { hasText: 'Dismiss' }).click();
    await banner.waitFor({ state: 'hidden' });
    await clean(view);
  });
});
