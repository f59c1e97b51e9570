/**
 * What a user meets in the panel and side panel (issue 10), in real headless Chromium with the built bundles:
 * the heatmaps on the first screen, keyboard focus never under the sticky controls, a narrow panel without a
 * horizontal scrollbar, a row click that reveals the token, the legend's text alternative, special tokens that
 * look special, a short text's empty batch explained, jumping to a token index, and a dismissable side-panel error.
 * Then what the analysis tabs say about what they show (analysis replies from the real engine): every repeated
 * token's row marked ● beside the similarity maps, their colour bar, a repeat that stays 1.0000 after positions
 * explained by its position slot, the PCA axes and point labels, and Token-tab bars labelled by their token; and
 * "Apply to Settings" for the panel's own setting changes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisResult } from '../../src/shared/engineProtocol';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { answerTab, engineBookState } from './engineReplies';
import { bookState, type JsonPanelState } from './fixtures';
import { canvasGeometry, openView, closeClean, type ViewPage, useBrowser } from './harness';

const env = useBrowser();

async function openPanel(state: JsonPanelState = bookState(), viewport = { width: 1500, height: 950 }): Promise<ViewPage> {
  const view = await openView(env.browser, env.server, 'panel', { viewport });
  await view.waitForPosted('ready');
  await view.deliverState(state);
  await view.page.waitForSelector('body[data-state=ready]');
  return view;
}

describe('the panel a user meets', () => {
  test('at 1500 × 950 the token heatmap is on the first screen', async () => {
    const view = await openPanel();
    const top = await view.page.$eval('#canvas-token', (c) => c.getBoundingClientRect().top);
    assert.ok(top + 120 <= 950, `the token heatmap starts at y ${Math.round(top)}: at least 120 px of it must be visible`);
    // The book's shapes are one click away, and their summary line still states the input shape.
    assert.match(await view.page.innerText('.shapes-details summary'), /inputs \(7, 4\)/);
    await closeClean(view);
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
    await closeClean(view);
  });

  test('a 300 px panel has no horizontal scrollbar on any tab', async () => {
    const view = await openPanel(bookState(), { width: 300, height: 900 });
    const page = view.page;
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'Embeddings tab');
    // Each analysis tab with its real answer drawn (charts, ● marks, colour bar, pairs table), then Export.
    for (const [tab, kind] of [
      ['similarity', 'similarity'],
      ['projection', 'projection'],
      ['token', 'tokenStats'],
      ['positions', 'positionalLab'],
    ] as const) {
      await answerTab(view, tab, kind);
      await page.waitForFunction((id) => {
        const status = document.querySelector(`#tabpanel-${id} .analysis-status`)?.textContent;
        return status && status !== 'Computing…';
      }, tab);
      assert.equal(await overflow(), 0, `${tab} tab`);
    }
    await page.click('#tab-export');
    assert.equal(await overflow(), 0, 'export tab');
    await closeClean(view);
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
    await closeClean(view);
  });

  test('the colour legend has a text alternative', async () => {
    const view = await openPanel();
    assert.equal(await view.page.getAttribute('#canvas-legend', 'role'), 'img');
    assert.match(
      (await view.page.getAttribute('#canvas-legend', 'aria-label')) ?? '',
      /blue negative, red positive\. Shared colour scale, symmetric around 0: ±\d/,
    );
    await closeClean(view);
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
    await closeClean(view);
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
    await closeClean(view);
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
    await closeClean(view);
  });
});

describe('the settings form and a state the host sends again', () => {
  test('the same settings again leave a value being typed alone; other settings replace it', async () => {
    const state = bookState();
    const view = await openPanel(state);
    const page = view.page;
    // The host replays its state when the panel loads and asks (ready), which can follow the same state just posted.
    await page.fill('input[name=seed]', '7');
    await view.deliverState(state);
    await view.flush(); // a message after it has been handled: so has the state
    assert.equal(await page.inputValue('input[name=seed]'), '7', 'still what the user typed');
    await page.press('input[name=seed]', 'Enter');
    assert.deepEqual((await view.waitForPosted('changeSeed')).at(-1), { type: 'changeSeed', seed: '7' });

    // A state with other settings is shown as it is.
    await page.fill('input[name=dim]', '99');
    await view.deliverState({ ...state, settings: { ...state.settings, weights: { kind: 'random', seed: '7' } } });
    await view.flush();
    assert.equal(await page.inputValue('input[name=dim]'), String(state.settings.dim), 'the state’s dim, not the unsent 99');
    await closeClean(view);
  });
});

type Similarity = Extract<AnalysisResult, { kind: 'similarity' }>;

describe('similarity tab', () => {
  test('every row of a repeated token is marked ● beside both maps, at that row; the maps have a colour bar', async () => {
    const view = await openPanel();
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
    // The rows drawn on the axis say which token they are: index (● when repeated) and text.
    const state = bookState();
    const rowLabels = (await view.page.getAttribute('#sim-token-canvas', 'data-row-labels'))!.split('\n');
    assert.ok(rowLabels.length > 1, 'some rows are labelled');
    for (const l of rowLabels) {
      const m = /^(\d+)(●?) (.*)$/su.exec(l);
      assert.ok(m, `row label "${l}"`);
      const i = Number(m[1]);
      assert.equal(m[2] === '●', repeated.includes(i), `● on row ${i}`);
      assert.ok(visibleTokenText(state.result.tokens[i]!.text).startsWith(m[3]!.replace(/…$/, '')), `row ${i} label "${l}" shows its text`);
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
    await closeClean(view);
  });

  test('a repeat that stays 1.0000 after adding positions is explained by its position slot (i mod context length)', async () => {
    // Context 5: " a" at tokens 10 and 15 both sit at slot 0 (10 mod 5 = 15 mod 5), so they get the same
    // positional row and stay identical; "--" at 13 and 19 (slots 3 and 4) do not.
    const { state, inspect } = await engineBookState({ contextLength: 5, stride: 5 });
    const view = await openPanel(state);
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
    await closeClean(view);
  });

  test('without a pair at the same slot there is no slot note; with positions off every repeat is explained', async () => {
    const view = await openPanel();
    await answerTab(view, 'similarity', 'similarity');
    await view.page.waitForSelector('#sim-pairs tr[data-i]');
    assert.equal(await view.page.$('#same-slot-note'), null, 'the book’s repeats all sit at different slots');
    await view.close();

    const { state, inspect } = await engineBookState({ positional: 'none' });
    const off = await openPanel(state);
    await answerTab(off, 'similarity', 'similarity', inspect);
    await off.page.waitForSelector('#same-slot-note');
    assert.match((await off.page.textContent('#same-slot-note'))!, /Positions are off \(none\).*every repeat stays 1\.0000/);
    await closeClean(off);
  });
});

describe('projection and token tabs', () => {
  test('PCA axes say how much variance they explain; every square is labelled with its token', async () => {
    const view = await openPanel();
    const r = (await answerTab(view, 'projection', 'projection')) as Extract<AnalysisResult, { kind: 'projection' }>;
    await view.page.waitForSelector('#projection-canvas[data-labels]');
    assert.equal(await view.page.getAttribute('#projection-canvas', 'data-labels'), '32');
    const [pc1, pc2] = r.explainedVarianceRatio.map((v) => (v * 100).toFixed(1));
    const label = (await view.page.getAttribute('#projection-canvas', 'aria-label'))!;
    assert.ok(label.includes(`x = PC1 (${pc1}% of the variance), y = PC2 (${pc2}% of the variance)`), label);
    assert.match(label, /circles are token vectors, squares token \+ position vectors/);
    await closeClean(view);
  });

  test('the Token tab’s bars are labelled with their token (index and text), also when labels are thinned', async () => {
    const state = bookState();
    // 600 px: chart.js cannot fit 32 labels and skips some; those left must still name their token.
    const view = await openPanel(state, { width: 600, height: 900 });
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
    await closeClean(view);
  });
});

describe('the side panel a user meets', () => {
  test('an error banner can be dismissed', async () => {
    const view = await openView(env.browser, env.server, 'sidebar', {});
    await view.waitForPosted('ready');
    await view.deliver({ type: 'error', message: 'the weights in odd-names.safetensors cannot be used' });
    const banner = view.page.locator('.error-banner');
    await banner.waitFor();
    await banner.locator('button', { hasText: 'Dismiss' }).click();
    await banner.waitFor({ state: 'hidden' });
    await closeClean(view);
  });
});
