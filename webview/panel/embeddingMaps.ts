/**
 * The Embeddings tab: token, positional and combined heatmaps on one shared diverging scale with a colour-bar
 * legend, and the selected row's values as a table (the heatmaps' text alternative). Arrow keys on a map move
 * the selection; Enter reveals the token in the editor.
 */
import type { ViewInspectResult } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { fmt4, fmtInt, sumLine } from '../shared/format';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { axisMargins, HeatmapView, type HeatmapModel } from '../shared/heatmapChart';
import { mapPlotHeight, type MapKind, type PreviewGrid } from '../../src/shared/paintPreview';
import type { ThemeColors } from '../shared/theme';
import { LUT_STEPS, legendValues, robustScale, type ScaleRange } from '../shared/heatmapMath';
import { renderValuesTable } from '../shared/valuesTable';
import type { PanelStore } from './store';

export interface EmbeddingMapsOptions {
  tooltip: HTMLElement;
  selectRow(row: number): void;
  reveal(row: number): void;
}

interface MapFigure {
  figure: HTMLElement;
  box: HTMLElement;
  notice: HTMLElement;
  caption: HTMLElement;
}

function mapFigure(id: string, caption: string): MapFigure {
  const cap = h('figcaption', {}, caption);
  const box = h('div', { class: 'chart-box', id: `${id}-box` });
  const notice = h('p', { class: 'notice', hidden: true });
  return { figure: h('figure', { class: 'map', id }, cap, box, notice), box, notice, caption: cap };
}

export function describeTokenCell(r: ViewInspectResult, row: number, col: number) {
  const t = r.tokens[row];
  if (!t) return null;
  const p = r.positions[row]!;
  const d = r.dim;
  return {
    title: `“${visibleTokenText(t.text)}” · id ${t.id}`,
    lines: [
      `token ${r.firstToken + row} · position ${p} · dim ${col}`,
      sumLine(r.tokenEmbeddings[row * d + col]!, r.positionalEmbeddings[p * d + col]!, r.combinedEmbeddings[row * d + col]!),
    ],
  };
}

export function describePositionCell(r: ViewInspectResult, row: number, col: number) {
  const users: number[] = [];
  for (let i = 0; i < r.tokens.length && users.length < 6; i++) if (r.positions[i] === row) users.push(r.firstToken + i);
  return {
    title: `position ${row} · dim ${col}`,
    lines: [
      `pos ${fmt4(r.positionalEmbeddings[row * r.dim + col]!)}`,
      users.length ? `used by token${users.length > 1 ? 's' : ''} ${users.join(', ')}${users.length === 6 ? ', …' : ''}` : 'no token of this page at this slot',
    ],
  };
}

export function legendText(scale: ScaleRange): string {
  const base = `Shared colour scale, symmetric around 0: ±${fmt4(scale.maxAbs)}`;
  if (scale.clippedFraction === 0) return base;
  const pct = scale.clippedFraction * 100;
  return `${base} · ${pct < 0.1 ? '<0.1' : pct.toFixed(1)}% of values lie beyond and are drawn at the end colours (largest |v| ${fmt4(scale.dataMaxAbs)})`;
}

function noticeFor(notice: HTMLElement) {
  return (m: HeatmapModel) => {
    const { rows, cols, plan: p } = m;
    const sampled = p !== undefined && (p.rowsPerCell > 1 || p.colsPerCell > 1);
    notice.hidden = !sampled;
    if (sampled) {
      notice.textContent =
        `Down-sampled to fit: ${fmtInt(rows)} × ${fmtInt(cols)} values drawn as ${fmtInt(p.outRows)} × ${fmtInt(p.outCols)} pixels; ` +
        `each pixel shows the largest-magnitude value of up to ${p.rowsPerCell} × ${p.colsPerCell} cells. Hover or select a row for exact values.`;
    }
  };
}

/** The maps' axes (the same options every map view gets below). */
const MAP_AXES = { xTitle: 'dimension' } as const;

/**
 * Sizes a map's box so that its plot area is exactly mapPlotHeight: the height the engine's paint preview
 * planned its rows for (src/shared/paintPreview.ts).
 */
function sizeBox(box: HTMLElement, rows: number, kind: MapKind, theme: ThemeColors): void {
  const { top, bottom } = axisMargins(theme, MAP_AXES);
  // CSSOM style writes are allowed by the CSP (only inline style attributes/elements are not).
  box.style.height = `${mapPlotHeight(rows, kind) + top + bottom}px`;
}

interface Views {
  tok: HeatmapView;
  pos: HeatmapView;
  comb: HeatmapView;
  legend: HeatmapView;
}

export class EmbeddingMaps {
  private readonly tok = mapFigure('map-token', 'Token embeddings');
  private readonly pos = mapFigure('map-position', 'Positional embeddings');
  private readonly comb = mapFigure('map-combined', 'Combined = token + position');
  private readonly legendBox = h('div', { class: 'chart-box legend-box', id: 'legend-box' });
  private readonly legendCaption = h('figcaption', {}, 'Shared colour scale (symmetric around 0)');
  private readonly valuesTarget = h('div', { class: 'values-wrap', id: 'values' });
  /** The three maps and their legend. */
  readonly maps = h(
    'section',
    { class: 'maps', 'aria-label': 'Heatmaps' },
    h('figure', { class: 'legend', id: 'legend' }, this.legendCaption, this.legendBox),
    this.tok.figure,
    this.pos.figure,
    this.comb.figure,
  );
  readonly valuesSection = h('details', { class: 'values-section' }, h('summary', {}, 'Values of the selected row (table)'), this.valuesTarget);
  private views: Views | null = null;

  constructor(
    private readonly store: PanelStore,
    private readonly opts: EmbeddingMapsOptions,
  ) {
    store.onState.on((s) => {
      this.render(s.result, false);
      this.renderValues();
    });
    store.onSelect.on((row, changed) => {
      const r = store.state?.result;
      this.views?.tok.setSelectedRow(row);
      this.views?.comb.setSelectedRow(row);
      this.views?.pos.setSelectedRow(row === null || !r ? null : r.positions[row]!);
      if (changed) this.renderValues();
    });
    // The table (one row per dimension) is built only while it is open: closed, it costs nothing per state or selection.
    this.valuesSection.addEventListener('toggle', () => this.renderValues());
    store.onTheme.on(() => {
      if (store.state) this.render(store.state.result, true);
    });
  }

  private renderValues(): void {
    const s = this.store.state;
    if (this.valuesSection.open) renderValuesTable(this.valuesTarget, s?.result ?? null, this.store.selectedRow);
    else this.valuesTarget.replaceChildren(h('p', { class: 'muted' }, 'Open this section to list the selected row’s values.'));
  }

  private models(r: ViewInspectResult) {
    const theme = this.store.theme;
    // The engine's preview (computed with the same code off the UI thread), else the pass over every value here.
    const scale = r.preview?.scale ?? robustScale([r.tokenEmbeddings, r.positionalEmbeddings, r.combinedEmbeddings]);
    const p = r.preview;
    const preview = (grid: PreviewGrid | undefined) => (p && grid ? { preview: { grid, pixelRatio: p.pixelRatio, maxAbs: p.scale.maxAbs, lut: p.lut } } : {});
    this.legendCaption.textContent = legendText(scale);
    // The legend is a picture of the scale: its text alternative is the same sentence.
    this.views?.legend.canvas.setAttribute('aria-label', `Colour bar: blue negative, red positive. ${legendText(scale)}`);
    const maxAbs = scale.maxAbs;
    const base = { maxAbs, lut: theme.lut, highlight: theme.highlight, cols: r.dim };
    const sel = this.store.selectedRow;
    return {
      tok: { ...base, rows: r.tokens.length, values: r.tokenEmbeddings, selectedRow: sel, ...preview(r.preview?.token) },
      pos: {
        ...base,
        rows: r.contextLength,
        values: r.positionalEmbeddings,
        selectedRow: sel === null ? null : r.positions[sel]!,
        ...preview(r.preview?.position),
      },
      comb: { ...base, rows: r.tokens.length, values: r.combinedEmbeddings, selectedRow: sel, ...preview(r.preview?.combined) },
      legend: { ...base, rows: 1, cols: LUT_STEPS, values: legendValues(maxAbs, LUT_STEPS), selectedRow: null },
    } satisfies Record<string, HeatmapModel>;
  }

  private keyNav(view: HeatmapView): void {
    view.canvas.tabIndex = 0;
    view.canvas.addEventListener('keydown', (e) => {
      const n = this.store.state?.result.tokens.length ?? 0;
      if (n === 0) return;
      const selected = this.store.selectedRow;
      const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
      let next: number | null = null;
      if (e.key in step) next = Math.max(0, Math.min(n - 1, (selected ?? -1) + step[e.key]!));
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = n - 1;
      else if (e.key === 'Enter' && selected !== null) this.opts.reveal(selected);
      if (next !== null) {
        e.preventDefault();
        this.opts.selectRow(next);
      }
    });
  }

  /** A token row on the axis: its index in the document and its visible text (the tooltip has the rest). */
  private rowLabel(row: number): string {
    const r = this.store.state?.result;
    const t = r?.tokens[row];
    return r && t ? `${r.firstToken + row} ${visibleTokenText(t.text)}` : String(row);
  }

  private render(r: ViewInspectResult, themeChanged: boolean): void {
    const m = this.models(r);
    const theme = this.store.theme;
    sizeBox(this.tok.box, r.tokens.length, 'tokens', theme);
    sizeBox(this.comb.box, r.tokens.length, 'tokens', theme);
    sizeBox(this.pos.box, r.contextLength, 'positions', theme);
    this.tok.caption.textContent = `Token embeddings · ${fmtInt(r.tokens.length)} tokens × ${fmtInt(r.dim)} dims`;
    this.pos.caption.textContent =
      r.positional === 'none'
        ? `Positional embeddings · none (zeros) · ${fmtInt(r.contextLength)} × ${fmtInt(r.dim)}`
        : `Positional embeddings (${r.positional}) · ${fmtInt(r.contextLength)} positions × ${fmtInt(r.dim)} dims`;
    this.comb.caption.textContent = `Combined = token + position · ${fmtInt(r.tokens.length)} × ${fmtInt(r.dim)}`;
    if (!this.views) {
      this.views = this.create(m);
      return;
    }
    const v = this.views;
    v.tok.setModel(m.tok, themeChanged ? theme : undefined);
    v.pos.setModel(m.pos, themeChanged ? theme : undefined);
    v.comb.setModel(m.comb, themeChanged ? theme : undefined);
    v.legend.setModel(m.legend, theme);
    v.legend.setXRange(-m.legend.maxAbs, m.legend.maxAbs); // its x axis follows the new scale
  }

  private create(m: ReturnType<EmbeddingMaps['models']>): Views {
    const theme = this.store.theme;
    const state = () => this.store.state;
    const common = { tooltipEl: this.opts.tooltip, onSelectRow: (row: number) => this.opts.selectRow(row) };
    const tokenMap = (fig: MapFigure) => ({
      ...common,
      // Clicking a token row selects it and shows the token in the editor, like clicking its chip.
      onSelectRow: (row: number) => {
        this.opts.selectRow(row);
        this.opts.reveal(row);
      },
      container: fig.box,
      ...MAP_AXES,
      yTitle: 'token',
      rowLabel: (row: number) => this.rowLabel(row),
      describe: (row: number, col: number) => {
        const s = state();
        return s ? describeTokenCell(s.result, row, col) : null;
      },
      onRendered: noticeFor(fig.notice),
    });
    const tok = new HeatmapView(tokenMap(this.tok), m.tok, theme);
    const pos = new HeatmapView(
      {
        ...common,
        container: this.pos.box,
        ...MAP_AXES,
        yTitle: 'position',
        describe: (row, col) => {
          const s = state();
          return s ? describePositionCell(s.result, row, col) : null;
        },
        onSelectRow: (slot) => {
          const i = state()?.result.positions.indexOf(slot) ?? -1;
          if (i >= 0) this.opts.selectRow(i);
        },
        onRendered: noticeFor(this.pos.notice),
      },
      m.pos,
      theme,
    );
    const comb = new HeatmapView(tokenMap(this.comb), m.comb, theme);
    const legend = new HeatmapView(
      { container: this.legendBox, xTitle: '', yTitle: '', showYAxis: false, xRange: [-m.legend.maxAbs, m.legend.maxAbs], tooltips: false },
      m.legend,
      theme,
    );
    tok.canvas.id = 'canvas-token';
    pos.canvas.id = 'canvas-position';
    comb.canvas.id = 'canvas-combined';
    legend.canvas.id = 'canvas-legend';
    for (const [v, label] of [
      [tok, 'Token embeddings heatmap'],
      [pos, 'Positional embeddings heatmap'],
      [comb, 'Combined embeddings heatmap'],
    ] as const) {
      v.canvas.setAttribute('role', 'img');
      v.canvas.setAttribute('aria-label', `${label}. Up and down arrows select a token; the values table lists the selected row.`);
      v.canvas.setAttribute('aria-describedby', 'values');
      this.keyNav(v);
    }
    legend.canvas.setAttribute('role', 'img');
    legend.canvas.setAttribute('aria-label', `Colour bar: blue negative, red positive. ${this.legendCaption.textContent ?? ''}`);
    return { tok, pos, comb, legend };
  }
}
