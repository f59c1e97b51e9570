/**
 * Token tab: the selected token's token, positional and combined vectors over the dimensions (plain data from
 * the state, drawn at once) and the vector lengths of every page token (the worker's tokenStats).
 */
import { h } from '../../shared/dom';
import { axis, baseOptions, ChartSlot, publishXTicks, seriesColors } from './charts';
import { pageNotice } from './summaries';
import { StatusLine, figure, sizeBox, tokenText, type AnalysisResultOf, type AnalysisTab, type TabContext } from './tab';

export class TokenTab implements AnalysisTab<'tokenStats'> {
  readonly kind = 'tokenStats';
  readonly status = new StatusLine();
  readonly panel: HTMLElement;
  private readonly vecBox = h('div', { class: 'chart-box vec-box', id: 'token-vectors-box' });
  private readonly normBox = h('div', { class: 'chart-box vec-box', id: 'token-norms-box' });
  private readonly vecCaption = h('figcaption', {}, 'Vectors of the selected token');
  private readonly vectors: ChartSlot;
  private readonly norms: ChartSlot;

  constructor(private readonly ctx: TabContext) {
    this.vectors = new ChartSlot(this.vecBox, 'Line chart of the selected token’s token, positional and combined vectors over the dimensions');
    this.vectors.canvas.id = 'token-vectors-canvas';
    this.norms = new ChartSlot(this.normBox, 'Bar chart of the vector lengths of every page token');
    this.norms.canvas.id = 'token-norms-canvas';
    sizeBox(this.vecBox, 260);
    sizeBox(this.normBox, 260);
    this.panel = h(
      'div',
      {},
      this.status.element,
      figure(this.vecCaption, this.vecBox),
      figure('Vector lengths of each token: |token|, |position|, |token + position| (bars labelled by token index and text)', this.normBox),
    );
  }

  pending(): void {
    this.drawVectors(); // needs no worker answer
  }

  select(_row: number | null, visible: boolean): void {
    if (visible) this.drawVectors();
  }

  draw(st: AnalysisResultOf<'tokenStats'>): void {
    this.drawVectors();
    this.drawNorms(st);
  }

  /** The selected token's three vectors over the dimensions (plain data from the state). */
  private drawVectors(): void {
    const s = this.ctx.store.state;
    if (!s) return;
    const r = s.result;
    const selected = this.ctx.store.selectedRow;
    const row = selected ?? (r.tokens.length ? 0 : null);
    if (row === null) {
      this.vectors.clear();
      return;
    }
    const theme = this.ctx.store.theme;
    const colors = seriesColors(theme);
    const d = r.dim;
    const p = r.positions[row]!;
    const dims = Array.from({ length: d }, (_, i) => String(i));
    this.vecCaption.textContent = `Vectors of token ${r.firstToken + row} “${tokenText(this.ctx, row)}” (id ${r.tokens[row]!.id}) at position ${p}${selected === null ? ' — select a token to change' : ''}`;
    const line = (label: string, data: Float32Array, color: string) => ({
      label,
      data: Array.from(data),
      borderColor: color,
      backgroundColor: color,
      pointRadius: d <= 64 ? 2 : 0,
      borderWidth: 1,
    });
    this.vectors.set<'line'>({
      type: 'line',
      data: {
        labels: dims,
        datasets: [
          line('token', r.tokenEmbeddings.subarray(row * d, (row + 1) * d), colors.token),
          line(`position ${p}`, r.positionalEmbeddings.subarray(p * d, (p + 1) * d), colors.position),
          line('token + position', r.combinedEmbeddings.subarray(row * d, (row + 1) * d), colors.combined),
        ],
      },
      options: { ...baseOptions(theme), interaction: { mode: 'index', intersect: false }, scales: { x: axis(theme, 'dimension'), y: axis(theme, 'value') } },
    });
  }

  /** |token|, |position|, |token + position| of every token. */
  private drawNorms(st: AnalysisResultOf<'tokenStats'>): void {
    const s = this.ctx.store.state;
    if (!s) return;
    const r = s.result;
    const theme = this.ctx.store.theme;
    const colors = seriesColors(theme);
    this.status.show(pageNotice(st.page));
    // The token's index, then its text: chart.js drops labels that do not fit, and the ones left must still
    // say which token they are (position slots repeat every context length: "0: ·I, 0: ·thought" named none).
    const first = st.page.firstToken;
    const labels = Array.from({ length: st.page.count }, (_, i) => `${first + i} ${tokenText(this.ctx, i)}`);
    const bar = (label: string, data: Float64Array, color: string) => ({ label, data: Array.from(data), backgroundColor: color });
    const chart = this.norms.set<'bar'>({
      type: 'bar',
      data: {
        labels,
        datasets: [
          bar('|token|', st.tokenNorm, colors.token),
          bar('|position|', st.positionNorm, colors.position),
          bar('|token + position|', st.combinedNorm, colors.combined),
        ],
      },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'token (index and text)'), y: axis(theme, 'length (L2 norm)') },
        onClick: (_e, active) => {
          if (active[0]) this.ctx.selectRow(active[0].index);
        },
        plugins: {
          ...baseOptions(theme).plugins,
          tooltip: {
            ...baseOptions(theme).plugins.tooltip,
            callbacks: {
              title: (items) => {
                const i = items[0]?.dataIndex;
                const t = i === undefined ? undefined : r.tokens[i];
                return i === undefined || !t ? '' : `token ${first + i} “${tokenText(this.ctx, i)}” (id ${t.id}) at position ${r.positions[i]}`;
              },
            },
          },
        },
      },
      plugins: [publishXTicks],
    });
    chart.canvas.dataset.bars = String(st.page.count);
  }
}
