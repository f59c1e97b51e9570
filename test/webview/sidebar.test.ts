/** The compact side-panel view in real headless Chromium (built bundle, strict CSP page). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDivergingLut, cellAtPixel, cellCenter, colorForValue, parseCssColor, robustScale } from '../../webview/shared/heatmapMath';
import { fmt4 } from '../../webview/shared/format';
import { bookState } from './fixtures';
import { COLOUR_TOLERANCE, THEMES, assertColourNear, canvasGeometry, cellPixel, eventually, expectClean, openView, useBrowser } from './harness';

const env = useBrowser();

describe('sidebar view', () => {
  test('shows the selection tokens and the focused token’s three vectors on their shared scale', async () => {
    const view = await openView(env.browser, env.server, 'sidebar', {});
    await view.waitForPosted('ready');
    const state = bookState();
    await view.deliverState(state);
    await view.page.waitForSelector('body[data-state=ready]');
    assert.equal(await view.page.$$eval('.chip', (c) => c.length), 32);
    assert.match((await view.page.textContent('.side-summary'))!, /the-verdict\.txt · gpt2 · 32 tokens/);
    // The side panel's source line: the tables (here the seeded random init), with the tokenizer in its tooltip.
    assert.equal(await view.page.textContent('#side-source'), 'random init · seed 123');
    assert.match((await view.page.getAttribute('#side-source', 'title'))!, /tokenizer gpt2 · built-in encoding \(BPE\) · 50,257 ids/);
    assert.match((await view.page.textContent('.focus-title'))!, /token 0 “I” · id 40 · position 0 · 256 dims/);

    // Clicking a chip focuses it, reveals it in the editor and repaints the vectors.
    await view.page.click('#side-chip-5');
    const t = state.result.tokens[5]!;
    assert.deepEqual((await view.waitForPosted('revealToken')).at(-1), { type: 'revealToken', start: t.start, end: t.end });
    assert.deepEqual((await view.waitForPosted('selectRow')).at(-1), { type: 'selectRow', row: 5 });
    await eventually(async () => assert.match((await view.page.textContent('.focus-title'))!, /token 5 “␣Jack” · id 3619 · position 1/));

    const dim = state.result.dim;
    const tok = Float32Array.from(state.result.tokenEmbeddings.slice(5 * dim, 6 * dim));
    const pos = Float32Array.from(state.result.positionalEmbeddings.slice(1 * dim, 2 * dim));
    const comb = Float32Array.from(state.result.combinedEmbeddings.slice(5 * dim, 6 * dim));
    const scale = robustScale([tok, pos, comb]);
    const v = THEMES.dark.vars;
    const lut = buildDivergingLut(
      parseCssColor(v['--vscode-charts-blue'])!,
      parseCssColor(v['--vscode-editor-background'])!,
      parseCssColor(v['--vscode-charts-red'])!,
    );
    for (const [canvas, values] of [
      ['#side-canvas-token', tok],
      ['#side-canvas-position', pos],
      ['#side-canvas-combined', comb],
    ] as const) {
      // The strip shows the focused token (5) once repainted: its cells' colours, not token 0's.
      await eventually(async () => {
        for (const col of [0, 17, 100, 255])
          assertColourNear(await cellPixel(view.page, canvas, 0, col), colorForValue(values[col]!, scale.maxAbs, lut), `${canvas} dim ${col}`);
      });
      const g = await canvasGeometry(view.page, canvas);
      assert.equal(g.maxAbs, scale.maxAbs);
      assert.equal(g.rows, 1);
      assert.equal(g.cols, dim);
      // Cells are ~1.3 px wide here: check every pixel of the strip against the cell under its centre
      // (nearest-neighbour scaling), allowing a neighbour only where rounding at a cell edge decides, and
      // COLOUR_TOLERANCE for rasteriser rounding.
      const y = g.area.top + g.area.height / 2;
      const row = await view.page.$eval(
        canvas,
        (c, [top]) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, Math.floor(top!), (c as HTMLCanvasElement).width, 1).data),
        [y],
      );
      let exact = 0;
      let total = 0;
      for (let x = Math.ceil(g.area.left); x < Math.floor(g.area.left + g.area.width); x++) {
        const cell = cellAtPixel(x + 0.5, y, g.area, 1, dim);
        if (!cell) continue;
        const px = [row[x * 4], row[x * 4 + 1], row[x * 4 + 2]];
        const matches = (k: number) =>
          k >= 0 && k < dim && colorForValue(values[k]!, scale.maxAbs, lut).every((v, i) => Math.abs(v - px[i]!) <= COLOUR_TOLERANCE);
        total++;
        if (matches(cell.col)) exact++;
        else assert.ok(matches(cell.col - 1) || matches(cell.col + 1), `${canvas} pixel ${x}: ${px} is not the colour of dim ${cell.col}`);
      }
      assert.ok(total > 200 && exact / total > 0.9, `${canvas}: ${exact}/${total} pixels exact`);
    }
    // The legend's ends and middle are Dark+'s literal chart blue, editor background and chart red.
    assertColourNear(await cellPixel(view.page, '#side-legend canvas', 0, 0), [0x37, 0x94, 0xff], 'legend −maxAbs end');
    assertColourNear(await cellPixel(view.page, '#side-legend canvas', 0, 128), [0x1e, 0x1e, 0x1e], 'legend middle');
    assertColourNear(await cellPixel(view.page, '#side-legend canvas', 0, 256), [0xf1, 0x4c, 0x4c], 'legend +maxAbs end');
    // Hover: tok + pos = combined for the focused token.
    const g = await canvasGeometry(view.page, '#side-canvas-combined');
    const p = cellCenter({ row: 0, col: 100 }, g.area, 1, dim);
    await view.page.mouse.move(g.box.x + p.x, g.box.y + p.y);
    await view.page.waitForSelector('.tooltip:not([hidden])');
    const col = Math.floor(((p.x - g.area.left) / g.area.width) * dim);
    assert.ok((await view.page.textContent('.tooltip'))!.includes(`tok ${fmt4(tok[col]!)} + pos ${fmt4(pos[col]!)} = ${fmt4(comb[col]!)}`));

    await view.page.click('.open-panel');
    assert.deepEqual((await view.waitForPosted('openPanel')).at(-1), { type: 'openPanel' });
    await expectClean(view);
    await view.close();
  });

  test('replays its last state when shown again (reload with vscode.getState)', async () => {
    const view = await openView(env.browser, env.server, 'sidebar', {});
    await view.waitForPosted('ready');
    await view.deliverState(bookState());
    await view.page.waitForSelector('body[data-state=ready]');
    await view.page.click('#side-chip-12');
    await view.waitForPosted('revealToken');
    const stored = await view.storedState();
    await view.close();

    const again = await openView(env.browser, env.server, 'sidebar', { storedState: stored });
    await again.page.waitForSelector('body[data-state=ready]');
    assert.match((await again.page.textContent('.focus-title'))!, /token 12 “␣genius” · id 15632/);
    assert.equal(await again.page.getAttribute('#side-chip-12', 'aria-selected'), 'true');
    assert.deepEqual((await again.posted())[0], { type: 'ready' });
    // The host may still follow up with a fresh state: it replaces the replayed one.
    await again.deliver({ type: 'selectRow', row: 3 });
    await eventually(async () => assert.match((await again.page.textContent('.focus-title'))!, /token 3 “␣always”/));
    await expectClean(again);
    await again.close();
  });

  test('empty selection shows a hint; errors are shown; theme switch repaints', async () => {
    const view = await openView(env.browser, env.server, 'sidebar', { theme: 'light' });
    await view.waitForPosted('ready');
    assert.equal(await view.page.isVisible('.empty'), true);
    await view.deliverState(bookState());
    await view.page.waitForSelector('body[data-state=ready]');
    const before = await cellPixel(view.page, '#side-canvas-token', 0, 0);
    await view.page.evaluate(
      ([cls, vars]) => {
        document.body.classList.remove('vscode-light');
        document.body.classList.add(cls as string);
        for (const [k, val] of Object.entries(vars as Record<string, string>)) document.documentElement.style.setProperty(k, val);
      },
      [THEMES.dark.bodyClass, THEMES.dark.vars] as const,
    );
    await view.page.waitForSelector('body[data-theme-kind=dark]');
    // Dim 0 of token 0 (“I”, id 40) is −0.0640, near the background: near-white in Light+, near-black in Dark+.
    await eventually(async () => {
      const afterSwitch = await cellPixel(view.page, '#side-canvas-token', 0, 0);
      assert.ok(
        afterSwitch.some((c, i) => Math.abs(c - before[i]!) > 40),
        `repainted: ${before} → ${afterSwitch}`,
      );
    });
    await view.deliver({ type: 'error', message: 'The worker stopped; retrying.' });
    await view.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await view.page.textContent('.error-text'), 'The worker stopped; retrying.');
    await expectClean(view);
    await view.close();
  });
});
