/** Pure text formatting shared by both webviews (unit-tested in Node). */
import type { SourceDescription } from '../../src/shared/embeddingTypes';
import type { ViewInspectResult } from '../../src/shared/webviewProtocol';

/** Four decimals, as PyTorch prints float tensors by default (`tensor([ 0.3374, -0.1778])`). */
export function fmt4(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toFixed(4);
}

/** 4,096 — by hand: the first toLocaleString call loads ICU data (~30 ms of first paint). */
export function fmtInt(n: number): string {
  const s = String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

/** `tok 0.5000 + pos 0.1000 = 0.6000` — the combined value is the float32 sum the engine computed. */
export function sumLine(tok: number, pos: number, combined: number): string {
  return `tok ${fmt4(tok)} + pos ${fmt4(pos)} = ${fmt4(combined)}`;
}

export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

export function sourceText(source: SourceDescription): string {
  if (source.kind === 'random') return `random init, seed ${source.seed}`;
  const name = source.path.split(/[\\/]/).pop() ?? source.path;
  if (source.kind === 'model') return `${name} (${source.format === 'gguf' ? 'GGUF' : 'model'}) · ${source.tokenTensor} (${source.dtype})`;
  return `${name} · ${source.tokenTensor} (${source.dtype})`;
}

/** Book-style shape lines for the header. */
export function shapeLines(r: ViewInspectResult): Array<{ label: string; dims: string; shape: string }> {
  return [
    { label: 'inputs', dims: '(batch, context)', shape: shapeText(r.shapes.inputs) },
    { label: 'token embeddings', dims: '(batch, context, dim)', shape: shapeText(r.shapes.tokenEmbeddings) },
    { label: 'positional', dims: '(context, dim)', shape: shapeText(r.shapes.positional) },
    { label: 'combined', dims: '(batch, context, dim)', shape: shapeText(r.shapes.combined) },
  ];
}

export function pageText(r: ViewInspectResult): string {
  if (r.tokens.length === r.totalTokens) return `${fmtInt(r.totalTokens)} tokens`;
  const last = r.firstToken + r.tokens.length;
  return `tokens ${fmtInt(r.firstToken)}–${fmtInt(last - 1)} of ${fmtInt(r.totalTokens)}`;
}
