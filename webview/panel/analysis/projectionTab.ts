/**
 * Projection tab: a 2-D PCA of the token vectors (circles) and the token + position vectors (squares) in one
 * basis, with an arrow from each token to its position-shifted vector. Hovering a point selects its token.
 * The axes say how much of the variance each component explains; squares carry their token's text (all of
 * them up to LABEL_ALL tokens, else the selected one) and every point's tooltip names its token.
 */
import { h } from '../../shared/dom';
import { fmt4 } from '../../shared/format';
import { paddedBounds } from './arrowGeometry';
import { ChartSlot, arrowPlugin, axis, baseOptions, seriesColors } from './charts';
import { projectionSummary } from './summaries';
import { StatusLine, figure, rowKeys, sizeBox, tokenText, type AnalysisResultOf, type AnalysisTab, type TabContext } from './tab';

/** Up to this many tokens every square is labelled with its token's text; beyond, only the selected one. */
const LABEL_ALL = 64;

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
        `Each page token is two points in one 2-D PCA basis: its token vector (circle) and its token + position vector (square), joined by an arrow — what the position did to that token. Squares are labelled with the token’s text (every token up to ${LABEL_ALL}, else the selected one); hover a point for its token and coordinates, and to select it.`,
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
    // One point per token; the selected token's is larger and outlined in the highlight colour.
    const points = (label: string, coords: Float32Array, color: string, pointStyle: 'circle' | 'rect') => ({
      label,
      data: pts(coords),
      backgroundColor: color,
      borderColor: (c: { dataIndex: number }) => (isSel(c.dataIndex) ? theme.highlight : color),
      pointRadius: (c: { dataIndex: number }) => radius(c.dataIndex),
      pointStyle,
    });
    const b = paddedBounds(r.tokenCoords, r.combinedCoords);
    const [pc1, pc2] = r.explainedVarianceRatio.map((v) => `${(v * 100).toFixed(1)}% of the variance`) as [string, string];
    const labelsAll = n <= LABEL_ALL;
    this.slot.canvas.setAttribute(
      'aria-label',
      `PCA scatter of ${n} tokens: x = PC1 (${pc1}), y = PC2 (${pc2}); circles are token vectors, squares token + position vectors, ` +
        `an arrow joins each token’s two points; ${labelsAll ? 'every square is labelled with its token’s text' : 'the selected token’s square is labelled with its text'}.`,
    );
    this.hovered = null;
    const chart = this.slot.set<'scatter'>({
      type: 'scatter',
      data: {
        datasets: [points('token vector', r.tokenCoords, colors.token, 'circle'), points('token + position vector', r.combinedCoords, colors.combined, 'rect')],
      },
      options: {
        ...baseOptions(theme),
        // No ticks at the padded bounds (−17.991, 14.07): only the round values inside.
        scales: {
          x: axis(theme, `PC1 (${pc1})`, { min: b.xMin, max: b.xMax }, { includeBounds: false }),
          y: axis(theme, `PC2 (${pc2})`, { min: b.yMin, max: b.yMax }, { includeBounds: false }),
        },
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
          // Circle and square in the legend, as in the chart.
          legend: { labels: { ...baseOptions(theme).plugins.legend.labels, usePointStyle: true } },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? `“${tokenText(this.ctx, items[0].dataIndex)}” · token ${r.page.firstToken + items[0].dataIndex}` : ''),
              label: (item) =>
                `${item.datasetIndex === 0 ? 'token vector (circle)' : `token + position ${this.positionOf(item.dataIndex)} (square)`}: (${fmt4(item.parsed.x ?? NaN)}, ${fmt4(item.parsed.y ?? NaN)})`,
            },
          },
        },
      },
      plugins: [
        arrowPlugin({
          color: () => theme.muted,
          labelColor: () => theme.foreground,
          font: () => `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`,
          label: (i) => (labelsAll || isSel(i) ? tokenText(this.ctx, i) : null),
        }),
      ],
    });
    chart.canvas.dataset.points = String(n);
  }

  private positionOf(row: number): string {
    const p = this.ctx.store.state?.result.positions[row];
    return p === undefined ? '' : `at position ${p}`;
  }
}
