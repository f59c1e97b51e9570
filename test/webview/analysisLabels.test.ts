/**
 * What the analysis tabs say about what they show (issue 10, "understanding what is shown"), in real headless
 * Chromium with the built bundle and analysis replies from the real engine: every repeated token's row marked ●
 * beside the similarity maps, their colour bar, a repeat that stays 1.0000 after positions explained by its
 * position slot, the PCA axes and point labels, and Token-tab bars labelled by the token they are.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { AnalysisResult } from '../../src/shared/engineProtocol';
import { visibleTokenText } from '../../webview/shared/format';
import { answerTab, engineBookState } from './engineReplies';
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

async function open(state: JsonPanelState = bookState(), viewport = { width: 1100, height: 900 }): Promise<ViewPage> {
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

type Similarity = Extract<AnalysisResult, { kind: 'similarity' }>;

describe('similarity tab', () => {
  test('every row of a repeated token is marked ● beside both maps, at that row; the maps have a colour bar', async () => {
    const view = await open();
    const r = (await answerTab(view, 'similarity', 'similarity')) as Similarity;
    const repeated = [...new Set(r.repeated.flatMap((g) => g.indices))].sort((a, b) => a - b);
    // The book's first line repeats " a", "--" and " to": six rows, more than the thinned axis labels show.
    assert.deepEqual(repeated, [10, 13, 15, 19, 26, 28]);
    for (const which of ['token', 'combined']) {
      const canvas = `#sim-${which}-canvas`;
      await view.page.waitForSelector(`#sim-${which}-repeats .repeat-mark`);
      const g = await canvasGeometry(view.page, canvas);
      const marks = await view.page.$$eval(
        `#sim-${which}-repeats .repeat-mark`,
        (ms, sel) => {
          const c = document.querySelector(sel)!.getBoundingClientRect();
          return ms.map((m) => {
            const b = m.getBoundingClientRect();
            return { row: Number((m as HTMLElement).dataset.row), text: m.textContent, y: (b.top + b.bottom) / 2 - c.top, x: b.left - c.left };
          });
        },
        canvas,
      );
      assert.deepEqual(
        marks.map((m) => m.row),
        repeated,
        `${which}: one mark per repeated row`,
      );
      for (const m of marks) {
        assert.equal(m.text, '●');
        const rowTop = g.area.top + (m.row * g.area.height) / g.rows;
        const rowBottom = g.area.top + ((m.row + 1) * g.area.height) / g.rows;
        assert.ok(
          m.y >= rowTop && m.y <= rowBottom,
          `${which}: the mark of row ${m.row} (y ${m.y.toFixed(1)}) lies in its row ${rowTop.toFixed(1)}–${rowBottom.toFixed(1)}`,
        );
        assert.ok(m.x >= g.area.left + g.area.width, `${which}: the mark of row ${m.row} is right of the map, not over its cells`);
      }
    }
    // The colour bar of both maps: −1 … 1, with a text alternative.
    assert.equal(await view.page.getAttribute('#sim-legend-canvas', 'data-max-abs'), '1');
    assert.match((await view.page.getAttribute('#sim-legend-canvas', 'aria-label'))!, /−1 blue, 0 the background colour, 1 red/);
    assert.match((await view.page.textContent('#sim-legend figcaption'))!, /from −1 .* to 1/);
    // The pairs of the selected token are picked out in the table.
    await view.page.click('#chip-13, .strip .chip[data-row="13"]');
    await view.page.waitForSelector('#sim-pairs tr.selected');
    assert.deepEqual(await view.page.$$eval('#sim-pairs tr.selected', (trs) => trs.map((t) => `${t.getAttribute('data-i')}&${t.getAttribute('data-j')}`)), [
      '13&19',
    ]);
    await clean(view);
  });

  test('a repeat that stays 1.0000 after adding positions is explained by its position slot (i mod context length)', async () => {
    // Context 5: " a" at tokens 10 and 15 both sit at slot 0 (10 mod 5 = 15 mod 5), so they get the same
    // positional row and stay identical; "--" at 13 and 19 (slots 3 and 4) do not.
    const { state, inspect } = await engineBookState({ contextLength: 5, stride: 5 });
    const view = await open(state);
    const r = (await answerTab(view, 'similarity', 'similarity', inspect)) as Similarity;
    const same = r.pairs.find((p) => p.i === 10 && p.j === 15)!;
    assert.equal(same.combinedSimilarity.toFixed(4), '1.0000', 'the engine: same slot, same vector');
    const row = '#sim-pairs tr[data-i="10"][data-j="15"]';
    await view.page.waitForSelector(row);
    assert.equal(await view.page.textContent(`${row} .sim-combined`), '1.0000');
    assert.equal(await view.page.textContent(`${row} .sim-slots`), '0 & 0 (same)');
    assert.equal(await view.page.getAttribute(row, 'class'), 'same-slot');
    assert.equal(await view.page.textContent('#sim-pairs tr[data-i="13"][data-j="19"] .sim-slots'), '3 & 4');
    assert.match((await view.page.textContent('#same-slot-note'))!, /stays 1\.0000 .* same position slot: positions restart every 5 tokens .* slot i mod 5/);
    await clean(view);
  });

  test('without a pair at the same slot there is no slot note; with positions off every repeat is explained', async () => {
    const view = await open();
    await answerTab(view, 'similarity', 'similarity');
    await view.page.waitForSelector('#sim-pairs tr[data-i]');
    assert.equal(await view.page.$('#same-slot-note'), null, 'the book’s repeats all sit at different slots');
    await view.close();

    const { state, inspect } = await engineBookState({ positional: 'none' });
    const off = await open(state);
    await answerTab(off, 'similarity', 'similarity', inspect);
    await off.page.waitForSelector('#same-slot-note');
    assert.match((await off.page.textContent('#same-slot-note'))!, /Positions are off \(none\).*every repeat stays 1\.0000/);
    await clean(off);
  });
});

describe('projection and token tabs', () => {
  test('PCA axes say how much variance they explain; every square is labelled with its token', async () => {
    const view = await open();
    const r = (await answerTab(view, 'projection', 'projection')) as Extract<AnalysisResult, { kind: 'projection' }>;
    await view.page.waitForSelector('#projection-canvas[data-labels]');
    assert.equal(await view.page.getAttribute('#projection-canvas', 'data-labels'), '32');
    const [pc1, pc2] = r.explainedVarianceRatio.map((v) => (v * 100).toFixed(1));
    const label = (await view.page.getAttribute('#projection-canvas', 'aria-label'))!;
    assert.ok(label.includes(`x = PC1 (${pc1}% of the variance), y = PC2 (${pc2}% of the variance)`), label);
    assert.match(label, /circles are token vectors, squares token \+ position vectors/);
    await clean(view);
  });

  test('the Token tab’s bars are labelled with their token (index and text), also when labels are thinned', async () => {
    const state = bookState();
    // 600 px: chart.js cannot fit 32 labels and skips some; those left must still name their token.
    const view = await open(state, { width: 600, height: 900 });
    await answerTab(view, 'token', 'tokenStats');
    await view.page.waitForSelector('#token-norms-canvas[data-x-ticks]');
    const ticks = JSON.parse((await view.page.getAttribute('#token-norms-canvas', 'data-x-ticks'))!) as string[];
    assert.ok(ticks.length > 1 && ticks.length < 32, `labels thinned to ${ticks.length}`);
    const indices = ticks.map((t) => {
      const m = /^(\d+) (.*)$/s.exec(t);
      assert.ok(m, `label "${t}" starts with the token index`);
      const i = Number(m[1]);
      assert.equal(m[2], visibleTokenText(state.result.tokens[i]!.text), `label of token ${i}`);
      return i;
    });
    assert.equal(new Set(indices).size, indices.length, `each label names a different token: ${ticks.join(' | ')}`);
    await clean(view);
  });
});
