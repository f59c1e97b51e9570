/**
 * Projection tab: a 2-D PCA of the token vectors (circles) and the token + position vectors (squares) in one
 * basis, with an arrow from each token to its position-shifted vector. Hovering a point selects its token.
 */
import { h } from '../../shared/dom';
import { fmt4 } from '../../shared/format';
import { paddedBounds } from './arrowGeometry';
import { ChartSlot, arrowPlugin, axis, baseOptions, seriesColors } from './charts';
import { projectionSummary } from './summaries';
import { StatusLine, figure, rowKeys, sizeBox, tokenText, type AnalysisResultOf, type AnalysisTab, type TabContext } from './tab';

export class ProjectionTab implements AnalysisTab<'projection'> {
  readonly kind = 'projection';
  readonly status = new StatusLine();
  readonly panel: HTMLElement;
  private readonly box = h('div', { class: 'chart-box proj-box', id: 'projection-box' });
  private readonly slot: ChartSlot;
  private hovered: number | null = null;

  constructor(private readonly ctx: TabContext) {
    this.slot = new ChartSlot(
      this.box,
      'PCA scatter: token vectors and token + position vectors, with an arrow from each token to its position-shifted vector',
    );
    this.slot.canvas.id = 'projection-canvas';
    this.slot.canvas.tabIndex = 0;
    this.slot.canvas.addEventListener('keydown', (e) => rowKeys(ctx, e));
    sizeBox(this.box, 440);
    this.panel = h(
      'div',
      {},
      h(
        'p',
        { class: 'muted' },
        'A 2-D PCA of the token vectors (circles) and the combined token + position vectors (squares) in one basis. Each arrow is what the position did to that token. Hover a point to select its token.',
      ),
      this.status.element,
      figure('Projection (PCA)', this.box),
    );
  }

  select(): void {
    // Update in place: the selection may come from this chart's own hover handler, and destroying a chart
    // inside its handler leaves chart.js drawing on a released canvas.
    this.slot.current?.update('none');
  }

  draw(r: AnalysisResultOf<'projection'>): void {
    const n = r.page.count;
    const theme = this.ctx.store.theme;
    this.status.show(projectionSummary(r.page, r.explainedVarianceRatio));
    const pts = (c: Float32Array) => Array.from({ length: n }, (_, i) => ({ x: c[2 * i]!, y: c[2 * i + 1]! }));
    const colors = seriesColors(theme);
    // Scriptable options read the live selection, so a new selection only needs chart.update().
    const isSel = (i: number) => i === this.ctx.store.selectedRow;
    const radius = (i: number) => (isSel(i) ? 7 : 3);
    // One point per token; the selected token is larger and outlined in the highlight colour.
    const points = (label: string, coords: Float32Array, color: string, pointStyle: 'circle' | 'rect') => ({
      label,
      data: pts(coords),
      backgroundColor: color,
      borderColor: (c: { dataIndex: number }) => (isSel(c.dataIndex) ? theme.highlight : color),
      pointRadius: (c: { dataIndex: number }) => radius(c.dataIndex),
      pointStyle,
    });
    const b = paddedBounds(r.tokenCoords, r.combinedCoords);
    this.hovered = null;
    const chart = this.slot.set<'scatter'>({
      type: 'scatter',
      data: {
        datasets: [points('token', r.tokenCoords, colors.token, 'circle'), points('token + position', r.combinedCoords, colors.combined, 'rect')],
      },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'PC1', { min: b.xMin, max: b.xMax }), y: axis(theme, 'PC2', { min: b.yMin, max: b.yMax }) },
        onHover: (_e, active) => {
          // chart.js replays the last mouse event on every update: select only when the hovered point
          // changes, so a keyboard selection is not snapped back to the point under a resting mouse.
          const hit = active[0]?.index ?? null;
          if (hit === this.hovered) return;
          this.hovered = hit;
          if (hit !== null && hit !== this.ctx.store.selectedRow) this.ctx.selectRow(hit);
        },
        plugins: {
          ...baseOptions(theme).plugins,
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? `“${tokenText(this.ctx, items[0].dataIndex)}” · token ${r.page.firstToken + items[0].dataIndex}` : ''),
              label: (item) => `${item.datasetIndex === 0 ? 'token' : 'token + position'}: (${fmt4(item.parsed.x ?? NaN)}, ${fmt4(item.parsed.y ?? NaN)})`,
            },
          },
        },
      },
      plugins: [
        arrowPlugin({
          color: () => theme.muted,
          labelColor: () => theme.foreground,
          font: () => `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`,
          label: (i) => (n <= 64 || isSel(i) ? tokenText(this.ctx, i) : null),
        }),
      ],
    });
    chart.canvas.dataset.points = String(n);
  }
}
