/**
 * The hover's content, as a markdown string built from plain data. Pure (no `vscode`): the token's
 * text is document content and therefore untrusted, so it is escaped here and only ever rendered as
 * text; the single command link is the one thing the hover's MarkdownString trusts.
 */
import { binRange, downsampleMaxAbs } from '../shared/downsample';
import type { TokenAtResult } from '../shared/engineProtocol';
import { utf8ToBase64 } from '../shared/base64';
import { visibleTokenText } from '../shared/visibleToken';

export const INSPECT_TOKEN_COMMAND = 'tokenEmbeddings.inspectToken';

/** Arguments of the hover's "open in inspector" link: the token's context window, with the token selected. */
export interface InspectTokenArgs {
  uri: string;
  /** Document offsets of the window's text. */
  start: number;
  end: number;
  /** Row of the hovered token inside that window (its position slot). */
  row: number;
}

/** The link's arguments come back through a command URI: checked like any other untrusted input. */
export function parseInspectTokenArgs(args: unknown): InspectTokenArgs | undefined {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  const a = args as Record<string, unknown>;
  const offset = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
  if (typeof a.uri !== 'string' || a.uri.length === 0 || !offset(a.start) || !offset(a.end) || !offset(a.row) || a.end < a.start) {
    return undefined;
  }
  return { uri: a.uri, start: a.start, end: a.end, row: a.row };
}

/** Backslash-escapes every ASCII punctuation character, which CommonMark then shows literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Token text made visible (../shared/visibleToken.ts) and safe to put in markdown. */
export function displayTokenText(text: string): string {
  return escapeMarkdown(visibleTokenText(text));
}

export function formatBytes(bytes: readonly number[], max = 16): string {
  const hex = bytes.slice(0, max).map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
  return hex.join(' ') + (bytes.length > max ? ` … (${bytes.length} bytes)` : '');
}

/**
 * Most cells one strip draws. A hover is markdown handed to the workbench; one `<rect>` per dimension made
 * a 512-wide strip ≈ 48 KB of base64 that the hover stopped rendering (raw text instead of a picture, and
 * the inspector link lost below it). A fixed number of cells keeps every width from 1 to 4,096 small.
 */
export const STRIP_CELLS = 64;

/** Opacity steps of a cell: cells of one sign and step share one `<path>`, which keeps the SVG small. */
const OPACITY_STEPS = 10;

export interface StripOptions {
  /** Largest |value| the colour scale reaches (shared by all strips of one hover so they compare). */
  scale: number;
  /** Most cells to draw (default STRIP_CELLS); wider vectors are down-sampled. */
  cells?: number;
  /** Rendered size in CSS pixels. */
  width?: number;
  height?: number;
}

/** Dimensions one strip cell stands for at width `dim` (1 when every dimension gets its own cell). */
export function dimsPerCell(dim: number, cells = STRIP_CELLS): number {
  return Math.max(1, Math.ceil(dim / Math.max(1, cells)));
}

/**
 * One vector as a one-row heatmap SVG: red for positive, blue for negative, opacity ∝ |value| / scale (in
 * tenths), so zero shows the hover's own background in every theme. Up to `cells` cells: a wider vector is
 * down-sampled like the panel's heatmaps (each cell keeps the value of largest magnitude of its dimensions,
 * with its sign), and a cell holding a NaN/∞ from a weights file is marked magenta rather than hidden.
 */
export function renderStripSvg(values: ArrayLike<number>, options: StripOptions): string {
  const n = values.length;
  const cells = Math.max(1, Math.min(n, Math.floor(options.cells ?? STRIP_CELLS)));
  const shown = n <= cells ? values : downsampleMaxAbs(values, 1, n, 1, cells);
  const width = options.width ?? Math.min(256, Math.max(64, cells * 4));
  const height = options.height ?? 12;
  const scale = options.scale > 0 && Number.isFinite(options.scale) ? options.scale : 1;
  // Path data per class: 'x' (non-finite), then 'p1'…'p10' / 'n1'…'n10' by sign and opacity step.
  const paths = new Map<string, string>();
  // Each cell is a one-unit horizontal stroke one unit thick (the strip's full height): `M3 .5h1`.
  const add = (key: string, i: number) => paths.set(key, `${paths.get(key) ?? ''}M${i} .5h1`);
  for (let i = 0; i < cells; i++) {
    const [start, end] = n <= cells ? [i, i + 1] : binRange(i, n, cells);
    let finite = true;
    for (let k = start; k < end && finite; k++) finite = Number.isFinite(values[k]!);
    if (!finite) {
      add('x', i);
      continue;
    }
    const v = shown[i]!;
    const step = Math.round(Math.min(1, Math.abs(v) / scale) * OPACITY_STEPS);
    if (step > 0) add(`${v < 0 ? 'n' : 'p'}${step}`, i);
  }
  let body = '';
  for (const [key, d] of paths) {
    const opacity = key === 'x' ? '' : ` stroke-opacity="${Number(key.slice(1)) / OPACITY_STEPS}"`;
    body += `<path class="${key[0]}"${opacity} d="${d}"/>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${cells} 1" ` +
    `preserveAspectRatio="none" shape-rendering="crispEdges">` +
    `<style>path{stroke-width:1}.p{stroke:#d6604d}.n{stroke:#4393c3}.x{stroke:#ff00ff}</style>` +
    `<rect width="${cells}" height="1" fill="none" stroke="#8888" stroke-width="0.02"/>${body}</svg>`
  );
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${utf8ToBase64(svg)}`;
}

export function maxAbs(...vectors: ArrayLike<number>[]): number {
  let m = 0;
  for (const v of vectors) for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]) && Math.abs(v[i]) > m) m = Math.abs(v[i]);
  return m;
}

export function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export interface HoverInput {
  result: Extract<TokenAtResult, { status: 'ok' }>;
  /** The active tokenizer's name (an encoding, a tokenizer.json's model, a model). */
  tokenizer: string;
  documentUri: string;
}

/** What a strip cell shows, in words: one dimension, or the strongest of several. */
export function stripLegend(dim: number): string {
  const k = dimsPerCell(dim);
  return k === 1
    ? `One cell per dimension: red positive, blue negative, stronger = larger |value|.`
    : `${STRIP_CELLS} cells of up to ${k} dimensions each: a cell shows the value of largest |value| ` +
        `among its dimensions (red positive, blue negative); the inspector shows every dimension.`;
}

/** The whole hover as markdown. Only `commandUri(INSPECT_TOKEN_COMMAND, …)` may be trusted by the caller. */
export function renderHoverMarkdown(input: HoverInput): string {
  const { result: r, tokenizer } = input;
  const scale = maxAbs(r.tokenVector, r.positionVector, r.combinedVector);
  const strip = (label: string, v: Float32Array) => `![${label}](${svgDataUri(renderStripSvg(v, { scale }))})`;
  const args: InspectTokenArgs = { uri: input.documentUri, start: r.windowStart, end: r.windowEnd, row: r.position };
  const lines = [
    `**${displayTokenText(r.token.text)}** — token ID **${r.token.id}** (${escapeMarkdown(tokenizer)})`,
    '',
    `Bytes: ${formatBytes(r.token.bytes)}`,
    '',
    // 0-based throughout, like the inspector and PyTorch: window w covers tokens w·ctx … w·ctx+ctx−1.
    `Token index ${fmt(r.index)} of ${fmt(r.totalTokens)} in this document · context window ${fmt(r.window)}, ` +
      `position ${r.position} (of ${r.contextLength} slots)`,
    '',
    `${strip('token embedding', r.tokenVector)} token row ${r.token.id}`,
    '',
    `${strip('positional embedding', r.positionVector)} position row ${r.position}`,
    '',
    `${strip('combined embedding', r.combinedVector)} combined = token + position (dim ${r.dim}, |max| ${scale.toPrecision(3)})`,
    '',
    stripLegend(r.dim),
    '',
    `[Open in Token Embeddings inspector](${commandUri(INSPECT_TOKEN_COMMAND, [args])} "Inspect this token's context window")`,
  ];
  return lines.join('\n');
}
