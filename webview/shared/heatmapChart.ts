/**
 * chart.js heatmap drawn as one bitmap. Like chartjs-chart-matrix this registers a dataset controller
 * (`heatmapBitmap`) plus an interaction mode (`heatmapCell`), but instead of one element per cell (3M
 * elements for 4,096 × 768 would never stay interactive) the controller paints the grid into an ImageData
 * sized to the device pixels of the chart area (down-sampled with max-|v| when the grid is larger) and
 * blits it. chart.js still provides the axes, the tooltip model and event handling; the maths lives in
 * heatmapMath.ts so Node tests cover it.
 */
import {
  Chart,
  DatasetController,
  Element,
  Interaction,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartEvent,
  type InteractionItem,
  type InteractionModeFunction,
  type TooltipModel,
} from 'chart.js';
import {
  cellAtPixel,
  cellCenter,
  cellRect,
  integerTicks,
  niceTicks,
  downsampleMaxAbs,
  paintGrid,
  planDownsample,
  type ChartArea,
  type DownsamplePlan,
} from './heatmapMath';
import type { ThemeColors } from './theme';

/** What one heatmap shows. `values` is row-major rows × cols. */
export interface HeatmapModel {
  rows: number;
  cols: number;
  values: Float32Array;
  maxAbs: number;
  lut: Uint8ClampedArray;
  selectedRow: number | null;
  highlight: string;
  /** Filled by the controller after each draw (what the bitmap really holds). */
  plan?: DownsamplePlan;
}

interface BitmapCache {
  key: string;
  canvas: HTMLCanvasElement;
}

// Keyed by canvas so the model exists before `new Chart` paints for the first time.
const models = new WeakMap<HTMLCanvasElement, HeatmapModel>();
const bitmaps = new WeakMap<HeatmapModel, BitmapCache>();
const lutIds = new WeakMap<object, number>();
let nextLutId = 1;
function idOf(o: object): number {
  let id = lutIds.get(o);
  if (id === undefined) lutIds.set(o, (id = nextLutId++));
  return id;
}

export function modelOf(chart: Chart): HeatmapModel | undefined {
  return models.get(chart.canvas);
}

function areaOf(chart: Chart): ChartArea {
  const a = chart.chartArea;
  return { left: a.left, top: a.top, width: a.right - a.left, height: a.bottom - a.top };
}

/** A point element at a cell centre, so chart.js's tooltip positioners have something to anchor to. */
class CellPoint extends Element {
  constructor(x: number, y: number) {
    super();
    this.x = x;
    this.y = y;
  }
  override tooltipPosition(): { x: number; y: number } {
    return { x: this.x, y: this.y };
  }
}

export class HeatmapBitmapController extends DatasetController {
  static id = 'heatmapBitmap';
  // chart.js requires a registered element type; none is ever created because dataset.data stays empty.
  static defaults = { dataElementType: 'point', datasetElementType: false };

  // The grid lives in the model, not in dataset.data: chart.js parses nothing per cell.
  override parse(): void {}
  override update(): void {}
  override setHoverStyle(): void {}
  override removeHoverStyle(): void {}

  override getLabelAndValue(index: number): { label: string; value: string } {
    const model = models.get(this.chart.canvas);
    if (!model) return { label: '', value: '' };
    const row = Math.floor(index / model.cols);
    const col = index % model.cols;
    return { label: `${row},${col}`, value: String(model.values[index]) };
  }

  override draw(): void {
    const chart = this.chart;
    const model = models.get(chart.canvas);
    if (!model || model.rows === 0 || model.cols === 0) return;
    const area = areaOf(chart);
    if (area.width <= 0 || area.height <= 0) return;
    const dpr = chart.currentDevicePixelRatio || 1;
    const plan = planDownsample(model.rows, model.cols, Math.round(area.height * dpr), Math.round(area.width * dpr));
    model.plan = plan;
    const key = `${plan.outRows}x${plan.outCols}|${model.maxAbs}|${idOf(model.lut)}|${idOf(model.values)}`;
    let cache = bitmaps.get(model);
    if (!cache || cache.key !== key) {
      const canvas = cache?.canvas ?? document.createElement('canvas');
      canvas.width = plan.outCols;
      canvas.height = plan.outRows;
      const grid =
        plan.outRows === model.rows && plan.outCols === model.cols
          ? model.values
          : downsampleMaxAbs(model.values, model.rows, model.cols, plan.outRows, plan.outCols);
      const image = new ImageData(plan.outCols, plan.outRows);
      paintGrid(grid, plan.outRows * plan.outCols, model.maxAbs, model.lut, image.data);
      canvas.getContext('2d')!.putImageData(image, 0, 0);
      cache = { key, canvas };
      bitmaps.set(model, cache);
    }
    const ctx = chart.ctx;
    ctx.save();
    // Nearest-neighbour: a 5-token grid stretched to 300 px must stay 5 crisp rows, not a blur.
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cache.canvas, area.left, area.top, area.width, area.height);
    if (model.selectedRow !== null && model.selectedRow < model.rows) {
      const r = cellRect({ row: model.selectedRow, col: 0 }, area, model.rows, 1);
      const h = Math.max(r.height, 3);
      const top = Math.min(Math.max(r.top + r.height / 2 - h / 2, area.top), area.top + area.height - h);
      ctx.strokeStyle = model.highlight;
      ctx.lineWidth = 2;
      ctx.strokeRect(area.left + 1, top + 1, area.width - 2, h - 2);
      // Edge markers outside the area stay visible even when the row is thinner than the stroke.
      ctx.fillStyle = model.highlight;
      ctx.fillRect(area.left - 6, top + h / 2 - 2, 5, 4);
      ctx.fillRect(area.left + area.width + 1, top + h / 2 - 2, 5, 4);
    }
    ctx.restore();
  }
}

/** Interaction mode: the one cell under the pointer (index = row × cols + col). */
function heatmapCellMode(chart: Chart, e: ChartEvent): InteractionItem[] {
  const model = models.get(chart.canvas);
  if (!model || e.x === null || e.y === null) return [];
  const area = areaOf(chart);
  const cell = cellAtPixel(e.x, e.y, area, model.rows, model.cols);
  if (!cell) return [];
  const c = cellCenter(cell, area, model.rows, model.cols);
  return [{ element: new CellPoint(c.x, c.y), datasetIndex: 0, index: cell.row * model.cols + cell.col }];
}

declare module 'chart.js' {
  interface InteractionModeMap {
    heatmapCell: InteractionModeFunction;
  }
}

let registered = false;
export function registerHeatmap(): void {
  if (registered) return;
  registered = true;
  Chart.register(HeatmapBitmapController, PointElement, LinearScale, Tooltip);
  Interaction.modes.heatmapCell = heatmapCellMode;
}

export interface HeatmapViewOptions {
  container: HTMLElement;
  xTitle: string;
  yTitle: string;
  /** Row index → y tick label. */
  rowLabel?: (row: number) => string;
  /** Tooltip text of a cell; null hides the tooltip. */
  describe?: (row: number, col: number) => { title: string; lines: string[] } | null;
  onSelectRow?: (row: number) => void;
  /** The tooltip element (one per page, positioned over the hovered chart). */
  tooltipEl?: HTMLElement;
  showYAxis?: boolean;
  showXAxis?: boolean;
  /** For colour bars: the x axis spans these values instead of column indices. */
  xRange?: [number, number];
  tooltips?: boolean;
  /** After every paint (first paint, resize, theme): e.g. to show the down-sampling notice. */
  onRendered?: (model: HeatmapModel) => void;
}

/** One heatmap canvas bound to a model; updating the model repaints without rebuilding the chart. */
export class HeatmapView {
  readonly canvas: HTMLCanvasElement;
  readonly chart: Chart;
  private model: HeatmapModel;

  constructor(
    private readonly opts: HeatmapViewOptions,
    model: HeatmapModel,
    theme: ThemeColors,
  ) {
    registerHeatmap();
    this.model = model;
    this.canvas = document.createElement('canvas');
    opts.container.append(this.canvas);
    models.set(this.canvas, model);
    this.chart = new Chart(this.canvas, {
      // The registry knows the type; chart.js's static typing only covers built-in chart types.
      type: 'heatmapBitmap' as 'scatter',
      data: { datasets: [{ data: [] }] },
      options: this.chartOptions(theme),
      plugins: [
        {
          id: 'heatmapSync',
          afterRender: (chart: Chart) => {
            this.syncAttributes(chart);
            opts.onRendered?.(this.model);
          },
        },
      ],
    });
    this.syncAttributes(this.chart);
  }

  private chartOptions(theme: ThemeColors) {
    const { opts, model } = this;
    const font = { family: theme.fontFamily, size: Math.max(10, theme.fontSize - 2) };
    const x = opts.xRange;
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      events: ['mousemove', 'mouseout', 'click'] as ('mousemove' | 'mouseout' | 'click')[],
      interaction: { mode: 'heatmapCell' as const, intersect: true },
      layout: { padding: { left: 8, right: 8 } },
      onClick: (_e: ChartEvent, active: { index: number }[]) => {
        if (active.length && opts.onSelectRow) opts.onSelectRow(Math.floor(active[0]!.index / this.model.cols));
      },
      scales: {
        x: {
          type: 'linear' as const,
          display: opts.showXAxis ?? true,
          min: x ? x[0] : -0.5,
          max: x ? x[1] : model.cols - 0.5,
          grid: { display: false },
          border: { color: theme.border },
          afterBuildTicks: (axis: { ticks: { value: number }[]; width: number; min: number; max: number }) => {
            const most = Math.max(2, Math.floor(axis.width / 60));
            // A value axis (the legend) gets round numbers; a dimension axis whole columns from 0.
            axis.ticks = (x ? niceTicks(axis.min, axis.max, most) : integerTicks(this.model.cols, most)).map((value) => ({ value }));
          },
          ticks: {
            color: theme.muted,
            font,
            maxRotation: 0,
            autoSkipPadding: 12,
            ...(x ? {} : { precision: 0 }),
            callback: x ? (v: string | number) => String(Number(v)) : undefined,
          },
          title: { display: !x || Boolean(opts.xTitle), text: opts.xTitle, color: theme.muted, font },
        },
        y: {
          type: 'linear' as const,
          display: opts.showYAxis ?? true,
          reverse: true,
          min: -0.5,
          max: model.rows - 0.5,
          grid: { display: false },
          border: { color: theme.border },
          afterBuildTicks: (axis: { ticks: { value: number }[]; height: number }) => {
            // Whole rows only (no "0.5" rows), always starting at row 0.
            axis.ticks = integerTicks(this.model.rows, Math.max(2, Math.floor(axis.height / 18))).map((value) => ({ value }));
          },
          ticks: {
            color: theme.muted,
            font,
            precision: 0,
            autoSkip: true,
            callback: (v: string | number) => (opts.rowLabel ? opts.rowLabel(Number(v)) : String(v)),
          },
          title: { display: Boolean(opts.yTitle), text: opts.yTitle, color: theme.muted, font },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          enabled: false,
          external: opts.tooltips === false ? undefined : (ctx: { chart: Chart; tooltip: TooltipModel<'scatter'> }) => this.renderTooltip(ctx.tooltip),
          callbacks: {
            title: (items: { dataIndex: number }[]) => this.describeIndex(items[0]?.dataIndex)?.title ?? '',
            label: (item: { dataIndex: number }) => this.describeIndex(item.dataIndex)?.lines ?? [],
          },
        },
      },
    };
  }

  private describeIndex(index: number | undefined) {
    if (index === undefined || !this.opts.describe) return null;
    return this.opts.describe(Math.floor(index / this.model.cols), index % this.model.cols);
  }

  private renderTooltip(tooltip: TooltipModel<'scatter'>): void {
    const el = this.opts.tooltipEl;
    if (!el) return;
    if (tooltip.opacity === 0 || !tooltip.dataPoints?.length) {
      if (el.dataset.owner === this.canvas.id) el.hidden = true;
      return;
    }
    const d = this.describeIndex(tooltip.dataPoints[0]!.dataIndex);
    if (!d) {
      el.hidden = true;
      return;
    }
    el.replaceChildren();
    const title = document.createElement('div');
    title.className = 'tooltip-title';
    title.textContent = d.title;
    el.append(title);
    for (const line of d.lines) {
      const div = document.createElement('div');
      div.textContent = line;
      el.append(div);
    }
    el.dataset.owner = this.canvas.id;
    el.hidden = false;
    // Position over the page (CSSOM styles are allowed by the CSP; only inline style attributes are not).
    const rect = this.canvas.getBoundingClientRect();
    const left = rect.left + window.scrollX + tooltip.caretX + 12;
    const top = rect.top + window.scrollY + tooltip.caretY + 12;
    const maxLeft = window.scrollX + document.documentElement.clientWidth - el.offsetWidth - 4;
    el.style.left = `${Math.max(4, Math.min(left, maxLeft))}px`;
    el.style.top = `${top}px`;
  }

  /** Replace the grid (new state) and/or theme; keeps the chart instance. */
  setModel(model: HeatmapModel, theme?: ThemeColors): void {
    this.model = model;
    models.set(this.canvas, model);
    if (theme) this.chart.options = this.chartOptions(theme) as typeof this.chart.options;
    else {
      const scales = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
      scales.y!.max = model.rows - 0.5;
      if (!this.opts.xRange) scales.x!.max = model.cols - 0.5;
    }
    this.chart.update('none');
    this.syncAttributes();
  }

  setSelectedRow(row: number | null): void {
    if (this.model.selectedRow === row) return;
    this.model.selectedRow = row;
    this.chart.draw();
    this.syncAttributes();
  }

  get currentModel(): HeatmapModel {
    return this.model;
  }

  /** Geometry for tests and for the down-sampling notice; plain data attributes, no globals. */
  private syncAttributes(chart: Chart = this.chart): void {
    const a = areaOf(chart);
    const c = this.canvas.dataset;
    c.rows = String(this.model.rows);
    c.cols = String(this.model.cols);
    c.area = [a.left, a.top, a.width, a.height].join(',');
    c.selectedRow = this.model.selectedRow === null ? '' : String(this.model.selectedRow);
    c.maxAbs = String(this.model.maxAbs);
  }

  destroy(): void {
    models.delete(this.canvas);
    this.chart.destroy();
    this.canvas.remove();
  }
}
