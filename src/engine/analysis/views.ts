/**
 * The analysis features computed straight from an `InspectResult` (what the engine already returns for a page of
 * tokens), so the engine service can answer the panel with one call each and the CLI can export the same data.
 * Every result is plain data: typed arrays, numbers, strings.
 */
import type { InspectResult } from '../../shared/engineProtocol';
import { csvTextField, exportTensorSteps, tokensToJson, type ExportFile, type ExportFormat, type ExportToken, type RowLabels } from './export';
import type { TokenizerDescription } from '../../shared/embeddingTypes';
import { jointProjectionSteps } from './projection';
import { runSteps, type Steps } from '../steps';
import { cosineSimilaritySteps, repeatedTokenGroups, repeatedTokenPairs, type RepeatedTokenGroup, type RepeatedTokenPair } from './similarity';
import { tokenPositionStats, type TokenPositionStats } from './tokenStats';
import { encodeNpy } from './npy';

export interface SimilarityView {
  /** Number of tokens (rows/columns). */
  n: number;
  /** Row-major n × n cosine similarity of the token embeddings. */
  token: Float32Array;
  /** Row-major n × n cosine similarity of the combined (token + position) vectors. */
  combined: Float32Array;
  /** Tokens that occur more than once on the page. */
  groups: RepeatedTokenGroup[];
  /** Each pair of occurrences: similarity 1 before positions, less after. */
  pairs: RepeatedTokenPair[];
}

export function similarityView(r: InspectResult): SimilarityView {
  return runSteps(similarityViewSteps(r));
}

/** similarityView as steps (the worker runs them with cancellation points between). */
export function* similarityViewSteps(r: InspectResult): Steps<SimilarityView> {
  const n = r.tokens.length;
  const ids = r.tokens.map((t) => t.id);
  return {
    n,
    token: yield* cosineSimilaritySteps(r.tokenEmbeddings, n, r.dim),
    combined: yield* cosineSimilaritySteps(r.combinedEmbeddings, n, r.dim),
    groups: repeatedTokenGroups(ids),
    pairs: repeatedTokenPairs(ids, r.tokenEmbeddings, r.combinedEmbeddings, r.dim),
  };
}

export interface ProjectionView {
  /** `n × 2` arrow tails (token embeddings) and heads (combined vectors), in one PCA basis. */
  tokenCoords: Float32Array;
  combinedCoords: Float32Array;
  explainedVarianceRatio: [number, number];
  /** Labels for the points. */
  texts: string[];
  positions: Int32Array;
}

export function projectionView(r: InspectResult): ProjectionView {
  return runSteps(projectionViewSteps(r));
}

/** projectionView as steps. */
export function* projectionViewSteps(r: InspectResult): Steps<ProjectionView> {
  const n = r.tokens.length;
  const p = yield* jointProjectionSteps(r.tokenEmbeddings, r.combinedEmbeddings, n, r.dim);
  return {
    tokenCoords: p.tokenCoords,
    combinedCoords: p.combinedCoords,
    explainedVarianceRatio: p.pca.explainedVarianceRatio,
    texts: r.tokens.map((t) => t.text),
    positions: r.positions,
  };
}

export function tokenStatsView(r: InspectResult): TokenPositionStats {
  return tokenPositionStats(r.tokenEmbeddings, r.combinedEmbeddings, r.positionalEmbeddings, r.positions, r.dim);
}

/** What to export from a page: one of the three matrices, or the token IDs and spans. */
export type ExportWhat = 'token' | 'positional' | 'combined' | 'ids';

/**
 * A page's matrix (or its IDs) as a file. Token and combined matrices are `tokens × dim` with CSV label columns
 * index (position of the token in the whole text), id and token text; the positional table is
 * `contextLength × dim` with an index column (the slot). `ids` as JSON carries spans and texts; as CSV it is
 * `index,id,start,end,token`; as .npy an int64 vector.
 */
export function exportInspect(r: InspectResult, what: ExportWhat, format: ExportFormat): ExportFile {
  return runSteps(exportInspectSteps(r, what, format));
}

/**
 * Tokens of a text (ids, spans, texts) as a file — the panel's "ids" export and the CLI's `export --what ids`:
 * JSON `{tokenizer, count, ids, spans, tokens}`, NumPy .npy of the ids (int64), or CSV `index,id,start,end,token`
 * (index = `firstToken` + position; token texts guarded against spreadsheet formulas).
 */
export function tokensFile(tokenizer: TokenizerDescription, tokens: readonly ExportToken[], firstToken: number, format: ExportFormat): ExportFile {
  if (format === 'json') return { extension: 'json', mime: 'application/json', bytes: new TextEncoder().encode(tokensToJson(tokenizer, tokens)) };
  if (format === 'npy')
    return {
      extension: 'npy',
      mime: 'application/octet-stream',
      bytes: encodeNpy(
        tokens.map((t) => t.id),
        [tokens.length],
      ),
    };
  const lines = ['index,id,start,end,token'];
  tokens.forEach((t, i) => lines.push(`${firstToken + i},${t.id},${t.start},${t.end},${csvTextField(t.text)}`));
  return { extension: 'csv', mime: 'text/csv', bytes: new TextEncoder().encode(lines.join('\r\n') + '\r\n') };
}

/** exportInspect as steps (CSV rows in slices). */
export function* exportInspectSteps(r: InspectResult, what: ExportWhat, format: ExportFormat): Steps<ExportFile> {
  const n = r.tokens.length;
  const index = Int32Array.from({ length: n }, (_, i) => r.firstToken + i);
  const ids = r.tokens.map((t) => t.id);
  if (what === 'ids') return tokensFile(r.source.tokenizer, r.tokens, r.firstToken, format);
  if (what === 'positional') {
    const slots = Int32Array.from({ length: r.contextLength }, (_, i) => i);
    return yield* exportTensorSteps(format, { name: 'pos_embeddings', data: r.positionalEmbeddings, shape: [r.contextLength, r.dim] }, { index: slots });
  }
  const labels: RowLabels = { index, ids, texts: r.tokens.map((t) => t.text) };
  const data = what === 'token' ? r.tokenEmbeddings : r.combinedEmbeddings;
  const name = what === 'token' ? 'token_embeddings' : 'input_embeddings';
  return yield* exportTensorSteps(format, { name, data, shape: [n, r.dim] }, labels);
}
