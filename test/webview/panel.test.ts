/**
 * The inspector panel in real headless Chromium: the built bundle, the page from renderWebviewHtml (strict
 * CSP), real GPT-2 tokens and real PyTorch rows. Only acquireVsCodeApi is a stand-in (see harness.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDivergingLut, cellCenter, colorForValue, parseCssColor, robustScale } from '../../webview/shared/heatmapMath';
import { fmt4 } from '../../webview/shared/format';
import { bookState, type JsonPanelState } from './fixtures';
import {
  THEMES,
  assertColourNear,
  canvasGeometry,
  cellPixel,
  eventually,
  openView,
  pixelAt,
  waitForPaint,
  expectClean,
  type ThemeName,
  type ViewPage,
  useBrowser,
} from './harness';

const env = useBrowser();

function themeLut(name: ThemeName): Uint8ClampedArray {
  const v = THEMES[name].vars as Record<string, string>;
  return buildDivergingLut(
    parseCssColor(v['--vscode-charts-blue']!)!,
    parseCssColor(v['--vscode-editor-background']!)!,
    parseCssColor(v['--vscode-charts-red']!)!,
  );
}

function arrays(s: JsonPanelState) {
  return {
    tok: Float32Array.from(s.result.tokenEmbeddings),
    pos: Float32Array.from(s.result.positionalEmbeddings),
    comb: Float32Array.from(s.result.combinedEmbeddings),
  };
}

async function openBook(theme: ThemeName = 'dark'): Promise<{ view: ViewPage; state: JsonPanelState }> {
  const view = await openView(env.browser, env.server, 'panel', { theme });
  await view.waitForPosted('ready');
  const state = bookState();
  await view.deliverState(state);
  await view.page.waitForSelector('body[data-state=ready]');
  return { view, state };
}

/** Page coordinates of a cell centre of a heatmap canvas. */
async function cellPoint(view: ViewPage, canvas: string, row: number, col: number) {
  // Mouse coordinates are viewport coordinates: bring the map into view first.
  await view.page.$eval(canvas, (el) => el.scrollIntoView({ block: 'center' }));
  const g = await canvasGeometry(view.page, canvas);
  const c = cellCenter({ row, col }, g.area, g.rows, g.cols);
  return { local: c, page: { x: g.box.x + c.x, y: g.box.y + c.y }, geometry: g };
}

/** The cell's pixel is the scale's colour for its value (within COLOUR_TOLERANCE); returns the pixel. */
async function assertCellColour(view: ViewPage, canvas: string, row: number, col: number, value: number, maxAbs: number, lut: Uint8ClampedArray) {
  const actual = await cellPixel(view.page, canvas, row, col);
  assertColourNear(actual, colorForValue(value, maxAbs, lut), `${canvas} cell (${row}, ${col}) = ${value}`);
  return actual;
}

/** Dark+ colours as literals (VS Code's theme file), independent of the code under test. */
const DARK_BLUE = [0x37, 0x94, 0xff];
const DARK_BACKGROUND = [0x1e, 0x1e, 0x1e];
const DARK_RED = [0xf1, 0x4c, 0x4c];
const DARK_FOCUS_BORDER = [0x00, 0x7f, 0xd4];

describe('inspector panel', () => {
  test('handshake: posts ready, renders header, shapes and the token strip of the real state', async () => {
    const { view, state } = await openBook();
    const posted = await view.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
    const facts = await view.page.textContent('.facts');
    assert.match(facts!, /tokenizergpt2/);
    assert.match(facts!, /tokens32 tokens/);
    assert.match(facts!, /sourcerandom init, seed 123/);
    assert.match(facts!, /vocab × dim50,257 × 256/);
    const shapes = await view.page.$$eval('.shapes tr', (rows) => rows.map((r) => r.textContent));
    assert.deepEqual(shapes, [
      'inputs(batch, context)(7, 4)',
      'token embeddings(batch, context, dim)(7, 4, 256)',
      'positional(context, dim)(4, 256)',
      'combined(batch, context, dim)(7, 4, 256)',
    ]);
    const chips = await view.page.$$eval('.chip', (els) =>
      els.map((e) => [e.querySelector('.chip-text')!.textContent, e.querySelector('.chip-id')!.textContent, e.className]),
    );
    assert.equal(chips.length, state.result.tokens.length);
    assert.deepEqual(chips.slice(0, 4), [
      ['I', '40', 'chip even'],
      ['␣H', '367', 'chip odd'],
      ['AD', '2885', 'chip even'],
      ['␣always', '1464', 'chip odd'],
    ]);
    // Every chip is an option of the listbox, named for screen readers and hover (built from one cloned template).
    const described = await view.page.$$eval('.strip .chip', (els) =>
      els.slice(0, 2).map((e) => ['id', 'role', 'data-row', 'aria-selected', 'title', 'aria-label'].map((a) => e.getAttribute(a))),
    );
    assert.deepEqual(described, [
      ['chip-0', 'option', '0', 'false', 'token 0 · id 40 · chars 0–1', 'token 0: "I", id 40'],
      ['chip-1', 'option', '1', 'false', 'token 1 · id 367 · chars 1–3', 'token 1: " H", id 367'],
    ]);
    assert.equal(await view.page.inputValue('input[name=seed]'), '123');
    assert.equal(await view.page.inputValue('input[name=dim]'), '256');
    await expectClean(view);
    await view.close();
  });

  test('cell pixels are their values on ONE shared diverging scale (token, positional, combined, legend)', async () => {
    const { view, state } = await openBook();
    const a = arrays(state);
    const scale = robustScale([a.tok, a.pos, a.comb]);
    const lut = themeLut('dark');
    for (const c of ['#canvas-token', '#canvas-position', '#canvas-combined']) {
      assert.equal((await canvasGeometry(view.page, c)).maxAbs, scale.maxAbs, `${c} uses the shared scale`);
    }
    const dim = state.result.dim;
    for (const [row, col] of [
      [0, 0],
      [5, 62],
      [31, 255],
      [17, 128],
    ] as const) {
      await assertCellColour(view, '#canvas-token', row, col, a.tok[row * dim + col]!, scale.maxAbs, lut);
      await assertCellColour(view, '#canvas-combined', row, col, a.comb[row * dim + col]!, scale.maxAbs, lut);
    }
    for (const [row, col] of [
      [0, 0],
      [3, 200],
      [1, 7],
    ] as const) {
      await assertCellColour(view, '#canvas-position', row, col, a.pos[row * dim + col]!, scale.maxAbs, lut);
    }
    // The sign decides the side of the scale: a clearly positive and a clearly negative cell.
    const posIdx = a.tok.findIndex((v) => v > 1.5);
    const negIdx = a.tok.findIndex((v) => v < -1.5);
    const red = await assertCellColour(view, '#canvas-token', Math.floor(posIdx / dim), posIdx % dim, a.tok[posIdx]!, scale.maxAbs, lut);
    const blue = await assertCellColour(view, '#canvas-token', Math.floor(negIdx / dim), negIdx % dim, a.tok[negIdx]!, scale.maxAbs, lut);
    assert.ok(red[0] > red[2], `positive cell is red-ish: ${red}`);
    assert.ok(blue[2] > blue[0], `negative cell is blue-ish: ${blue}`);
    // Values beyond the scale are the end colours themselves: literal Dark+ red and blue.
    const clippedHigh = a.comb.findIndex((v) => v > scale.maxAbs);
    const clippedLow = a.comb.findIndex((v) => v < -scale.maxAbs);
    assert.ok(clippedHigh >= 0 && clippedLow >= 0, 'the 99.5th-percentile scale clips some combined values on both sides');
    assertColourNear(await cellPixel(view.page, '#canvas-combined', Math.floor(clippedHigh / dim), clippedHigh % dim), DARK_RED, 'value above +maxAbs');
    assertColourNear(await cellPixel(view.page, '#canvas-combined', Math.floor(clippedLow / dim), clippedLow % dim), DARK_BLUE, 'value below −maxAbs');
    // Legend: 257 cells from −maxAbs to +maxAbs; its ends are the theme's end colours, its middle (0) the
    // editor background — literal Dark+ colours again.
    const lg = await canvasGeometry(view.page, '#canvas-legend');
    assert.equal(lg.cols, 257);
    assertColourNear(await cellPixel(view.page, '#canvas-legend', 0, 0), DARK_BLUE, 'legend −maxAbs end');
    assertColourNear(await cellPixel(view.page, '#canvas-legend', 0, 128), DARK_BACKGROUND, 'legend middle');
    assertColourNear(await cellPixel(view.page, '#canvas-legend', 0, 256), DARK_RED, 'legend +maxAbs end');
    assert.match((await view.page.textContent('#legend figcaption'))!, new RegExp(`±${fmt4(scale.maxAbs)}`));
    await expectClean(view);
    await view.close();
  });

  test('hovering a cell shows token text, id, position, dimension and tok + pos = combined', async () => {
    const { view, state } = await openBook();
    const a = arrays(state);
    const dim = state.result.dim;
    const row = 5; // " Jack", id 3619, position 1
    const col = 62;
    const { page } = await cellPoint(view, '#canvas-token', row, col);
    await view.page.mouse.move(page.x, page.y);
    await view.page.waitForSelector('#heatmap-tooltip:not([hidden])');
    const text = (await view.page.textContent('#heatmap-tooltip'))!;
    assert.match(text, /“␣Jack” · id 3619/);
    assert.match(text, /token 5 · position 1 · dim 62/);
    // PyTorch's numbers (torch.manual_seed(123); nn.Embedding(50257, 256), nn.Embedding(4, 256); see
    // test/fixtures/torch-reference-rows.json): token 3619 dim 62 = 0.9082413911819458, position 1 dim 62 =
    // 0.7859812378883362, their float32 sum 1.6942226.
    assert.ok(text.includes('tok 0.9082 + pos 0.7860 = 1.6942'), text);
    // Positional map: the slot's value and the tokens that use it.
    const p = await cellPoint(view, '#canvas-position', 2, 10);
    await view.page.mouse.move(p.page.x, p.page.y);
    await view.page.waitForFunction(() => document.querySelector('#heatmap-tooltip')?.textContent?.includes('position 2 · dim 10'));
    const posText = (await view.page.textContent('#heatmap-tooltip'))!;
    assert.ok(posText.includes(`pos ${fmt4(a.pos[2 * dim + 10]!)}`), posText);
    assert.match(posText, /used by tokens 2, 6, 10, 14, 18, 22, …/);
    await view.page.mouse.move(2, 2);
    await view.page.waitForSelector('#heatmap-tooltip', { state: 'hidden' });
    await expectClean(view);
    await view.close();
  });

  test('selecting a row highlights it in all three maps and the strip; arrow keys move it', async () => {
    const { view } = await openBook();
    const { page } = await cellPoint(view, '#canvas-combined', 9, 100);
    await view.page.mouse.click(page.x, page.y);
    const sel = async () => ({
      tok: (await canvasGeometry(view.page, '#canvas-token')).selectedRow,
      pos: (await canvasGeometry(view.page, '#canvas-position')).selectedRow,
      comb: (await canvasGeometry(view.page, '#canvas-combined')).selectedRow,
      chips: await view.page.$$eval('.chip[aria-selected=true]', (els) => els.map((e) => (e as HTMLElement).dataset.row)),
    });
    await eventually(async () => assert.deepEqual(await sel(), { tok: 9, pos: 1, comb: 9, chips: ['9'] }));
    assert.deepEqual((await view.waitForPosted('selectRow')).at(-1), { type: 'selectRow', row: 9 });
    // The highlight is drawn: the outline's left edge on row 9 has the focus-border colour (literal Dark+
    // #007fd4), in every map. The 2-px stroke starts at the area's left edge; its second pixel column is
    // fully covered, whatever the fractional offset of the area.
    assert.deepEqual(parseCssColor(THEMES.dark.vars['--vscode-focusBorder']), DARK_FOCUS_BORDER);
    for (const [canvas, row] of [
      ['#canvas-token', 9],
      ['#canvas-combined', 9],
      ['#canvas-position', 1],
    ] as const) {
      const g = await canvasGeometry(view.page, canvas);
      const y = g.area.top + (row + 0.5) * (g.area.height / g.rows);
      assertColourNear(await pixelAt(view.page, canvas, Math.ceil(g.area.left) + 0.5, y), DARK_FOCUS_BORDER, `${canvas} outline`);
    }
    // Keyboard: the canvases are focusable; ArrowDown moves the selection everywhere.
    await view.page.focus('#canvas-token');
    await view.page.keyboard.press('ArrowDown');
    await eventually(async () => assert.deepEqual(await sel(), { tok: 10, pos: 2, comb: 10, chips: ['10'] }));
    await eventually(async () => assert.equal(await view.page.textContent('#announcer'), 'token 10 “␣a”, id 257, position 2'));
    await view.page.keyboard.press('End');
    await eventually(async () => assert.deepEqual(await sel(), { tok: 31, pos: 3, comb: 31, chips: ['31'] }));
    // Accessible alternative: the values table of the selected row.
    await view.page.click('.values-section summary');
    await eventually(async () => assert.match((await view.page.textContent('table.values caption'))!, /token 31 “,” \(id 11\) at position 3/));
    assert.equal(await view.page.$$eval('table.values tbody tr', (r) => r.length), 256);
    // Host-driven selection does not echo back to the host (it only asks for the row's nearest tokens):
    // after it has been drawn and a later marker message has been handled, no selectRow was posted.
    const selectRows = async () => (await view.posted()).filter((m) => m.type === 'selectRow').length;
    const before = await selectRows();
    await view.deliver({ type: 'selectRow', row: 2 });
    await eventually(async () => assert.deepEqual(await sel(), { tok: 2, pos: 2, comb: 2, chips: ['2'] }));
    await view.flush();
    assert.equal(await selectRows(), before);
    await expectClean(view);
    await view.close();
  });

  test('clicking a chip posts revealToken with the token span (offsets into the inspected text)', async () => {
    const { view, state } = await openBook();
    await view.page.click('#chip-3');
    const t = state.result.tokens[3]!;
    assert.equal(t.text, ' always');
    const reveal = await view.waitForPosted('revealToken');
    assert.deepEqual(reveal.at(-1), { type: 'revealToken', start: t.start, end: t.end });
    assert.deepEqual(reveal.at(-1), { type: 'revealToken', start: 5, end: 12 }); // "I HAD" + " always"
    await eventually(async () => assert.equal((await canvasGeometry(view.page, '#canvas-token')).selectedRow, 3));
    // Keyboard: the strip is one tab stop; arrows move, Enter reveals.
    await view.page.focus('.strip');
    await view.page.keyboard.press('ArrowRight');
    await view.page.keyboard.press('Enter');
    assert.deepEqual((await view.waitForPosted('revealToken', 2)).at(-1), { type: 'revealToken', start: 12, end: 20 });
    await expectClean(view);
    await view.close();
  });

  test('settings controls post changeSettings / changeSeed; bad input is refused with a message', async () => {
    const { view } = await openBook();
    await view.page.fill('input[name=dim]', '768');
    await view.page.press('input[name=dim]', 'Tab'); // the change event fires when the field loses focus
    assert.deepEqual((await view.waitForPosted('changeSettings')).at(-1), { type: 'changeSettings', settings: { dim: 768 } });
    await view.page.selectOption('select[name=positional]', 'sinusoidal');
    assert.deepEqual((await view.waitForPosted('changeSettings', 2)).at(-1), { type: 'changeSettings', settings: { positional: 'sinusoidal' } });
    await view.page.selectOption('select[name=encoding]', 'cl100k_base');
    assert.deepEqual((await view.waitForPosted('changeSettings', 3)).at(-1), {
      type: 'changeSettings',
      settings: { tokenizer: { kind: 'encoding', encoding: 'cl100k_base' } },
    });
    await view.page.fill('input[name=stride]', '2');
    await view.page.press('input[name=stride]', 'Tab');
    assert.deepEqual((await view.waitForPosted('changeSettings', 4)).at(-1), { type: 'changeSettings', settings: { stride: 2 } });
    await view.page.fill('input[name=seed]', '18446744073709551615');
    await view.page.press('input[name=seed]', 'Tab');
    assert.deepEqual((await view.waitForPosted('changeSeed')).at(-1), { type: 'changeSeed', seed: '18446744073709551615' });
    const count = (await view.posted()).length;
    await view.page.fill('input[name=contextLength]', '0');
    await view.page.press('input[name=contextLength]', 'Tab');
    await eventually(async () => assert.equal(await view.page.getAttribute('input[name=contextLength]', 'aria-invalid'), 'true'));
    await view.page.fill('input[name=dim]', '4097');
    await view.page.press('input[name=dim]', 'Tab');
    await eventually(async () => assert.match((await view.page.textContent('.control-error'))!, /Dim must be a whole number from 1 to 4,096 \(got “4097”\)/));
    await view.page.fill('input[name=seed]', '18446744073709551616');
    await view.page.press('input[name=seed]', 'Tab');
    await eventually(async () => assert.equal(await view.page.getAttribute('input[name=seed]', 'aria-invalid'), 'true'));
    await eventually(async () => assert.match((await view.page.textContent('.control-error'))!, /Seed must be a whole number from 0 to 18446744073709551615/));
    await view.flush();
    assert.deepEqual((await view.posted()).slice(count), [], 'invalid values are not posted');
    await expectClean(view);
    await view.close();
  });

  test('busy indicator with Cancel, error banner, and a new state re-renders without reloading', async () => {
    const { view } = await openBook();
    await view.page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await view.deliver({ type: 'busy', busy: true, message: 'Computing 4,096 tokens…' });
    await view.page.waitForSelector('.busy:not([hidden])');
    assert.equal(await view.page.textContent('.busy-text'), 'Computing 4,096 tokens…');
    await view.page.click('.busy button');
    assert.deepEqual((await view.waitForPosted('cancelInspection')).at(-1), { type: 'cancelInspection' });
    await view.deliver({ type: 'busy', busy: false });
    await view.page.waitForSelector('.busy', { state: 'hidden' });
    await view.deliver({ type: 'error', message: 'dim must be ≤ 65536' });
    await view.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await view.page.textContent('.error-text'), 'dim must be ≤ 65536');
    // A malformed state is reported, not rendered.
    await view.deliver({ type: 'state', state: { result: { tokens: 'x' } } });
    await view.page.waitForFunction(() => document.querySelector('.error-text')?.textContent?.startsWith('Ignored a malformed message'));
    // New settings → new state: same document, new grid.
    await view.deliverSyntheticState(12, 64, 8);
    await view.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#canvas-token')?.dataset.cols === '64');
    assert.equal(await view.page.evaluate(() => (window as unknown as { __sameDocument: boolean }).__sameDocument), true);
    assert.equal((await canvasGeometry(view.page, '#canvas-position')).rows, 8);
    assert.equal(await view.page.$$eval('.chip', (c) => c.length), 12);
    assert.equal(await view.page.isHidden('.error-banner'), true, 'a good state clears the error');
    const visible = await view.page.$$eval('.chip-text', (c) => c.slice(5, 7).map((e) => e.textContent));
    assert.deepEqual(visible, ['↵', '→'], 'newline and tab chips are visible');
    await expectClean(view);
    await view.close();
  });

  test('theme switch (dark → light → high contrast) repaints with the new theme colours', async () => {
    const { view, state } = await openBook('dark');
    const a = arrays(state);
    const scale = robustScale([a.tok, a.pos, a.comb]);
    const dim = state.result.dim;
    const row = 4;
    const col = 30;
    const dark = await assertCellColour(view, '#canvas-token', row, col, a.tok[row * dim + col]!, scale.maxAbs, themeLut('dark'));
    for (const name of ['light', 'highContrast'] as const) {
      const t = THEMES[name];
      await view.page.evaluate(
        ([cls, vars]) => {
          // What VS Code does on a theme change: swap body classes and rewrite the variables on <html>.
          document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
          document.body.classList.add(cls as string);
          for (const [k, v] of Object.entries(vars as Record<string, string>)) document.documentElement.style.setProperty(k, v);
        },
        [t.bodyClass, t.vars] as const,
      );
      const kind = name === 'light' ? 'light' : 'highContrast';
      await view.page.waitForSelector(`body[data-theme-kind=${kind}]`);
      // The repaint with the new colours may land a frame after the theme attribute.
      const now = await eventually(() => assertCellColour(view, '#canvas-token', row, col, a.tok[row * dim + col]!, scale.maxAbs, themeLut(name)));
      assert.notDeepEqual(now, dark, `${name} colours differ from dark`);
    }
    await expectClean(view);
    await view.close();
  });

  test('reload restores the last state from vscode.setState before the host answers', async () => {
    const { view } = await openBook();
    await view.page.click('#chip-7');
    await view.waitForPosted('revealToken');
    const stored = await view.storedState();
    await view.close();
    assert.ok(stored && typeof stored === 'object');
    const again = await openView(env.browser, env.server, 'panel', { storedState: stored });
    await again.page.waitForSelector('body[data-state=ready]');
    assert.equal(await again.page.$$eval('.chip', (c) => c.length), 32);
    assert.equal((await canvasGeometry(again.page, '#canvas-token')).selectedRow, 7);
    assert.deepEqual((await again.posted())[0], { type: 'ready' }, 'still asks the host for fresh state');
    await expectClean(again);
    await again.close();
  });

  test('4,096 tokens × 768 dims render (down-sampled with a visible notice) and stay interactive', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    await view.deliverSyntheticState(4096, 768, 1024);
    await view.page.waitForSelector('body[data-state=ready]');
    const g = await canvasGeometry(view.page, '#canvas-token');
    assert.equal(g.rows, 4096);
    assert.equal(g.cols, 768);
    assert.match((await view.page.textContent('#map-token .notice'))!, /Down-sampled to fit: 4,096 × 768 values drawn as \d+ × \d+ pixels/);
    assert.equal(await view.page.isVisible('#map-token .notice'), true);
    // Chips beyond the first slice are added right after the first paint.
    await view.page.waitForSelector('.strip[data-complete=true]');
    assert.equal(await view.page.$$eval('.chip', (c) => c.length), 4096);
    // Every value stays reachable: hover still reports the exact row under the pointer.
    const { page } = await cellPoint(view, '#canvas-token', 2048, 400);
    await view.page.mouse.move(page.x, page.y);
    await view.page.waitForSelector('#heatmap-tooltip:not([hidden])');
    assert.match((await view.page.textContent('#heatmap-tooltip'))!, /token 20\d\d · position \d+ · dim 4\d\d/);
    await view.page.focus('#canvas-token');
    await view.page.keyboard.press('End');
    await eventually(async () => assert.equal((await canvasGeometry(view.page, '#canvas-combined')).selectedRow, 4095));
    assert.equal((await canvasGeometry(view.page, '#canvas-position')).selectedRow, 4095 % 1024);
    await eventually(async () => assert.equal(await view.page.getAttribute('#chip-4095', 'aria-selected'), 'true'));
    await waitForPaint(view.page, '#canvas-token');
    // The painted pixels are not blank: both ends of the scale appear.
    const stats = await view.page.$eval('#canvas-token', (c) => {
      const el = c as HTMLCanvasElement;
      const [l, t, w, h] = el.dataset.area!.split(',').map(Number);
      const d = el.getContext('2d')!.getImageData(l! + 2, t! + 2, w! - 4, h! - 4).data;
      let red = 0;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! > d[i + 2]! + 60) red++;
        else if (d[i + 2]! > d[i]! + 60) blue++;
      }
      return { red, blue, total: d.length / 4 };
    });
    assert.ok(stats.red > stats.total * 0.2 && stats.blue > stats.total * 0.2, JSON.stringify(stats));
    await expectClean(view);
    await view.close();
  });

  test('an empty text renders an empty strip and empty maps without errors', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    await view.deliverSyntheticState(0, 16, 4);
    await view.page.waitForSelector('body[data-state=ready]');
    assert.equal(await view.page.textContent('.strip'), 'No tokens: the inspected text is empty.');
    assert.equal((await canvasGeometry(view.page, '#canvas-token')).rows, 0);
    assert.equal((await canvasGeometry(view.page, '#canvas-position')).rows, 4);
    await view.page.focus('#canvas-token');
    await view.page.keyboard.press('ArrowDown');
    await view.flush();
    assert.equal((await canvasGeometry(view.page, '#canvas-token')).selectedRow, null);
    await expectClean(view);
    await view.close();
  });

  test('paging: a partial page shows where it is and asks the host for the next one', async () => {
    const view = await openView(env.browser, env.server, 'panel', {});
    await view.waitForPosted('ready');
    const s = bookState();
    s.result.totalTokens = 100;
    await view.deliverState(s);
    await view.page.waitForSelector('.pager:not([hidden])');
    assert.equal(await view.page.textContent('.page-info'), 'tokens 0–31 of 100');
    assert.equal(await view.page.isDisabled('.pager button:first-child'), true);
    await view.page.click('.pager button:last-child');
    assert.deepEqual((await view.waitForPosted('page')).at(-1), { type: 'page', firstToken: 32 });
    await expectClean(view);
    await view.close();
  });
});
