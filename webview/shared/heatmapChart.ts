/**
 * A heatmap on one canvas: the grid as one bitmap (down-sampled with max-|v| to the device pixels of the plot
 * area when it is larger, painted with putImageData at that size only and stretched without smoothing), axes
 * with whole-row / whole-column ticks, the selected row outlined, a tooltip for the cell under the pointer.
 *
 * Drawn by hand rather than by chart.js: a chart.js chart reads computed styles and sizes itself through a
 * ResizeObserver that drew every map twice on first paint — half of the panel's first-paint time at
 * 1,000 × 768. Here the box is measured once when the view is made and then only by a ResizeObserver; a
 * new model repaints at the known size. The maths lives in heatmapMath.ts so Node tests cover it.
 */
import {
  cellAtPixel,
  cellCenter,
  cellRect,
  downsampleMaxAbs,
  integerTicks,
  niceTicks,
  paintGrid,
  planDownsample,
  type ChartArea,
  type DownsamplePlan,
} from './heatmapMath';
import type { PreviewGrid } from '../../src/shared/paintPreview';
import type { ThemeColors } from './theme';
import { TextWidths } from './textWidths';

let scratch: { ctx: CanvasRenderingContext2D; font: string } | undefined;

/** Axis label widths for every map of the page, measured on one off-screen context (its font set only when it changes). */
const canvasTextWidths = new TextWidths((font, text) => {
  scratch ??= { ctx: document.createElement('canvas').getContext('2d')!, font: '' };
  if (scratch.font !== font) {
    scratch.ctx.font = font;
    scratch.font = font;
  }
  return scratch.ctx.measureText(text).width;
});

/** What one heatmap shows. `values` is row-major rows × cols. */
export interface HeatmapModel {
  rows: number;
  cols: number;
  values: Float32Array;
  maxAbs: number;
  lut: Uint8ClampedArray;
  selectedRow: number | null;
  highlight: string;
  /** Filled after each draw (what the bitmap really holds). */
  plan?: DownsamplePlan;
  /**
   * The rows already folded by the engine (src/shared/paintPreview.ts) for this device-pixel ratio: used when
   * they are the bitmap's rows, which saves the pass over every value; and their pixels, painted with `lut`
   * on the scale `maxAbs`, used while the view paints with the same colours and scale.
   */
  preview?: { grid: PreviewGrid; pixelRatio: number; maxAbs: number; lut?: Uint8ClampedArray };
}

export interface HeatmapViewOptions {
  container: HTMLElement;
  xTitle: string;
  yTitle: string;
  /**
   * Row index → y tick label (e.g. a token's index and text). Only as many rows as fit are labelled; the
   * row under the pointer is labelled too while hovered.
   */
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
  /** After every paint (first paint, resize, theme, new model): e.g. to show the down-sampling notice. */
  onRendered?: (model: HeatmapModel) => void;
}

/** Longest token text on an axis label before it is cut with “…” (the tooltip has the whole text). */
const MAX_LABEL_CHARS = 14;
const TICK = 4;
const PAD = 8;
/** How far outside the viewport a map's bitmap is already painted (so a scroll rarely meets a blank map). */
const VIEW_MARGIN = 64;

interface Layout {
  area: ChartArea;
  /** Rows labelled on the y axis with their text (not the hovered one). */
  yTicks: { row: number; text: string }[];
  xTicks: { value: number; x: number; text: string }[];
  font: string;
  fontPx: number;
}

interface Bitmap {
  key: string;
  canvas: HTMLCanvasElement;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/** Text size of the axes for a theme. */
function axisFontPx(theme: ThemeColors): number {
  return Math.max(10, theme.fontSize - 2);
}

/**
 * Room above and below the plot area for the axes (CSS px): a box this much taller than a plot height has
 * exactly that plot height, which the engine's paint preview plans its rows for.
 */
export function axisMargins(theme: ThemeColors, opts: Pick<HeatmapViewOptions, 'showXAxis' | 'showYAxis' | 'xTitle'>): { top: number; bottom: number } {
  const fontPx = axisFontPx(theme);
  const lineH = fontPx + 4;
  const showX = opts.showXAxis ?? true;
  const showY = opts.showYAxis ?? true;
  const xTitle = showX && Boolean(opts.xTitle);
  return { top: showY ? Math.ceil(fontPx / 2) + 2 : 2, bottom: showX ? TICK + lineH + (xTitle ? lineH : 0) + 2 : 2 };
}

function sameBytes(a: Uint8ClampedArray, b: Uint8ClampedArray): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Cuts a label to MAX_LABEL_CHARS characters (code points, so no half surrogate pair is drawn). */
export function shortLabel(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_LABEL_CHARS ? text : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

/** Views made in the current task, not measured yet. */
const unmeasured = new Set<HeatmapView>();

/**
 * Measures every view made in the task that just ran, all boxes first and then every draw: one layout for
 * the whole page, after the rest of the state was put in the DOM (a view measuring itself when made would
 * force a layout per view, each after the previous one's canvas changed the page).
 */
function measureNewViews(): void {
  const views = [...unmeasured];
  unmeasured.clear();
  // The content box: chart boxes have no padding or border.
  const boxes = views.map((v) => v.container.getBoundingClientRect());
  views.forEach((v, i) => v.firstLayout(boxes[i]!));
}

/** One heatmap canvas bound to a model; updating the model repaints without rebuilding anything. */
export class HeatmapView {
  readonly canvas: HTMLCanvasElement;
  private model: HeatmapModel;
  private theme: ThemeColors;
  private xRange: [number, number] | undefined;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly observer: ResizeObserver;
  /** Size of the container in CSS pixels, as the ResizeObserver last reported it (null before its first report). */
  private size: { width: number; height: number } | null = null;
  private layout: Layout | null = null;
  private bitmap: Bitmap | null = null;
  private hovered: { row: number; col: number } | null = null;
  private readonly visibility: IntersectionObserver;
  /**
   * Near the viewport (IntersectionObserver): only then is the canvas drawn at once (sized, bitmap, axes); out
   * of view a draw updates what the page publishes (geometry, plan, axis labels) and paints after the next frame.
   */
  private nearView = true;
  /** The last draw was left out (the map was out of view): draw after the next frame, or when it comes into view. */
  private pending = false;
  private deferredScheduled = false;

  constructor(
    private readonly opts: HeatmapViewOptions,
    model: HeatmapModel,
    theme: ThemeColors,
  ) {
    this.model = model;
    this.theme = theme;
    this.xRange = opts.xRange;
    this.canvas = document.createElement('canvas');
    // Out of the flow and sized by its box: drawing never changes the page layout (CSSOM styles pass the CSP).
    Object.assign(this.canvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', display: 'block' });
    this.ctx = this.canvas.getContext('2d', { alpha: true })!;
    opts.container.append(this.canvas);
    this.observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      if (this.size && this.size.width === box.width && this.size.height === box.height) return;
      this.size = { width: box.width, height: box.height };
      this.draw();
    });
    this.observer.observe(opts.container);
    this.visibility = new IntersectionObserver(
      (entries) => {
        this.nearView = entries[entries.length - 1]!.isIntersecting;
        if (this.nearView && this.pending) this.draw();
      },
      { rootMargin: `${VIEW_MARGIN}px 0px` },
    );
    this.visibility.observe(opts.container);
    // Measured and drawn at the end of the task that made it (see measureNewViews), so the state that
    // created the view shows complete; a hidden box, such as an inactive tab's, draws when the observer first sees it.
    unmeasured.add(this);
    if (unmeasured.size === 1) queueMicrotask(measureNewViews);
    this.canvas.addEventListener('mousemove', (e) => this.onPointer(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => this.onPointer(null, null));
    this.canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(e.offsetX, e.offsetY);
      if (cell && this.opts.onSelectRow) this.opts.onSelectRow(cell.row);
    });
    this.syncAttributes();
  }

  /** Replace the grid (new state) and/or theme; keeps the canvas. */
  setModel(model: HeatmapModel, theme?: ThemeColors): void {
    this.model = model;
    if (theme) this.theme = theme;
    this.hovered = null;
    this.draw();
  }

  /** For colour bars: the values the x axis spans. */
  setXRange(min: number, max: number): void {
    this.xRange = [min, max];
    this.draw();
  }

  setSelectedRow(row: number | null): void {
    if (this.model.selectedRow === row) return;
    this.model.selectedRow = row;
    this.draw();
  }

  get currentModel(): HeatmapModel {
    return this.model;
  }

  get container(): HTMLElement {
    return this.opts.container;
  }

  /** The first size of the box, from measureNewViews (a box not laid out yet waits for the ResizeObserver). */
  firstLayout(box: DOMRect): void {
    if (this.size || !(box.width > 0 && box.height > 0)) return;
    this.size = { width: box.width, height: box.height };
    this.nearView = box.bottom > -VIEW_MARGIN && box.top < window.innerHeight + VIEW_MARGIN;
    this.draw();
  }

  destroy(): void {
    unmeasured.delete(this);
    this.observer.disconnect();
    this.visibility.disconnect();
    this.canvas.remove();
  }

  private cellAt(x: number, y: number) {
    const l = this.layout;
    return l ? cellAtPixel(x, y, l.area, this.model.rows, this.model.cols) : null;
  }

  private onPointer(x: number | null, y: number | null): void {
    const cell = x === null || y === null ? null : this.cellAt(x, y);
    const before = this.hovered;
    this.hovered = cell;
    // The hovered row's label is drawn on the axis: redraw when the row changes.
    if (this.opts.rowLabel && (before?.row ?? null) !== (cell?.row ?? null)) this.draw();
    this.renderTooltip(cell);
  }

  private renderTooltip(cell: { row: number; col: number } | null): void {
    const el = this.opts.tooltipEl;
    if (!el || this.opts.tooltips === false) return;
    const d = cell && this.opts.describe ? this.opts.describe(cell.row, cell.col) : null;
    const area = this.layout?.area;
    if (!d || !cell || !area) {
      if (el.dataset.owner === this.canvas.id) el.hidden = true;
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
    // Beside the cell's centre, over the page (CSSOM styles are allowed by the CSP; inline style attributes are not).
    const c = cellCenter(cell, area, this.model.rows, this.model.cols);
    const rect = this.canvas.getBoundingClientRect();
    const left = rect.left + window.scrollX + c.x + 12;
    const top = rect.top + window.scrollY + c.y + 12;
    const maxLeft = window.scrollX + document.documentElement.clientWidth - el.offsetWidth - 4;
    el.style.left = `${Math.max(4, Math.min(left, maxLeft))}px`;
    el.style.top = `${top}px`;
  }

  /** Plot area and tick labels for a canvas of width × height CSS pixels. */
  private computeLayout(width: number, height: number): Layout {
    const { opts, model, theme } = this;
    const fontPx = axisFontPx(theme);
    const font = `${fontPx}px ${theme.fontFamily}`;
    const showX = opts.showXAxis ?? true;
    const showY = opts.showYAxis ?? true;
    const lineH = fontPx + 4;
    const yTitle = showY && Boolean(opts.yTitle);
    const { top, bottom } = axisMargins(theme, opts);
    const areaHeight = Math.max(0, height - top - bottom);
    // Rows labelled: as many as fit one per text line, at round steps (every row when rows are tall enough).
    const yTicks = showY
      ? integerTicks(model.rows, Math.max(2, Math.floor(areaHeight / lineH))).map((row) => ({
          row,
          text: opts.rowLabel ? shortLabel(opts.rowLabel(row)) : String(row),
        }))
      : [];
    let labelWidth = canvasTextWidths.maxWidth(
      font,
      yTicks.map((t) => t.text),
    );
    // The hovered row's label may be wider than the ticks': reserve room for a typical long label.
    if (opts.rowLabel && model.rows > 0) labelWidth = Math.max(labelWidth, canvasTextWidths.width(font, '0000 ' + 'm'.repeat(8)));
    labelWidth = Math.min(Math.ceil(labelWidth), Math.floor(width * 0.4));
    const left = showY ? PAD + (yTitle ? lineH : 0) + labelWidth + TICK + 2 : PAD;
    const right = PAD;
    const area = { left, top, width: Math.max(0, width - left - right), height: areaHeight };
    const xTicks: Layout['xTicks'] = [];
    if (showX) {
      const most = Math.max(2, Math.floor(area.width / 60));
      const range = this.xRange;
      if (range) {
        const [min, max] = range;
        for (const value of niceTicks(min, max, most)) {
          xTicks.push({ value, x: area.left + ((value - min) / (max - min || 1)) * area.width, text: String(Number(value)) });
        }
      } else {
        for (const value of integerTicks(model.cols, most))
          xTicks.push({ value, x: area.left + ((value + 0.5) * area.width) / model.cols, text: String(value) });
      }
    }
    return { area, yTicks, xTicks, font, fontPx };
  }

  /** The bitmap's size for a plot area (kept on the model for the notice); undefined when there is nothing to draw. */
  private planFor(area: ChartArea, dpr: number): DownsamplePlan | undefined {
    const m = this.model;
    if (m.rows === 0 || m.cols === 0 || area.width <= 0 || area.height <= 0) return undefined;
    m.plan = planDownsample(m.rows, m.cols, Math.round(area.height * dpr), Math.round(area.width * dpr));
    return m.plan;
  }

  private paintBitmap(area: ChartArea, dpr: number): HTMLCanvasElement | null {
    const m = this.model;
    const plan = this.planFor(area, dpr);
    if (!plan) return null;
    const key = `${plan.outRows}x${plan.outCols}|${m.rows}x${m.cols}|${m.maxAbs}|${idOf(m.lut)}|${idOf(m.values)}`;
    if (this.bitmap?.key === key) return this.bitmap.canvas;
    const canvas = this.bitmap?.canvas ?? document.createElement('canvas');
    const painted = this.previewPixels(plan, dpr);
    // (A message's typed arrays are never on a SharedArrayBuffer: structured clone does not share them.)
    const image = painted ? new ImageData(painted as Uint8ClampedArray<ArrayBuffer>, plan.outCols, plan.outRows) : new ImageData(plan.outCols, plan.outRows);
    const grid = painted ? undefined : this.gridFor(plan, dpr);
    if (grid) paintGrid(grid.cells, plan.outRows * plan.outCols, m.maxAbs, m.lut, image.data);
    // Where the bitmap came from, for tests and bug reports: the engine's pixels, the engine's folded rows, or here.
    this.canvas.dataset.bitmapFrom = grid?.from ?? 'enginePixels';
    canvas.width = plan.outCols;
    canvas.height = plan.outRows;
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    this.bitmap = { key, canvas };
    return canvas;
  }

  /** The engine's pixels of the bitmap, when they are this plan's cells in this view's colours and scale. */
  private previewPixels(plan: DownsamplePlan, dpr: number): Uint8ClampedArray | undefined {
    const m = this.model;
    const p = m.preview;
    const fits = p?.grid.rgba && p.pixelRatio === dpr && p.grid.outRows === plan.outRows && plan.outCols === m.cols && p.maxAbs === m.maxAbs;
    return fits && p.lut && sameBytes(p.lut, m.lut) ? p.grid.rgba : undefined;
  }

  /** The values of the bitmap's cells: the table itself, the engine's folded rows, or folded here. */
  private gridFor(plan: DownsamplePlan, dpr: number): { cells: ArrayLike<number>; from: 'table' | 'engineRows' | 'panel' } {
    const m = this.model;
    if (plan.outRows === m.rows && plan.outCols === m.cols) return { cells: m.values, from: 'table' };
    const p = m.preview;
    if (p && p.pixelRatio === dpr && p.grid.outRows === plan.outRows) {
      // Same row bins; folding the columns of the row maxima equals folding the whole bins (max of maxima).
      const cells = plan.outCols === m.cols ? p.grid.values : downsampleMaxAbs(p.grid.values, plan.outRows, m.cols, plan.outRows, plan.outCols);
      return { cells, from: 'engineRows' };
    }
    return { cells: downsampleMaxAbs(m.values, m.rows, m.cols, plan.outRows, plan.outCols), from: 'panel' };
  }

  /** `now`: also out of view (a deferred draw). */
  private draw(now = false): void {
    const size = this.size;
    if (!size) return; // not laid out yet: the ResizeObserver's first report draws
    const { canvas, ctx, model } = this;
    const dpr = window.devicePixelRatio || 1;
    if (!now && !this.nearView && size.width > 0 && size.height > 0) {
      this.publishOnly(size, dpr);
      this.drawAfterNextFrame();
      return;
    }
    this.pending = false;
    const w = Math.round(size.width * dpr);
    const h = Math.round(size.height * dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.width, size.height);
    if (size.width <= 0 || size.height <= 0) return;
    const layout = this.computeLayout(size.width, size.height);
    this.layout = layout;
    const { area } = layout;
    const bitmap = this.paintBitmap(area, dpr);
    if (bitmap) {
      // Nearest-neighbour: a 5-token grid stretched to 300 px must stay 5 crisp rows, not a blur.
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(bitmap, area.left, area.top, area.width, area.height);
    }
    if (model.selectedRow !== null && model.selectedRow < model.rows) {
      const r = cellRect({ row: model.selectedRow, col: 0 }, area, model.rows, 1);
      const rh = Math.max(r.height, 3);
      const top = Math.min(Math.max(r.top + r.height / 2 - rh / 2, area.top), area.top + area.height - rh);
      ctx.strokeStyle = model.highlight;
      ctx.lineWidth = 2;
      ctx.strokeRect(area.left + 1, top + 1, area.width - 2, rh - 2);
      // Edge markers outside the area stay visible even when the row is thinner than the stroke.
      ctx.fillStyle = model.highlight;
      ctx.fillRect(area.left - 6, top + rh / 2 - 2, 5, 4);
      ctx.fillRect(area.left + area.width + 1, top + rh / 2 - 2, 5, 4);
    }
    this.drawAxes(layout);
    this.syncAttributes();
    this.opts.onRendered?.(model);
  }

  /** A map out of view is drawn once the frame being prepared is on screen (first paint shows the maps in view). */
  private drawAfterNextFrame(): void {
    if (this.deferredScheduled) return;
    this.deferredScheduled = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.deferredScheduled = false;
        if (this.pending) this.draw(true);
      }, 0),
    );
  }

  /**
   * A map out of view: what a draw publishes (geometry, the bitmap's plan for the notice, the axis labels)
   * without sizing or painting the canvas, which is drawn after the next frame or when it comes into view.
   */
  private publishOnly(size: { width: number; height: number }, dpr: number): void {
    const { model } = this;
    const layout = this.computeLayout(size.width, size.height);
    this.layout = layout;
    this.planFor(layout.area, dpr);
    this.pending = true;
    this.canvas.dataset.rowLabels = layout.yTicks.map((t) => t.text).join('\n');
    this.canvas.dataset.hoverLabel = '';
    this.syncAttributes();
    this.opts.onRendered?.(model);
  }

  private drawAxes({ area, yTicks, xTicks, font, fontPx }: Layout): void {
    const { ctx, theme, opts, model } = this;
    const showX = opts.showXAxis ?? true;
    const showY = opts.showYAxis ?? true;
    ctx.font = font;
    ctx.strokeStyle = theme.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (showY) {
      ctx.moveTo(area.left - 0.5, area.top);
      ctx.lineTo(area.left - 0.5, area.top + area.height);
    }
    if (showX) {
      ctx.moveTo(area.left, area.top + area.height + 0.5);
      ctx.lineTo(area.left + area.width, area.top + area.height + 0.5);
    }
    ctx.stroke();
    ctx.fillStyle = theme.muted;
    const rowY = (row: number) => area.top + ((row + 0.5) * area.height) / Math.max(1, model.rows);
    const hoveredRow = opts.rowLabel ? (this.hovered?.row ?? null) : null;
    const labelled: string[] = [];
    if (showY && model.rows > 0) {
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      const x = area.left - TICK - 2;
      const hy = hoveredRow === null ? null : rowY(hoveredRow);
      for (const t of yTicks) {
        const y = rowY(t.row);
        // The hovered row's label takes the place of any tick label it would overlap.
        if (hy !== null && Math.abs(y - hy) < fontPx + 2) continue;
        ctx.fillText(t.text, x, y, area.left - PAD);
        labelled.push(t.text);
      }
      if (hoveredRow !== null && hy !== null) {
        ctx.fillStyle = theme.foreground;
        ctx.font = `600 ${font}`;
        ctx.fillText(shortLabel(opts.rowLabel!(hoveredRow)), x, hy, area.left - PAD);
        ctx.font = font;
        ctx.fillStyle = theme.muted;
      }
      if (opts.yTitle) {
        ctx.save();
        ctx.translate(PAD + fontPx / 2, area.top + area.height / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = 'center';
        ctx.fillText(opts.yTitle, 0, 0);
        ctx.restore();
      }
    }
    if (showX) {
      ctx.textBaseline = 'top';
      ctx.textAlign = 'center';
      const y = area.top + area.height + TICK;
      for (const t of xTicks) {
        const half = canvasTextWidths.width(font, t.text) / 2;
        ctx.fillText(t.text, Math.min(Math.max(t.x, half + 1), area.left + area.width + PAD - half - 1), y);
      }
      if (opts.xTitle) ctx.fillText(opts.xTitle, area.left + area.width / 2, y + fontPx + 4);
    }
    // What the axis says, for tests and tools (a canvas's text is not in the DOM).
    this.canvas.dataset.rowLabels = labelled.join('\n');
    this.canvas.dataset.hoverLabel = hoveredRow === null ? '' : shortLabel(opts.rowLabel!(hoveredRow));
  }

  /** Geometry for tests and for the down-sampling notice; plain data attributes, no globals. */
  private syncAttributes(): void {
    const a = this.layout?.area ?? { left: 0, top: 0, width: 0, height: 0 };
    const c = this.canvas.dataset;
    c.rows = String(this.model.rows);
    c.cols = String(this.model.cols);
    c.area = [a.left, a.top, a.width, a.height].join(',');
    c.selectedRow = this.model.selectedRow === null ? '' : String(this.model.selectedRow);
    c.maxAbs = String(this.model.maxAbs);
  }
}
