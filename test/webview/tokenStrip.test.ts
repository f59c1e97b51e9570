/**
 * The token strip's chips after the first frame (webview/shared/tokenStrip.ts): built in short slices at idle
 * moments, so the page answers input while thousands of chips are still coming; every chip ends up present,
 * in order; new tokens stop the old slices; the keyboard reaches every chip, also before the strip is
 * complete. `data-slices` counts the slices that built chips for the current tokens; `data-complete` says
 * every chip exists. Nothing here is timed: each step waits for the state it needs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { SYNTHETIC_STATE_SOURCE } from './fixtures';
import { eventually, openView, closeClean, useBrowser, type ViewPage } from './harness';

const env = useBrowser();

/** The synthetic state's tokens (fixtures.ts), as the strip should show them. */
const WORDS = [' the', ' model', ' reads', ' tokens', ',', '\n', '\t', ' embedding'];
const syntheticChip = (i: number) => ({ text: visibleTokenText(WORDS[i % WORDS.length]!), id: String(262 + (i % 5000)) });
/** A second set of tokens, none like the synthetic ones at the same row. */
const otherChip = (i: number) => ({ text: visibleTokenText(` w${i}`), id: String(30000 + i) });

/** Page-side: posts a synthetic state whose tokens are `otherChip`'s. */
function postOtherTokens(n: number): string {
  return `(() => {
    const s = (${SYNTHETIC_STATE_SOURCE})(${n}, 16, 1024);
    let off = 0;
    s.result.tokens = s.result.tokens.map((_, i) => {
      const text = ' w' + i;
      const t = { id: 30000 + i, start: off, end: off + text.length, bytes: [], text };
      off += text.length;
      return t;
    });
    s.textLength = off;
    window.postMessage({ type: 'state', state: s }, '*');
  })()`;
}

interface StripState {
  complete: string | undefined;
  slices: number;
  chips: number;
}

const stripState = (view: ViewPage) =>
  view.page.$eval('.strip', (s) => {
    const el = s as HTMLElement;
    return { complete: el.dataset.complete, slices: Number(el.dataset.slices), chips: el.querySelectorAll('.chip').length };
  }) as Promise<StripState>;

/** Waits until the strip has built chips in at least `slices` slices and is not complete yet. */
async function waitMidway(view: ViewPage, slices: number): Promise<void> {
  await view.page.waitForFunction((n) => {
    const el = document.querySelector<HTMLElement>('.strip')!;
    if (el.dataset.complete === 'true') throw new Error(`the strip completed in ${el.dataset.slices} slices`);
    return Number(el.dataset.slices) >= n;
  }, slices);
}

/** Every chip in the strip: id, row, text and token id, in document order. */
const chipsOf = (view: ViewPage) =>
  view.page.$$eval('.strip .chip', (cs) =>
    cs.map((c) => ({ id: c.id, row: (c as HTMLElement).dataset.row, text: c.firstChild!.textContent, tokenId: c.lastChild!.textContent })),
  );

function assertChips(actual: Awaited<ReturnType<typeof chipsOf>>, n: number, expected: (i: number) => { text: string; id: string }): void {
  assert.equal(actual.length, n, 'every chip is present');
  for (let i = 0; i < n; i++) {
    const e = expected(i);
    assert.deepEqual(actual[i], { id: `chip-${i}`, row: String(i), text: e.text, tokenId: e.id }, `chip ${i}`);
  }
}

/** Whether chip `row` lies inside the strip's visible box. */
const chipInView = (view: ViewPage, row: number) =>
  view.page.$eval(`#chip-${row}`, (c) => {
    const strip = c.closest('.strip')!.getBoundingClientRect();
    const r = c.getBoundingClientRect();
    return r.width > 0 && r.top >= strip.top && r.bottom <= strip.bottom;
  });

/** Opens the panel with Chromium's CPU slowed down: the strip's slices then hold fewer chips, as on a slow machine. */
async function openSlowPanel(): Promise<ViewPage> {
  const view = await openView(env.browser, env.server, 'panel', {});
  await view.waitForPosted('ready');
  const cdp = await view.context.newCDPSession(view.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return view;
}

/**
 * Resolves after `n` idle callbacks of the page in a row: work queued for idle moments before has had its
 * turn. Each waits at most 200 ms for an idle moment (the strip's own slices wait at most 100 ms), so a page
 * that is never idle (a slow machine drawing frame after frame) does not wait forever.
 */
const idleTurns = (view: ViewPage, n: number) =>
  view.page.evaluate(`new Promise((resolve) => {
    let left = ${n};
    const next = () => (left-- > 0 ? requestIdleCallback(next, { timeout: 200 }) : resolve());
    next();
  })`);

describe('token strip after the first frame', () => {
  test('4,096 chips fill in over several slices, the page answers a key press meanwhile, all end up in order', async () => {
    const view = await openSlowPanel();
    // What the strip holds when a key press reaches it (this listener runs right after the strip's own).
    await view.page.evaluate(() => {
      const strip = document.querySelector<HTMLElement>('.strip')!;
      const seen: StripState[] = [];
      (window as unknown as { __keys: StripState[] }).__keys = seen;
      strip.addEventListener('keydown', () =>
        seen.push({ complete: strip.dataset.complete, slices: Number(strip.dataset.slices), chips: strip.querySelectorAll('.chip').length }),
      );
    });
    await view.deliverSyntheticState(4096, 16, 1024);
    await waitMidway(view, 2);
    await view.page.focus('.strip');
    await view.page.keyboard.press('ArrowRight');
    await view.page.waitForSelector('#chip-0[aria-selected=true]');
    const [key] = await view.page.evaluate(() => (window as unknown as { __keys: StripState[] }).__keys);
    assert.ok(key, 'the key press reached the strip');
    assert.equal(key.complete, 'false', 'the key press was handled before the strip was complete');
    assert.ok(key.chips < 4096, `…with ${key.chips} of 4,096 chips built`);
    assert.equal(await view.page.getAttribute('.strip', 'aria-activedescendant'), 'chip-0');
    await view.page.waitForSelector('.strip[data-complete=true]');
    const done = await stripState(view);
    assert.ok(done.slices > key.slices, `more slices followed the key press (${key.slices} then ${done.slices})`);
    assertChips(await chipsOf(view), 4096, syntheticChip);
    await closeClean(view);
  });

  test('new tokens arriving mid-way stop the old slices: only the new chips are built, once each', async () => {
    const view = await openSlowPanel();
    await view.deliverSyntheticState(4096, 16, 1024);
    await waitMidway(view, 2);
    // Every chip added once the new tokens replaced the old chips: each must be the new tokens' chip for its
    // row, added once.
    await view.page.evaluate(() => {
      const added: { row: string | undefined; text: string | null; tokenId: string | null }[] = [];
      (window as unknown as { __added: typeof added }).__added = added;
      let replaced = false;
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.removedNodes.length > 0) [replaced, added.length] = [true, 0];
          for (const n of r.addedNodes)
            if (replaced && n instanceof HTMLElement && n.classList.contains('chip'))
              added.push({ row: n.dataset.row, text: n.firstChild!.textContent, tokenId: n.lastChild!.textContent });
        }
      }).observe(document.querySelector('.strip')!, { childList: true });
    });
    await view.page.evaluate(postOtherTokens(3000));
    await view.page.waitForSelector('.strip[data-complete=true]');
    const done = await stripState(view);
    assert.ok(done.slices >= 2, `the new tokens' chips were built in slices too (${done.slices})`);
    // Idle moments go by: a slice left over from the old tokens would add chips now.
    await idleTurns(view, 5);
    assertChips(await chipsOf(view), 3000, otherChip);
    const added = await view.page.evaluate(() => (window as unknown as { __added: { row: string; text: string; tokenId: string }[] }).__added);
    assert.equal(added.length, 3000, 'each new chip was added once, and no old one');
    added.forEach((c, i) => assert.deepEqual(c, { row: String(i), text: otherChip(i).text, tokenId: otherChip(i).id }, `added chip ${i}`));
    assert.equal((await stripState(view)).slices, done.slices, 'no slice ran after the strip was complete');
    await closeClean(view);
  });

  test('once complete, the keyboard reaches the far chips and scrolls them into view', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    await view.deliverSyntheticState(4096, 16, 1024);
    await view.page.waitForSelector('.strip[data-complete=true]');
    await view.page.focus('.strip');
    for (const [key, row] of [
      ['End', 4095],
      ['ArrowLeft', 4094],
      ['Home', 0],
      ['ArrowRight', 1],
    ] as const) {
      await view.page.keyboard.press(key);
      await view.page.waitForSelector(`#chip-${row}[aria-selected=true]`);
      assert.equal(await view.page.getAttribute('.strip', 'aria-activedescendant'), `chip-${row}`, key);
      await eventually(async () => assert.ok(await chipInView(view, row), `${key}: chip ${row} is scrolled into the strip's view`));
    }
    await closeClean(view);
  });

  test('where the page has no requestIdleCallback, timer slices fill the strip', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    // (Older webview hosts.) Removed before the panel's script runs, on a reload.
    await view.page.addInitScript({ content: 'delete window.requestIdleCallback; delete window.cancelIdleCallback;' });
    await view.page.reload();
    await view.waitForPosted('ready');
    assert.equal(await view.page.evaluate('typeof requestIdleCallback'), 'undefined');
    await view.deliverSyntheticState(4096, 16, 1024);
    await view.page.waitForSelector('.strip[data-complete=true]');
    assert.ok((await stripState(view)).slices >= 2, 'in more than one slice');
    assertChips(await chipsOf(view), 4096, syntheticChip);
    await closeClean(view);
  });

  test('selecting a row before the strip is complete builds up to it at once and shows it', async () => {
    const view = await openSlowPanel();
    await view.deliverSyntheticState(4096, 16, 1024);
    await view.page.waitForSelector('body[data-state=ready]');
    await view.page.focus('.strip');
    await view.page.keyboard.press('End');
    await view.page.waitForSelector('#chip-4095[aria-selected=true]');
    assert.equal(await view.page.getAttribute('.strip', 'data-complete'), 'true', 'End built every chip');
    assert.equal(await view.page.getAttribute('.strip', 'aria-activedescendant'), 'chip-4095');
    await eventually(async () => assert.ok(await chipInView(view, 4095), 'the last chip is scrolled into view'));
    await idleTurns(view, 3);
    assertChips(await chipsOf(view), 4096, syntheticChip);
    await closeClean(view);
  });
});
