/**
 * The panel's analysis methods (`analysis`, `exportData`, `pytorchSnippet`), answered in the worker.
 *
 * Each one recomputes the panel's page from the same InspectParams the panel was drawn from (the service's
 * tokenization and tables caches make that a cache hit), so the host never ships the page's matrices back to
 * the worker and the replies stay small: n×n similarities for at most ANALYSIS_MAX_TOKENS tokens, 2-D points,
 * per-token norms, a few score series, or the bytes of one file.
 */
import type { EmbeddingSettings, TokenizeOptions } from '../../shared/embeddingTypes';
import {
  ANALYSIS_KINDS,
  ANALYSIS_MAX_TOKENS,
  EXPORT_FILE_FORMATS,
  EXPORT_MATRICES,
  type AnalysisPage,
  type AnalysisParams,
  type AnalysisResult,
  type ExportParams,
  type ExportResult,
  type InspectParams,
  type InspectResult,
  type PytorchSnippetParams,
  type PytorchSnippetResult,
  type ScoreVsOffsetSeries,
  type TokenizeResult,
} from '../../shared/engineProtocol';
import { assertNever } from '../../shared/assertNever';
import { CancellationFlag, RpcError } from '../../shared/rpc';
import { explainPositions } from '../model/positions';
import { scoreVsOffset, windowingOf, type ScoreScheme } from './positional';
import { sinusoidalTable } from '../positional';
import { exportInspectSteps, projectionViewSteps, similarityViewSteps, tokenStatsView } from './views';
import { runStepsAsync, slicedPause } from '../steps';
import { generatePytorchSnippet } from './pytorchSnippet';
import type { EmbeddingTables } from '../types';

/** What the analysis methods need from the EngineService. */
export interface AnalysisEngine {
  inspect(params: InspectParams, cancel?: CancellationFlag): Promise<InspectResult>;
  tokenize(params: { text: string; options: TokenizeOptions }, cancel?: CancellationFlag): Promise<TokenizeResult>;
  tablesForSettings(settings: EmbeddingSettings, cancel?: CancellationFlag): Promise<EmbeddingTables>;
}

/**
 * The long analyses (similarity, projection, CSV) yield to the worker's event loop after this much work (the
 * service passes its own slice), so a hover or a cancel waits at most about this long, and they stop at the next
 * slice once cancelled.
 */
export const ANALYSIS_SLICE_MS = 8;

/** Positions the lab plots: at most this many (score vs offset over 0 … LAB_POSITIONS − 1). */
export const LAB_POSITIONS = 64;

function checkKind<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new RpcError('invalidInput', `${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function checkInspect(value: unknown): InspectParams {
  if (typeof value !== 'object' || value === null) throw new RpcError('invalidInput', 'inspect must be the panel’s inspect parameters');
  return value as InspectParams; // every field is checked by EngineService.inspect
}

function pageOf(r: InspectResult, requested: number): AnalysisPage {
  return {
    firstToken: r.firstToken,
    count: r.tokens.length,
    totalTokens: r.totalTokens,
    capped: requested > r.tokens.length && r.totalTokens - r.firstToken > r.tokens.length,
  };
}

/** Starts and offsets of the lab: q at m, k at m + offset, every m + offset inside the first `span` slots. */
export function labGrid(span: number): { starts: number[]; offsets: number[] } {
  if (span < 1) return { starts: [], offsets: [] };
  const starts = [...new Set([0, Math.floor(span / 4), Math.floor(span / 2)])];
  const maxStart = starts[starts.length - 1]!;
  const offsets = Array.from({ length: span - maxStart }, (_, i) => i);
  return { starts, offsets };
}

function series(
  scheme: ScoreVsOffsetSeries['scheme'],
  q: Float32Array,
  k: Float32Array,
  grid: { starts: number[]; offsets: number[] },
  how: ScoreScheme,
): ScoreVsOffsetSeries {
  const s = scoreVsOffset(q, k, grid.starts, grid.offsets, how);
  let maxSpread = 0;
  for (const v of s.spread) maxSpread = Math.max(maxSpread, v);
  return { scheme, starts: s.starts, offsets: s.offsets, scores: s.scores, spread: s.spread, maxSpread };
}

export async function analysis(
  engine: AnalysisEngine,
  params: AnalysisParams,
  cancel = new CancellationFlag(),
  sliceMs = ANALYSIS_SLICE_MS,
): Promise<AnalysisResult> {
  const kind = checkKind('kind', params?.kind, ANALYSIS_KINDS);
  const inspect = checkInspect(params.inspect);
  if (kind === 'positionalLab') return positionalLab(engine, inspect, cancel);
  const requested = kind === 'tokenStats' ? inspect.maxTokens : Math.min(inspect.maxTokens, ANALYSIS_MAX_TOKENS);
  const r = await engine.inspect({ ...inspect, maxTokens: requested }, cancel);
  const page = pageOf(r, inspect.maxTokens);
  cancel.throwIfCancelled();
  switch (kind) {
    case 'similarity': {
      const v = await runStepsAsync(similarityViewSteps(r), slicedPause(cancel, sliceMs));
      return {
        kind,
        page,
        token: v.token,
        combined: v.combined,
        repeated: v.groups.map((g) => ({ id: g.id, indices: g.indices })),
        pairs: v.pairs.map((p) => ({ id: p.id, i: p.i, j: p.j, tokenSimilarity: p.tokenSimilarity, combinedSimilarity: p.combinedSimilarity })),
      };
    }
    case 'projection': {
      const v = await runStepsAsync(projectionViewSteps(r), slicedPause(cancel, sliceMs));
      return { kind, page, tokenCoords: v.tokenCoords, combinedCoords: v.combinedCoords, explainedVarianceRatio: v.explainedVarianceRatio };
    }
    case 'tokenStats':
      return { kind, page: { ...page, capped: false }, ...tokenStatsView(r) };
    default:
      return assertNever(kind, 'analysis kind');
  }
}

/**
 * Learned, sinusoidal and RoPE positions applied to the same two token vectors (the first two tokens of the
 * page, or one token twice): the attention-style score q·k as a function of the offset, for several starts.
 */
async function positionalLab(engine: AnalysisEngine, inspect: InspectParams, cancel: CancellationFlag): Promise<AnalysisResult> {
  const r = await engine.inspect({ ...inspect, maxTokens: Math.min(2, inspect.maxTokens) }, cancel);
  if (r.tokens.length === 0) throw new RpcError('invalidInput', 'the positional lab needs at least one token: select some text');
  const dim = r.dim;
  const q = r.tokenEmbeddings.slice(0, dim);
  const k = r.tokens.length > 1 ? r.tokenEmbeddings.slice(dim, 2 * dim) : q;
  const span = Math.min(r.contextLength, LAB_POSITIONS);
  const grid = labGrid(span);
  const out: ScoreVsOffsetSeries[] = [];
  let learnedUnavailable: string | null = null;
  // A model source's positions are its own: a RoPE/ALiBi model has no learned table to plot.
  const source = r.source;
  if (source.kind === 'model' && source.positions.kind !== 'learned') learnedUnavailable = `${source.path}: ${explainPositions(source.positions)}`;
  else {
    try {
      const learned =
        r.positional === 'learned' ? r : await engine.inspect({ ...inspect, maxTokens: 0, settings: { ...inspect.settings, positional: 'learned' } }, cancel);
      out.push(series('learned', q, k, grid, { kind: 'additive', table: learned.positionalEmbeddings.subarray(0, span * dim) }));
    } catch (e) {
      if (!(e instanceof RpcError) || e.kind !== 'invalidInput') throw e;
      learnedUnavailable = e.message;
    }
  }
  cancel.throwIfCancelled();
  out.push(series('sinusoidal', q, k, grid, { kind: 'additive', table: sinusoidalTable(span, dim) }));
  out.push(series('rope', q, k, grid, { kind: 'rope' }));
  return {
    kind: 'positionalLab',
    page: pageOf(r, r.tokens.length),
    qId: r.tokens[0]!.id,
    kId: (r.tokens[1] ?? r.tokens[0]!).id,
    series: out,
    learnedUnavailable,
    contextLength: r.contextLength,
    windowing: windowingOf(r.totalTokens, r.contextLength, inspect.settings.stride),
  };
}

const EXPORT_NAMES = { token: 'token_embeddings', positional: 'pos_embeddings', combined: 'input_embeddings', ids: 'token_ids' } as const;

export async function exportData(
  engine: AnalysisEngine,
  params: ExportParams,
  cancel = new CancellationFlag(),
  sliceMs = ANALYSIS_SLICE_MS,
): Promise<ExportResult> {
  const what = checkKind('what', params?.what, EXPORT_MATRICES);
  const format = checkKind('format', params.format, EXPORT_FILE_FORMATS);
  const r = await engine.inspect(checkInspect(params.inspect), cancel);
  const file = await runStepsAsync(exportInspectSteps(r, what, format), slicedPause(cancel, sliceMs));
  return { extension: format, fileName: `${EXPORT_NAMES[what]}.${format}`, bytes: file.bytes };
}

export async function pytorchSnippet(engine: AnalysisEngine, params: PytorchSnippetParams, cancel = new CancellationFlag()): Promise<PytorchSnippetResult> {
  if (typeof params?.text !== 'string') throw new RpcError('invalidInput', 'text must be a string');
  // inspect validates the settings and tells us the resolved source (seed, or file + tensor names).
  const r = await engine.inspect({ text: params.text, settings: params.settings, firstToken: 0, maxTokens: 0 }, cancel);
  const { tokenizer, allowSpecial, addSpecialTokens } = params.settings;
  const tok = await engine.tokenize({ text: params.text, options: { tokenizer, allowSpecial, addSpecialTokens } }, cancel);
  const tables = await engine.tablesForSettings(params.settings, cancel);
  cancel.throwIfCancelled();
  try {
    // A model source brings its own positions and window length (inspect reports what it used).
    const settings = r.source.kind === 'model' ? { ...params.settings, positional: r.positional, contextLength: r.contextLength } : params.settings;
    const s = generatePytorchSnippet({ settings, source: r.source, ids: tok.ids, tables, text: { kind: 'inline', text: params.text } });
    return { code: s.code, inputsShape: s.inputsShape };
  } catch (e) {
    if (e instanceof RangeError) throw new RpcError('invalidInput', e.message);
    throw e;
  }
}
