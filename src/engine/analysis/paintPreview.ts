/**
 * The panel's paint preview (src/shared/paintPreview.ts), computed in the engine worker with the inspection:
 * the shared colour scale of the three tables and, for each map whose rows the panel folds into fewer bitmap
 * rows, those rows folded already (max-|v| per bin, every column kept) and, given the panel's colour table,
 * painted: the bitmap's pixels, so the panel's first paint has no loop over them. The same code the panel would run
 * (src/shared/colourScale.ts, src/shared/downsample.ts), so a preview equals the panel's own computation.
 */
import { LUT_BYTES, LUT_STEPS, paintGrid, robustScale } from '../../shared/colourScale';
import { downsampleMaxAbs } from '../../shared/downsample';
import {
  MAX_PIXEL_RATIO,
  isPixelRatio,
  previewRows,
  type MapKind,
  type PaintPreview,
  type PaintPreviewRequest,
  type PreviewGrid,
} from '../../shared/paintPreview';
import { RpcError } from '../../shared/rpc';

export interface PreviewTables {
  dim: number;
  contextLength: number;
  /** Rows of the token and combined tables (the page's tokens). */
  tokenRows: number;
  tokenEmbeddings: Float32Array;
  positionalEmbeddings: Float32Array;
  combinedEmbeddings: Float32Array;
}

/** The request as the worker received it (untrusted): undefined when none was asked for. */
export function checkPaintPreviewRequest(v: unknown): PaintPreviewRequest | undefined {
  if (v === undefined) return undefined;
  const { pixelRatio: ratio, lut } = (v ?? {}) as { pixelRatio?: unknown; lut?: unknown };
  if (!isPixelRatio(ratio)) {
    throw new RpcError('invalidInput', `preview.pixelRatio must be a number above 0 and at most ${MAX_PIXEL_RATIO}`);
  }
  if (lut === undefined) return { pixelRatio: ratio };
  if (!(lut instanceof Uint8Array || lut instanceof Uint8ClampedArray) || lut.length !== LUT_BYTES) {
    throw new RpcError('invalidInput', `preview.lut must be ${LUT_BYTES} bytes (${LUT_STEPS} RGBA colours)`);
  }
  return { pixelRatio: ratio, lut: new Uint8ClampedArray(lut) };
}

function grid(values: Float32Array, rows: number, cols: number, kind: MapKind, request: PaintPreviewRequest, maxAbs: number): PreviewGrid | undefined {
  const outRows = previewRows(rows, cols, kind, request.pixelRatio);
  // Rows not folded: the table itself is the bitmap's grid, nothing to send twice.
  if (outRows >= rows) return undefined;
  const folded = downsampleMaxAbs(values, rows, cols, outRows, cols);
  if (!request.lut) return { outRows, values: folded };
  const rgba = new Uint8ClampedArray(outRows * cols * 4);
  paintGrid(folded, outRows * cols, maxAbs, request.lut, rgba);
  return { outRows, values: folded, rgba };
}

export function paintPreview(t: PreviewTables, request: PaintPreviewRequest): PaintPreview {
  const { dim } = t;
  const scale = robustScale([t.tokenEmbeddings, t.positionalEmbeddings, t.combinedEmbeddings]);
  const token = grid(t.tokenEmbeddings, t.tokenRows, dim, 'tokens', request, scale.maxAbs);
  const position = grid(t.positionalEmbeddings, t.contextLength, dim, 'positions', request, scale.maxAbs);
  const combined = grid(t.combinedEmbeddings, t.tokenRows, dim, 'tokens', request, scale.maxAbs);
  return {
    pixelRatio: request.pixelRatio,
    ...(request.lut ? { lut: request.lut } : {}),
    scale,
    ...(token ? { token } : {}),
    ...(position ? { position } : {}),
    ...(combined ? { combined } : {}),
  };
}
