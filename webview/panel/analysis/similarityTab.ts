/**
 * Similarity tab: cosine similarity of every pair of page tokens, before and after adding positions (two
 * heatmaps on the fixed scale −1…1 with their colour bar), and a table of the repeated tokens' pairs. Every
 * row of a repeated token is marked ● beside the maps (the axis labels are thinned to fit, so they cannot
 * carry the marks), and a pair that stays 1.0000 after adding positions says why: the same position slot.
 */
import { h } from '../../shared/dom';
import { fmt4, fmtInt } from '../../shared/format';
import { HeatmapView, type HeatmapModel } from '../../shared/heatmapChart';
import { LUT_STEPS, legendValues } from '../../shared/heatmapMath';
import { MAX_LISTED_PAIRS, pageNotice, sameSlotNote } from './summaries';
import { StatusLine, figure, sizeBox, tokenText, type AnalysisResultOf, type AnalysisTab, type TabContext } from './tab';

type Similarity = AnalysisResultOf<'similarity'>;
type Which = 'token' | 'combined';

export class SimilarityTab implements AnalysisTab<'similarity'> {
  readonly kind = 'similarity';
  readonly status = new StatusLine();
  readonly panel: HTMLElement;
  private readonly boxes: Record<Which, HTMLElement> = {
    token: h('div', { class: 'chart-box sim-box', id: 'sim-token-box' }),
    combined: h('div', { class: 'chart-box sim-box', id: 'sim-combined-box' }),
  };
  private readonly pairs = h('div', { class: 'sim-pairs', id: 'sim-pairs' });
  /** ● beside each map at every row of a repeated token (positioned over the chart's right padding). */
  private readonly rails: Record<Which, HTMLElement> = {
    token: h('div', { class: 'repeat-rail', id: 'sim-token-repeats', 'aria-hidden': 'true' }),
    combined: h('div', { class: 'repeat-rail', id: 'sim-combined-repeats', 'aria-hidden': 'true' }),
  };
  private readonly legendBox = h('div', { class: 'chart-box legend-box', id: 'sim-legend-box' });
  private legend: HeatmapView | null = null;
  private views: Partial<Record<Which, HeatmapView>> = {};
  /** The result drawn: labels and tooltips read it (the views keep the callbacks they were created with). */
  private result: Similarity | null = null;
  private repeated = new Set<number>();

  constructor(private readonly ctx: TabContext) {
    this.panel = h(
      'div',
      {},
      h(
        'p',
        { class: 'muted' },
        'Cosine similarity of every pair of tokens, before and after adding positions. Row i and column j are the page’s tokens i and j (the rows are labelled with the token’s index and text where they fit; hover a cell for both texts). The same token at two positions is identical in the token table (1) and differs once its position is added, unless both sit at the same position slot. Each row of a repeated token is marked ● right of the map.',
      ),
      this.status.element,
      h('div', { class: 'sim-grid' }, figure('Token only: cos(tokᵢ, tokⱼ)', this.boxes.token), figure('Token + position: cos(inᵢ, inⱼ)', this.boxes.combined)),
      h(
        'figure',
        { class: 'legend', id: 'sim-legend' },
        h('figcaption', {}, 'Colour scale: cosine similarity from −1 (blue, opposite directions) through 0 (background, unrelated) to 1 (red, same direction)'),
        this.legendBox,
      ),
      h('h3', {}, 'Repeated tokens'),
      this.pairs,
    );
  }

  draw(r: Similarity): void {
    this.result = r;
    this.repeated = new Set(r.repeated.flatMap((g) => g.indices));
    this.status.show(pageNotice(r.page));
    const n = r.page.count;
    const px = Math.min(420, Math.max(160, n * 14)) + 56;
    for (const which of ['token', 'combined'] as const) {
      sizeBox(this.boxes[which], px);
      const model = this.model(r[which], n);
      const existing = this.views[which];
      if (existing) existing.setModel(model);
      else this.views[which] = this.create(which, model);
      this.placeRepeatMarks(which);
    }
    this.legend ??= this.createLegend();
    this.renderPairs(r);
    this.markSelectedPairs(this.ctx.store.selectedRow);
  }

  select(row: number | null): void {
    this.views.token?.setSelectedRow(row);
    this.views.combined?.setSelectedRow(row);
    this.markSelectedPairs(row);
  }

  retheme(): void {
    this.views.token?.destroy();
    this.views.combined?.destroy();
    this.legend?.destroy();
    this.views = {};
    this.legend = null;
  }

  /** The −1…1 colour bar both maps share (drawn once; its scale never changes). */
  private createLegend(): HeatmapView {
    const theme = this.ctx.store.theme;
    sizeBox(this.legendBox, 64);
    const model: HeatmapModel = {
      rows: 1,
      cols: LUT_STEPS,
      values: legendValues(1, LUT_STEPS),
      maxAbs: 1,
      lut: theme.lut,
      highlight: theme.highlight,
      selectedRow: null,
    };
    const v = new HeatmapView({ container: this.legendBox, xTitle: '', yTitle: '', showYAxis: false, xRange: [-1, 1], tooltips: false }, model, theme);
    v.canvas.id = 'sim-legend-canvas';
    v.canvas.setAttribute('role', 'img');
    v.canvas.setAttribute('aria-label', 'Colour bar of both maps: cosine similarity −1 blue, 0 the background colour, 1 red.');
    return v;
  }

  /**
   * Puts a ● at the height of every repeated token's row, just right of the map's data area (in the chart's
   * right padding), from the geometry the heatmap publishes after each paint (data-area, data-rows).
   */
  private placeRepeatMarks(which: Which): void {
    const rail = this.rails[which];
    const canvas = this.views[which]?.canvas;
    const [left, top, width, height] = (canvas?.dataset.area ?? '').split(',').map(Number);
    const rows = Number(canvas?.dataset.rows ?? 0);
    // Not painted yet (a new chart after a theme change): the paint calls this again (onRendered).
    if (!canvas || !rows || !(height! > 0)) return;
    const first = this.result?.page.firstToken ?? 0;
    const marks = [...this.repeated]
      .sort((a, b) => a - b)
      .map((row) => {
        const mark = h('span', { class: 'repeat-mark', 'data-row': row, title: `token ${first + row} repeats` }, '●');
        mark.style.top = `${top! + ((row + 0.5) * height!) / rows}px`; // CSSOM: allowed by the CSP
        return mark;
      });
    rail.style.left = `${left! + width! + 1}px`;
    rail.replaceChildren(...marks);
  }

  /** Rows of the pairs table that involve the selected token get the selection style. */
  private markSelectedPairs(row: number | null): void {
    for (const tr of this.pairs.querySelectorAll<HTMLElement>('tr[data-i]')) {
      const on = row !== null && (tr.dataset.i === String(row) || tr.dataset.j === String(row));
      tr.classList.toggle('selected', on);
    }
  }

  private model(values: Float32Array, n: number): HeatmapModel {
    const theme = this.ctx.store.theme;
    return { rows: n, cols: n, values, maxAbs: 1, lut: theme.lut, highlight: theme.highlight, selectedRow: this.ctx.store.selectedRow };
  }

  private create(which: Which, model: HeatmapModel): HeatmapView {
    const id = which === 'token' ? 'sim-token-canvas' : 'sim-combined-canvas';
    // Index (● when repeated) then text: the heatmap keeps the start of a label that is too long.
    const label = (row: number) => `${(this.result?.page.firstToken ?? 0) + row}${this.repeated.has(row) ? '●' : ''} ${tokenText(this.ctx, row)}`;
    const describe = (row: number, col: number) => {
      const c = this.result;
      const tokens = this.ctx.store.state?.result.tokens;
      if (!c || !tokens) return null;
      const f = c.page.firstToken;
      return {
        title: `“${tokenText(this.ctx, row)}” (${f + row}) · “${tokenText(this.ctx, col)}” (${f + col})`,
        lines: [`cos ${fmt4(c[which][row * c.page.count + col]!)}`, ...(tokens[row]?.id === tokens[col]?.id ? ['same token id'] : [])],
      };
    };
    const v = new HeatmapView(
      {
        container: this.boxes[which],
        xTitle: 'token',
        yTitle: 'token',
        rowLabel: label,
        describe,
        tooltipEl: this.ctx.tooltip,
        onSelectRow: (row) => this.ctx.selectRow(row),
        // A resize moves the rows: the ● marks follow the area of every paint.
        onRendered: () => this.placeRepeatMarks(which),
      },
      model,
      this.ctx.store.theme,
    );
    v.canvas.id = id;
    this.boxes[which].append(this.rails[which]);
    v.canvas.setAttribute('role', 'img');
    v.canvas.setAttribute(
      'aria-label',
      `${which === 'token' ? 'Token-only' : 'Combined'} cosine similarity heatmap; the repeated-token table below lists the key values.`,
    );
    return v;
  }

  private renderPairs(r: Similarity): void {
    if (r.pairs.length === 0) {
      this.pairs.replaceChildren(h('p', { class: 'muted' }, 'No token occurs twice on this page. Try a text that repeats a word.'));
      return;
    }
    const first = r.page.firstToken;
    const state = this.ctx.store.state;
    const positions = state?.result.positions;
    const slot = (row: number) => positions?.[row] ?? NaN;
    const contextLength = state?.result.contextLength ?? 0;
    const scheme = state?.settings.positional ?? 'learned';
    const listed = r.pairs.slice(0, MAX_LISTED_PAIRS);
    const rows = listed.map((p) => {
      const same = slot(p.i) === slot(p.j);
      return h(
        'tr',
        { 'data-i': p.i, 'data-j': p.j, ...(same ? { class: 'same-slot' } : {}) },
        h('td', { class: 'tok' }, `“${tokenText(this.ctx, p.i)}”`),
        h('td', {}, String(p.id)),
        h('td', {}, `${first + p.i} & ${first + p.j}`),
        h('td', { class: 'sim-slots' }, `${slot(p.i)} & ${slot(p.j)}${same ? ' (same)' : ''}`),
        h('td', { class: 'sim-token' }, fmt4(p.tokenSimilarity)),
        h('td', { class: 'sim-combined' }, fmt4(p.combinedSimilarity)),
      );
    });
    const note = sameSlotNote(
      scheme,
      contextLength,
      listed.some((p) => slot(p.i) === slot(p.j)),
    );
    this.pairs.replaceChildren(
      ...(note ? [h('p', { class: 'same-slot-note', id: 'same-slot-note' }, note)] : []),
      h(
        'table',
        { class: 'pairs' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'token'),
            h('th', {}, 'id'),
            h('th', {}, 'at'),
            h('th', { title: 'position slot = token index mod context length' }, 'positions'),
            h('th', {}, 'token only'),
            h('th', {}, 'token + position'),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      ...(r.pairs.length > MAX_LISTED_PAIRS ? [h('p', { class: 'muted' }, `…and ${fmtInt(r.pairs.length - MAX_LISTED_PAIRS)} more pairs.`)] : []),
    );
  }
}
