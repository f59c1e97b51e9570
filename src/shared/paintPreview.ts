/**
 * The inspector's paint preview: what the engine worker computes with an inspection so that the panel's
 * first paint only maps values through its colour table. The colour scale needs a pass over every value of
 * the three tables and the maps' bitmaps a max-|v| pass over each table; the worker does both off the UI
 * thread (src/engine/analysis/paintPreview.ts) and the panel uses them when they fit its maps exactly
 * (webview/panel/embeddingMaps.ts), else computes them itself. Exact values (tooltips, the values table)
 * always come from the full tables.
 *
 * The maps' plot heights are fixed here, in CSS pixels, so the worker knows how many device rows each map's
 * bitmap has: the panel sizes its boxes to these plot heights plus its axes. Free of Node, DOM and `vscode`.
 */
import type { ScaleRange } from './colourScale';
import { planDownsample } from './downsample';

/** Which of the panel's maps a grid is for: token rows (the token and combined maps) or position slots. */
export type MapKind = 'tokens' | 'positions';

/** Height of a map's plot area in CSS px: 14 px a row, within limits (a 5-token page is not 70 px of map). */
const PLOT_HEIGHT = { tokens: { rowPx: 14, min: 60, max: 372 }, positions: { rowPx: 14, min: 44, max: 252 } } as const;

export function mapPlotHeight(rows: number, kind: MapKind): number {
  const h = PLOT_HEIGHT[kind];
  return Math.min(h.max, Math.max(h.min, rows * h.rowPx + 12));
}

/** Device rows of a map's bitmap: the rows of the plan the panel draws with (planDownsample at the plot height). */
export function previewRows(rows: number, cols: number, kind: MapKind, pixelRatio: number): number {
  return planDownsample(rows, cols, Math.round(mapPlotHeight(rows, kind) * pixelRatio), cols).outRows;
}

/**
 * What the host asks for with an inspection: the panel's device-pixel ratio (its bitmaps' rows depend on it)
 * and, when the panel sent it, its colour lookup table (LUT_STEPS RGBA entries, from its theme), so the
 * worker paints the bitmaps' pixels too.
 */
export interface PaintPreviewRequest {
  pixelRatio: number;
  lut?: Uint8ClampedArray;
}

/** One map's rows folded to its bitmap's rows (max-|v| per row bin), all columns kept: row-major outRows × cols. */
export interface PreviewGrid {
  outRows: number;
  values: Float32Array;
  /** `values` through the request's LUT on the preview's scale: the bitmap's RGBA pixels (ImageData layout). */
  rgba?: Uint8ClampedArray;
}

export interface PaintPreview {
  /** The device-pixel ratio the grids were planned for. */
  pixelRatio: number;
  /** The LUT the grids' `rgba` were painted with (the panel uses them only while it shows the same colours). */
  lut?: Uint8ClampedArray;
  /** The shared colour scale of the token, positional and combined tables (robustScale over all three). */
  scale: ScaleRange;
  /** Only for maps whose rows are folded (fewer bitmap rows than table rows): otherwise the table is the grid. */
  token?: PreviewGrid;
  position?: PreviewGrid;
  combined?: PreviewGrid;
}

/** Largest device-pixel ratio a request may name (browser zoom × a HiDPI screen stays well below). */
export const MAX_PIXEL_RATIO = 8;

/** A device-pixel ratio a preview can be planned for: the one check of every boundary that carries one. */
export function isPixelRatio(v: unknown): v is number {
  return typeof v === 'number' && v > 0 && v <= MAX_PIXEL_RATIO;
}
