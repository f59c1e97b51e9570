/**
 * Issue 10, "which token is each heatmap row": the token maps' row axis names each labelled row by its index
 * and its visible text; at 1,000+ rows only as many rows as fit one per text line are labelled, and the row
 * under the pointer is labelled while hovered. The canvas publishes what it wrote on the axis
 * (data-row-labels, data-hover-label); the pixels are checked only for "text was drawn there" (any
 * non-transparent pixel in the label's band), never for exact glyphs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { bookState } from './fixtures';
import { canvasGeometry, eventually, openView, closeClean, waitForPaint, type ViewPage, useBrowser } from './harness';

const env = useBrowser();

/** The words SYNTHETIC_STATE_SOURCE cycles through, token i being WORDS[i % 8]. */
const WORDS = [' the', ' model', ' reads', ' tokens', ',', '\n', '\t', ' embedding'];

async function rowLabels(view: ViewPage, canvas: string): Promise<string[]> {
  const text = await view.page.getAttribute(canvas, 'data-row-labels');
  return text ? text.split('\n') : [];
}

/** Whether anything was drawn in the y-axis label band of `row` (left of the plot area). */
async function labelInked(view: ViewPage, canvas: string, row: number): Promise<boolean> {
  return view.page.$eval(
    canvas,
    (c, r) => {
      const el = c as HTMLCanvasElement;
      const [left, top, , height] = el.dataset.area!.split(',').map(Number);
      const rows = Number(el.dataset.rows);
      const y = Math.round(top! + ((r + 0.5) * height!) / rows);
      const band = el.getContext('2d')!.getImageData(0, y - 3, Math.floor(left!) - 6, 7).data;
      for (let i = 3; i < band.length; i += 4) if (band[i]! > 0) return true;
      return false;
    },
    row,
  );
}

describe('token text on the heatmap axes', () => {
  test('a short page labels its rows with index and visible token text', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    const state = bookState();
    await view.deliverState(state);
    await view.page.waitForSelector('body[data-state=ready]');
    for (const canvas of ['#canvas-token', '#canvas-combined']) {
      // (A map below the fold is drawn when it scrolls into view: waitForPaint scrolls to it.)
      await waitForPaint(view.page, canvas);
      const labels = await rowLabels(view, canvas);
      assert.ok(labels.length >= 8, `${canvas}: at least every fourth of 32 rows is labelled (${labels.length})`);
      for (const label of labels) {
        const m = /^(\d+) (.+)$/.exec(label);
        assert.ok(m, `label “${label}” is “index text”`);
        const row = Number(m[1]);
        assert.equal(m[2], visibleTokenText(state.result.tokens[row]!.text), `row ${row}`);
      }
      // “0 I”, “2 AD”: the book's tokens, not only their indices.
      assert.equal(labels[0], '0 I');
      assert.ok(await labelInked(view, canvas, 0), `${canvas}: the first label is drawn`);
    }
    // The position map keeps its slot numbers.
    assert.deepEqual(await rowLabels(view, '#canvas-position'), ['0', '1', '2', '3']);
    await closeClean(view);
  });

  test('at 1,000 rows only as many rows as fit are labelled; the hovered row is labelled too; a click reveals it', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    await view.deliverSyntheticState(1000, 768, 1024);
    await view.page.waitForSelector('body[data-state=ready]');
    await waitForPaint(view.page, '#canvas-token');
    const g = await canvasGeometry(view.page, '#canvas-token');
    assert.equal(g.rows, 1000);
    const labels = await rowLabels(view, '#canvas-token');
    const rows = labels.map((l) => Number(/^(\d+) /.exec(l)![1]));
    const fontPx = await view.page.$eval('body', (b) => parseFloat(getComputedStyle(b).getPropertyValue('--vscode-font-size')) - 2);
    assert.ok(labels.length >= 5, `some rows are labelled (${labels.length})`);
    assert.ok(labels.length <= Math.floor(g.area.height / fontPx), `no more labels (${labels.length}) than text lines fit in ${g.area.height} px`);
    for (let i = 0; i < labels.length; i++) {
      assert.equal(labels[i], `${rows[i]} ${visibleTokenText(WORDS[rows[i]! % WORDS.length]!)}`);
      if (i > 0) assert.ok(((rows[i]! - rows[i - 1]!) * g.area.height) / g.rows >= fontPx, 'labels do not overlap');
    }
    // A row without a label gets one while the pointer is on it, and the tooltip names the same token. (Rows
    // are thinner than a pixel here: the row under the pointer is read back from the tooltip.)
    const aim = rows[1]! + Math.floor((rows[2]! - rows[1]!) / 2); // between two labelled rows
    await view.page.$eval('#canvas-token', (el) => el.scrollIntoView({ block: 'center' }));
    const box = (await canvasGeometry(view.page, '#canvas-token')).box;
    const y = box.y + g.area.top + ((aim + 0.5) * g.area.height) / g.rows;
    await view.page.mouse.move(box.x + g.area.left + g.area.width / 2, y);
    await view.page.waitForSelector('#heatmap-tooltip:not([hidden])');
    const row = Number(/token (\d+) · position/.exec((await view.page.textContent('#heatmap-tooltip'))!)![1]);
    assert.ok(Math.abs(row - aim) <= 2 && !rows.includes(row), `hovering row ${row}, an unlabelled one`);
    const expected = `${row} ${visibleTokenText(WORDS[row % WORDS.length]!)}`;
    await eventually(async () => assert.equal(await view.page.getAttribute('#canvas-token', 'data-hover-label'), expected));
    assert.ok(await labelInked(view, '#canvas-token', row), 'the hovered row’s label is drawn');
    // Clicking the row selects it and reveals that token in the editor, like its chip.
    await view.page.mouse.click(box.x + g.area.left + g.area.width / 2, y);
    let start = 0;
    for (let i = 0; i < row; i++) start += WORDS[i % WORDS.length]!.length;
    assert.deepEqual((await view.waitForPosted('revealToken')).at(-1), { type: 'revealToken', start, end: start + WORDS[row % WORDS.length]!.length });
    await eventually(async () => assert.equal((await canvasGeometry(view.page, '#canvas-token')).selectedRow, row));
    // Leaving the map removes the hover label.
    await view.page.mouse.move(2, 2);
    await eventually(async () => assert.equal(await view.page.getAttribute('#canvas-token', 'data-hover-label'), ''));
    await closeClean(view);
  });
});
