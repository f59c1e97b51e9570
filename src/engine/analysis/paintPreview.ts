/**
 * The panel's paint preview (src/shared/paintPreview.ts), computed in the engine worker with the inspection:
 * the shared colour scale of the three tables and, for each map whose rows the panel folds into fewer bitmap
 * rows, those rows folded already (max-|v| per bin, every column kept). The same code the panel would run
 * (src/shared/colourScale.ts, src/shared/downsample.ts), so a preview equals the panel's own computation.
 */
import { robustScale } from '../../shared/colourScale';
import { downsampleMaxAbs } from '../../shared/downsample';
import { MAX_PIXEL_RATIO, previewRows, type MapKind, type PaintPreview, type PaintPreviewRequest, type PreviewGrid } from '../../shared/paintPreview';
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
  const ratio = (v as { pixelRatio?: unknown } | null)?.pixelRatio;
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= MAX_PIXEL_RATIO)) {
    throw new RpcError('invalidInput', `preview.pixelRatio must be a number above 0 and at most ${MAX_PIXEL_RATIO}`);
  }
  return { pixelRatio: ratio };
}

function grid(values: Float32Array, rows: number, cols: number, kind: MapKind, pixelRatio: number): PreviewGrid | undefined {
  const outRows = previewRows(rows, cols, kind, pixelRatio);
  // Rows not folded: the table itself is the bitmap's grid, nothing to send twice.
  return outRows < rows ? { outRows, values: downsampleMaxAbs(values, rows, cols, outRows, cols) } : undefined;
}

export function paintPreview(t: PreviewTables, request: PaintPreviewRequest): PaintPreview {
  const { dim } = t;
  const { pixelRatio } = request;
  const token = grid(t.tokenEmbeddings, t.tokenRows, dim, 'tokens', pixelRatio);
  const position = grid(t.positionalEmbeddings, t.contextLength, dim, 'positions', pixelRatio);
  const combined = grid(t.combinedEmbeddings, t.tokenRows, dim, 'tokens', pixelRatio);
  return {
    pixelRatio,
    scale: robustScale([t.tokenEmbeddings, t.positionalEmbeddings, t.combinedEmbeddings]),
    ...(token ? { token } : {}),
    ...(position ? { position } : {}),
    ...(combined ? { combined } : {}),
  };
}
