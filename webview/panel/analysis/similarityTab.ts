/**
 * Similarity tab: cosine similarity of every pair of page tokens, before and after adding positions (two
 * heatmaps on the fixed scale −1…1), and a table of the repeated tokens' pairs.
 */
import { h } from '../../shared/dom';
import { fmt4, fmtInt } from '../../shared/format';
import { HeatmapView, type HeatmapModel } from '../../shared/heatmapChart';
import { MAX_LISTED_PAIRS, pageNotice } from './summaries';
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
        'Cosine similarity of every pair of tokens, before and after adding positions. The same token at two positions is identical in the token table (1) and differs once its position is added. Repeated tokens are marked ● on the axes.',
      ),
      this.status.element,
      h('div', { class: 'sim-grid' }, figure('Token only: cos(tokᵢ, tokⱼ)', this.boxes.token), figure('Token + position: cos(inᵢ, inⱼ)', this.boxes.combined)),
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
    }
    this.renderPairs(r);
  }

  select(row: number | null): void {
    this.views.token?.setSelectedRow(row);
    this.views.combined?.setSelectedRow(row);
  }

  retheme(): void {
    this.views.token?.destroy();
    this.views.combined?.destroy();
    this.views = {};
  }

  private model(values: Float32Array, n: number): HeatmapModel {
    const theme = this.ctx.store.theme;
    return { rows: n, cols: n, values, maxAbs: 1, lut: theme.lut, highlight: theme.highlight, selectedRow: this.ctx.store.selectedRow };
  }

  private create(which: Which, model: HeatmapModel): HeatmapView {
    const id = which === 'token' ? 'sim-token-canvas' : 'sim-combined-canvas';
    const label = (row: number) => `${(this.result?.page.firstToken ?? 0) + row}${this.repeated.has(row) ? ' ●' : ''}`;
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
      },
      model,
      this.ctx.store.theme,
    );
    v.canvas.id = id;
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
    const rows = r.pairs
      .slice(0, MAX_LISTED_PAIRS)
      .map((p) =>
        h(
          'tr',
          { 'data-i': p.i, 'data-j': p.j },
          h('td', { class: 'tok' }, `“${tokenText(this.ctx, p.i)}”`),
          h('td', {}, String(p.id)),
          h('td', {}, `${first + p.i} & ${first + p.j}`),
          h('td', { class: 'sim-token' }, fmt4(p.tokenSimilarity)),
          h('td', { class: 'sim-combined' }, fmt4(p.combinedSimilarity)),
        ),
      );
    this.pairs.replaceChildren(
      h(
        'table',
        { class: 'pairs' },
        h('thead', {}, h('tr', {}, h('th', {}, 'token'), h('th', {}, 'id'), h('th', {}, 'at'), h('th', {}, 'token only'), h('th', {}, 'token + position'))),
        h('tbody', {}, ...rows),
      ),
      ...(r.pairs.length > MAX_LISTED_PAIRS ? [h('p', { class: 'muted' }, `…and ${fmtInt(r.pairs.length - MAX_LISTED_PAIRS)} more pairs.`)] : []),
    );
  }
}
