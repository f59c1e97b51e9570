/**
 * What the inspector does before its first frame (issue 14) and what it leaves for later: the token strip builds
 * the chips it shows (the rest follows), and only maps in view are drawn (the others publish their geometry and
 * axis labels at once and are drawn after that frame). Checked at the first animation frame after the state,
 * the frame that shows it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SYNTHETIC_STATE_SOURCE } from './fixtures';
import { canvasGeometry, openView, closeClean, waitForPaint, useBrowser, type ViewPage } from './harness';

const env = useBrowser();

interface FirstFrame {
  tokens: number;
  built: number;
  /** Top of the last chip built, and bottom of the strip's visible box (viewport px). */
  lastChipTop: number;
  stripBottom: number;
  /** Per map canvas: its backing width (0/300 = never sized) and whether it published its geometry. */
  maps: Record<string, { width: number; area: string; rowLabels: string; inView: boolean }>;
}

/** Posts a synthetic state and reads the page at the first animation frame that sees it handled. */
async function firstFrame(view: ViewPage, tokens: number, dim: number): Promise<FirstFrame> {
  return (await view.page.evaluate(`new Promise((resolve) => {
    const check = () => {
      if (document.body.dataset.state !== 'ready') return requestAnimationFrame(check);
      const chips = document.querySelectorAll('.strip .chip');
      const strip = document.querySelector('.strip').getBoundingClientRect();
      const maps = {};
      for (const c of document.querySelectorAll('#canvas-token, #canvas-position, #canvas-combined')) {
        const b = c.getBoundingClientRect();
        maps[c.id] = { width: c.width, area: c.dataset.area || '', rowLabels: c.dataset.rowLabels || '', inView: b.top < innerHeight && b.bottom > 0 };
      }
      resolve({ tokens: ${tokens}, built: chips.length, lastChipTop: chips[chips.length - 1].getBoundingClientRect().top, stripBottom: strip.bottom, maps });
    };
    requestAnimationFrame(check);
    window.postMessage({ type: 'state', state: (${SYNTHETIC_STATE_SOURCE})(${tokens}, ${dim}, 1024) }, '*');
  })`)) as FirstFrame;
}

describe('first paint of the inspector', () => {
  for (const width of [600, 1100, 1900]) {
    test(`the token strip builds the chips it shows first, the rest later (${width} px wide)`, async () => {
      const view = await openView(env.browser, env.server, 'panel', { viewport: { width, height: 900 } });
      await view.waitForPosted('ready');
      const f = await firstFrame(view, 2000, 16);
      assert.ok(f.built < f.tokens, `not every chip is built before the first frame (${f.built} of ${f.tokens})`);
      // The last chip built starts below the strip's visible box: every chip in view exists.
      assert.ok(f.lastChipTop >= f.stripBottom, `chips fill the visible strip (last built at ${f.lastChipTop}, strip ends at ${f.stripBottom})`);
      await view.page.waitForSelector('.strip[data-complete=true]');
      assert.equal(await view.page.$$eval('.strip .chip', (cs) => cs.length), 2000, 'the rest follows');
      await closeClean(view);
    });
  }

  test('maps out of view publish their geometry and labels at once and are drawn after the first frame', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    const f = await firstFrame(view, 1000, 64);
    const below = Object.entries(f.maps).filter(([, m]) => !m.inView);
    assert.ok(f.maps['canvas-token']?.inView && f.maps['canvas-token'].width > 300, 'the token map is in view and drawn');
    assert.ok(below.length >= 1, 'a map below the fold');
    for (const [id, m] of below) {
      assert.match(m.area, /^[\d.]+,[\d.]+,[\d.]+,[\d.]+$/, `${id} publishes its plot area`);
      assert.ok(m.rowLabels.split('\n').length >= 2, `${id} publishes its axis labels`);
      assert.ok(m.width <= 300, `${id} is not drawn before it is in view (canvas ${m.width} px)`);
      // Without scrolling: drawn at its size after the first frame.
      const g = await canvasGeometry(view.page, `#${id}`);
      await view.page.waitForFunction(([sel, w]) => document.querySelector<HTMLCanvasElement>(sel)!.width >= w, [`#${id}`, g.area.width] as const);
      await waitForPaint(view.page, `#${id}`); // and its pixels are there once scrolled to
    }
    await closeClean(view);
  });
});
