/**
 * chart.js pieces of the analysis tabs: theme-aware base options, the projection's arrow + label plugin, and a
 * small "destroy and rebuild" holder (the charts hold at most a few hundred points: rebuilding on a new
 * result is simpler and as fast as diffing).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from 'chart.js';
import type { ThemeColors } from '../../shared/theme';
import { arrowPath } from './arrowGeometry';

let registered = false;
export function registerAnalysisCharts(): void {
  if (registered) return;
  registered = true;
  Chart.register(ScatterController, LineController, BarController, PointElement, LineElement, BarElement, LinearScale, CategoryScale, Tooltip, Legend);
}

export const rgb = (c: readonly number[], alpha = 1) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;

/** Series colours: token = the theme's blue, position = its muted text colour, combined = its red. */
export function seriesColors(theme: ThemeColors): { token: string; position: string; combined: string } {
  return { token: rgb(theme.negative), position: theme.muted, combined: rgb(theme.positive) };
}

/** A few distinct theme-derived colours for the lines of one chart. */
export function lineColors(theme: ThemeColors, n: number): string[] {
  const base = [rgb(theme.negative), rgb(theme.positive), theme.foreground, theme.muted, theme.highlight];
  return Array.from({ length: n }, (_, i) => base[i % base.length]!);
}

export function axis(theme: ThemeColors, title: string, extra: Record<string, unknown> = {}, ticks: Record<string, unknown> = {}) {
  return {
    title: { display: title !== '', text: title, color: theme.muted, font: { family: theme.fontFamily } },
    ticks: { color: theme.muted, font: { family: theme.fontFamily, size: Math.max(10, theme.fontSize - 2) }, ...ticks },
    grid: { color: theme.border },
    border: { color: theme.border },
    ...extra,
  };
}

export function baseOptions(theme: ThemeColors) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: {
      legend: { labels: { color: theme.foreground, font: { family: theme.fontFamily } } },
      tooltip: { titleFont: { family: theme.fontFamily }, bodyFont: { family: theme.fontFamily } },
    },
  };
}

/**
 * Writes the x-axis labels chart.js really drew (after it skipped the ones that do not fit) to
 * `canvas.dataset.xTicks` as JSON: what tests and the accessible summaries can read off a canvas.
 */
export const publishXTicks: Plugin = {
  id: 'publishXTicks',
  afterUpdate(chart) {
    const x = chart.scales.x;
    if (x) chart.canvas.dataset.xTicks = JSON.stringify(x.ticks.map((t) => String(t.label ?? '')));
  },
};

/** A canvas in `box` with one chart on it; `set` replaces the chart. */
export class ChartSlot {
  readonly canvas: HTMLCanvasElement;
  private chart: Chart | null = null;
  constructor(box: HTMLElement, label: string) {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    box.append(this.canvas);
  }
  set<T extends ChartType>(config: ChartConfiguration<T>): Chart<T> {
    registerAnalysisCharts();
    this.chart?.destroy();
    const chart = new Chart(this.canvas, config as ChartConfiguration);
    this.chart = chart;
    return chart as unknown as Chart<T>;
  }
  get current(): Chart | null {
    return this.chart;
  }
  clear(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}

export interface ArrowPluginOptions {
  color: () => string;
  labelColor: () => string;
  font: () => string;
  /** Text drawn next to point i of the combined dataset, or null for none (the count lands in `canvas.dataset.labels`). */
  label: (i: number) => string | null;
}

/**
 * Draws, under the points, an arrow from each point of dataset 0 (token vector) to the same index of dataset 1
 * (token + position), and token labels next to the heads. The count of drawn arrows lands in
 * `canvas.dataset.arrows` (what tests and screen-reader summaries can read).
 */
export function arrowPlugin(o: ArrowPluginOptions): Plugin<'scatter'> {
  return {
    id: 'positionArrows',
    beforeDatasetsDraw(chart) {
      const tails = chart.getDatasetMeta(0).data;
      const heads = chart.getDatasetMeta(1).data;
      const ctx = chart.ctx;
      let drawn = 0;
      ctx.save();
      ctx.strokeStyle = o.color();
      ctx.fillStyle = o.color();
      ctx.lineWidth = 1;
      for (let i = 0; i < Math.min(tails.length, heads.length); i++) {
        const a = arrowPath({ x: tails[i]!.x, y: tails[i]!.y }, { x: heads[i]!.x, y: heads[i]!.y }, 7);
        if (!a) continue;
        ctx.beginPath();
        ctx.moveTo(a.from.x, a.from.y);
        ctx.lineTo(a.to.x, a.to.y);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(a.head[0].x, a.head[0].y);
        ctx.lineTo(a.head[1].x, a.head[1].y);
        ctx.lineTo(a.head[2].x, a.head[2].y);
        ctx.closePath();
        ctx.fill();
        drawn++;
      }
      ctx.restore();
      chart.canvas.dataset.arrows = String(drawn);
    },
    afterDatasetsDraw(chart) {
      const heads = chart.getDatasetMeta(1).data;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = o.labelColor();
      ctx.font = o.font();
      ctx.textBaseline = 'bottom';
      // Where the first head sits (CSS px), like the heatmaps' data-area: lets tests hover a real point.
      if (heads[0]) chart.canvas.dataset.head0 = `${Math.round(heads[0].x)},${Math.round(heads[0].y)}`;
      let labelled = 0;
      for (let i = 0; i < heads.length; i++) {
        const text = o.label(i);
        if (!text) continue;
        ctx.fillText(text, heads[i]!.x + 5, heads[i]!.y - 3); // canvas text: never parsed as markup
        labelled++;
      }
      ctx.restore();
      chart.canvas.dataset.labels = String(labelled);
    },
  };
}
