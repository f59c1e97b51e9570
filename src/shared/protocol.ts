/**
 * The one protocol module: every message that crosses a thread or frame boundary
 * (extension host ⇄ engine worker, extension host ⇄ webviews) is typed here as a
 * discriminated union. Only plain data and typed arrays; no `any`.
 * This file must stay free of Node, DOM and `vscode` imports: host, worker and webview all compile it.
 */

// ───────────────────────────── shared vocabulary ─────────────────────────────

export const ENCODINGS = ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

export const POSITIONAL_SCHEMES = ['learned', 'sinusoidal', 'none'] as const;
export type PositionalScheme = (typeof POSITIONAL_SCHEMES)[number];

/** Where the embedding tables come from. Seeds are decimal strings: they go up to 2^64−1. */
export type WeightsSource =
  | { kind: 'random'; seed: string }
  | { kind: 'file'; path: string; tokenTensor?: string; positionTensor?: string };

export interface TokenizeOptions {
  encoding: EncodingName;
  /** Treat special-token text such as `<|endoftext|>` as the special token instead of plain text. */
  allowSpecial: boolean;
}

/** One BPE token of a text. Spans are UTF-16 `[start, end)` offsets into the tokenized text. */
export interface TokenInfo {
  id: number;
  start: number;
  end: number;
  /** The token's raw bytes (UTF-8 fragments for partial characters). */
  bytes: number[];
  /** Display text: the decoded text, or `<0xF0 0x9F>` style for bytes that are not whole characters. */
  text: string;
}

export interface EmbeddingSettings {
  encoding: EncodingName;
  allowSpecial: boolean;
  dim: number;
  contextLength: number;
  stride: number;
  batchSize: number;
  positional: PositionalScheme;
  weights: WeightsSource;
}

/** Describes the active tables so views can say which source they show. */
export type SourceDescription =
  | { kind: 'random'; seed: string; vocabSize: number; dim: number; contextLength: number }
  | {
      kind: 'file';
      path: string;
      tokenTensor: string;
      positionTensor: string | null;
      dtype: string;
      vocabSize: number;
      dim: number;
      contextLength: number;
    };

// ───────────────────────────── engine (worker) ─────────────────────────────

export interface InspectParams {
  text: string;
  settings: EmbeddingSettings;
  /** First token (index into the whole text's tokens) of the page to return vectors for. */
  firstToken: number;
  /** At most this many tokens get vectors in the reply (the UI's page size / max tokens setting). */
  maxTokens: number;
}

export interface InspectResult {
  encoding: EncodingName;
  source: SourceDescription;
  positional: PositionalScheme;
  /** All tokens of the text (ids + spans are cheap; vectors only for the page). */
  totalTokens: number;
  firstToken: number;
  /** Tokens of the returned page. */
  tokens: TokenInfo[];
  /** Position slot of each page token: (index in text) mod contextLength. */
  positions: Int32Array;
  dim: number;
  contextLength: number;
  /** Row-major `tokens.length × dim`. */
  tokenEmbeddings: Float32Array;
  /** Row-major `contextLength × dim` (zeros for scheme `none`). */
  positionalEmbeddings: Float32Array;
  /** Row-major `tokens.length × dim`, float32 sum token + position. */
  combinedEmbeddings: Float32Array;
  /** The first batch of the sliding-window loader (see `FirstBatch`). Always set by the engine service. */
  firstBatch?: FirstBatch;
  /** Book-style shapes of the first batch of the sliding-window loader. */
  shapes: {
    inputs: [number, number];
    tokenEmbeddings: [number, number, number];
    positional: [number, number];
    combined: [number, number, number];
  };
}

/**
 * The first batch of the book's `create_dataloader_v1(text, batch_size, max_length=contextLength, stride,
 * shuffle=False, drop_last=False)`: window k starts at token k·stride for every start in
 * `range(0, totalTokens - contextLength, stride)`; targets are the inputs shifted by one token.
 * drop_last=False so a text with fewer windows than `batchSize` still shows a (smaller) batch.
 */
export interface FirstBatch {
  /** Row-major `batch × contextLength` token ids. */
  inputs: Int32Array;
  /** Row-major `batch × contextLength`: each input window shifted one token to the right. */
  targets: Int32Array;
  /** Rows in this batch: min(batchSize, windows). */
  batch: number;
  /** Sliding windows over the whole text. */
  windows: number;
  /** Batches the loader yields with drop_last=False: ceil(windows / batchSize). */
  batches: number;
}

export interface TokenizeResult {
  encoding: EncodingName;
  ids: Int32Array;
  /** Flattened `[start0, end0, start1, end1, …]` UTF-16 spans. */
  spans: Int32Array;
}

export interface RowsParams {
  settings: EmbeddingSettings;
  /** Rows of a random token table; defaults to the encoding's vocabulary size (ignored for file weights). */
  vocabSize?: number;
  tokenRows: number[];
  positionRows: number[];
}

export interface RowsResult {
  dim: number;
  /** Rows of the token / positional table the rows came from. Always set by the engine service. */
  vocabSize?: number;
  contextLength?: number;
  /** Where the rows come from (random seed, or file + tensor names). Always set by the engine service. */
  source?: SourceDescription;
  /** Row-major `tokenRows.length × dim`. */
  token: Float32Array;
  /** Row-major `positionRows.length × dim`. */
  position: Float32Array;
}

export interface NeighborsParams {
  settings: EmbeddingSettings;
  /** Rows of a random token table; defaults to the encoding's vocabulary size (ignored for file weights). */
  vocabSize?: number;
  /** The token whose nearest neighbours are wanted. */
  id: number;
  /** How many neighbours (1 to 1,000). */
  k: number;
}

export interface Neighbor {
  id: number;
  /** Cosine similarity of the two token embeddings, in [-1, 1]. */
  score: number;
  /** Display text of the token (`<0xF0 0x9F>` style for partial UTF-8), or null for an id the encoding does not use. */
  text: string | null;
}

export interface NeighborsResult {
  id: number;
  text: string | null;
  source: SourceDescription;
  /** Best first; the token itself is excluded. */
  neighbors: Neighbor[];
}

/** A 2-D tensor of a .safetensors file that could be picked as an embedding table. */
export interface TensorCandidate {
  name: string;
  dtype: string;
  rows: number;
  cols: number;
  /** Whether its dtype can be shown (F32, F16, BF16, F64). */
  readable: boolean;
  /** The role its name suggests (GPT-2/Llama/BERT naming), if any. */
  role: 'token' | 'position' | null;
}

export interface TensorsResult {
  path: string;
  /** Every 2-D tensor, in file order. */
  candidates: TensorCandidate[];
  /** What would be used without tokenTensor / positionTensor settings. */
  detected: { tokenTensor: string | null; positionTensor: string | null };
  /** The header's `__metadata__` (e.g. `{ format: "pt" }`). */
  metadata: Record<string, string>;
}
// ── whole-document methods (hover, status bar, highlighting) ──
// The worker keeps the tokenization of recently used documents per (uri, version, encoding, allowSpecial),
// so a hover on a 5 MB file is a binary search, not a retokenization. The host sends a document's text
// only when it believes the worker lacks that version; if the worker evicted it anyway it answers
// `needText` and the host repeats the call with the text.

/** A document as the worker caches it. */
export interface DocumentRef {
  uri: string;
  /** The editor's document version; a new version replaces the worker's copy. */
  version: number;
  /** The full text; omitted when the host believes the worker already holds this version. */
  text?: string;
}

export interface TokenAtParams {
  document: DocumentRef;
  /** UTF-16 offset into the document. */
  offset: number;
  settings: EmbeddingSettings;
}

export type TokenAtResult =
  | { status: 'needText' }
  /** No token covers the offset (empty document, or offset at the very end). */
  | { status: 'none'; totalTokens: number }
  | {
      status: 'ok';
      /** Spans are document offsets. */
      token: TokenInfo;
      /** Index of the token among all tokens of the document. */
      index: number;
      totalTokens: number;
      /** The document chunked into windows of `contextLength` tokens: which window holds the token … */
      window: number;
      /** … and its slot inside that window (= index mod contextLength, the positional row). */
      position: number;
      /** Document offsets spanning that window's tokens (what "inspect this token in context" shows). */
      windowStart: number;
      windowEnd: number;
      contextLength: number;
      dim: number;
      tokenVector: Float32Array;
      positionVector: Float32Array;
      /** float32 token + position, as the model's first layer outputs it. */
      combinedVector: Float32Array;
    };

export interface CountTokensParams {
  document: DocumentRef;
  /** Count the tokens of this range tokenized on its own (a selection); the whole document if omitted. */
  range?: { start: number; end: number };
  options: TokenizeOptions;
}
export type CountTokensResult = { status: 'needText' } | { status: 'ok'; count: number };

export interface TokenSpansParams {
  document: DocumentRef;
  /** UTF-16 document range whose overlapping tokens are wanted (the editor's visible lines). */
  start: number;
  end: number;
  options: TokenizeOptions;
}
export type TokenSpansResult =
  | { status: 'needText' }
  | {
      status: 'ok';
      /** Document index of the first returned token (its parity drives the alternating colours). */
      firstIndex: number;
      /** Flattened `[start0, end0, …]` document spans of the tokens overlapping the range. */
      spans: Int32Array;
    };

// ── analysis ("understand and take away"): the worker recomputes the panel's page from the same InspectParams
// (text + settings + page), so only the small results travel, never the panel's matrices back to the worker.

export const ANALYSIS_KINDS = ['similarity', 'projection', 'tokenStats', 'positionalLab'] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];
/** Similarity and projection look at most this many tokens of the page (n² cells / a readable scatter). */
export const ANALYSIS_MAX_TOKENS = 256;

export interface AnalysisParams {
  kind: AnalysisKind;
  /** The panel's last inspect request; similarity and projection use its first ANALYSIS_MAX_TOKENS tokens. */
  inspect: InspectParams;
}

/** Which tokens an analysis covers: `firstToken … firstToken + count − 1` of the text. */
export interface AnalysisPage {
  firstToken: number;
  count: number;
  totalTokens: number;
  /** The page had more tokens than ANALYSIS_MAX_TOKENS and was cut. */
  capped: boolean;
}

/** One line of a score-vs-offset chart: q at position m, k at m + offset. */
export interface ScoreVsOffsetSeries {
  scheme: 'learned' | 'sinusoidal' | 'rope';
  starts: number[];
  offsets: number[];
  /** Row-major `starts.length × offsets.length`. */
  scores: Float64Array;
  /** Per offset: max − min over the starts (≈ 0 iff the score depends only on the offset). */
  spread: Float64Array;
  /** Largest spread: one number to compare the schemes. */
  maxSpread: number;
}

export type AnalysisResult =
  | {
      kind: 'similarity';
      page: AnalysisPage;
      /** Row-major n × n cosine similarities (n = page.count). */
      token: Float32Array;
      combined: Float32Array;
      /** Tokens occurring more than once (indices into the analysed rows). */
      repeated: { id: number; indices: number[] }[];
      pairs: { id: number; i: number; j: number; tokenSimilarity: number; combinedSimilarity: number }[];
    }
  | {
      kind: 'projection';
      page: AnalysisPage;
      /** Row-major n × 2: token vectors (arrow tails) and combined vectors (heads) in one PCA basis. */
      tokenCoords: Float32Array;
      combinedCoords: Float32Array;
      explainedVarianceRatio: [number, number];
    }
  | {
      kind: 'tokenStats';
      page: AnalysisPage;
      tokenNorm: Float64Array;
      positionNorm: Float64Array;
      combinedNorm: Float64Array;
      shift: Float64Array;
      cosTokenCombined: Float64Array;
    }
  | {
      kind: 'positionalLab';
      page: AnalysisPage;
      /** Ids of the page tokens used as q and k (token vectors). */
      qId: number;
      kId: number;
      series: ScoreVsOffsetSeries[];
      /** Why learned is missing (e.g. a weights file without a positional table), if it is. */
      learnedUnavailable: string | null;
      contextLength: number;
      /** describeWindowing() for this text. */
      windowing: string;
      /** LONGER_THAN_CONTEXT texts. */
      longerThanContext: { learned: string; sinusoidal: string; rope: string; none: string };
    };

export const EXPORT_MATRICES = ['token', 'positional', 'combined', 'ids'] as const;
export type ExportMatrix = (typeof EXPORT_MATRICES)[number];
export const EXPORT_FILE_FORMATS = ['csv', 'json', 'npy'] as const;
export type ExportFileFormat = (typeof EXPORT_FILE_FORMATS)[number];

export interface ExportParams {
  inspect: InspectParams;
  what: ExportMatrix;
  format: ExportFileFormat;
}
export interface ExportResult {
  extension: ExportFileFormat;
  /** Suggested file name, e.g. `token_embeddings.npy`. */
  fileName: string;
  bytes: Uint8Array;
}

export interface PytorchSnippetParams {
  text: string;
  settings: EmbeddingSettings;
}
export interface PytorchSnippetResult {
  code: string;
  inputsShape: [number, number];
}

/** Every method the engine worker answers, with its parameter and result type. */
export interface EngineMethods {
  tokenize: { params: { text: string; options: TokenizeOptions }; result: TokenizeResult };
  inspect: { params: InspectParams; result: InspectResult };
  rows: { params: RowsParams; result: RowsResult };
  /** Nearest tokens by cosine similarity of token embeddings (a cancellable scan of the whole vocabulary). */
  neighbors: { params: NeighborsParams; result: NeighborsResult };
  /** The 2-D tensors of a .safetensors file, for a tensor picker (reads only the header). */
  tensors: { params: { path: string }; result: TensorsResult };
  tokenAt: { params: TokenAtParams; result: TokenAtResult };
  countTokens: { params: CountTokensParams; result: CountTokensResult };
  tokenSpans: { params: TokenSpansParams; result: TokenSpansResult };
  /** Drop the worker's copy of a closed document. */
  releaseDocument: { params: { uri: string }; result: null };
  /** Panel analyses (similarity, projection, per-token norms, positional lab) of the panel's page. */
  analysis: { params: AnalysisParams; result: AnalysisResult };
  /** A page matrix (or its ids + spans) as file bytes (CSV, JSON or .npy). */
  exportData: { params: ExportParams; result: ExportResult };
  /** "Copy as PyTorch": a script rebuilding the same tables and inputs. */
  pytorchSnippet: { params: PytorchSnippetParams; result: PytorchSnippetResult };
}
export type EngineMethod = keyof EngineMethods;

// ───────────────────────────── request/reply envelope ─────────────────────────────

/** Error kinds every caller can switch on. */
export type RpcErrorKind =
  | 'cancelled'
  | 'timeout'
  | 'workerCrashed'
  | 'workerUnavailable'
  | 'invalidInput'
  | 'internal';

export interface RpcErrorData {
  kind: RpcErrorKind;
  message: string;
}

export type RpcRequest<M extends string = string, P = unknown> = {
  type: 'request';
  id: number;
  method: M;
  params: P;
  /** Requests that share a channel supersede each other: a newer one cancels the older. */
  channel?: string;
};
export type RpcCancel = { type: 'cancel'; id: number };
export type RpcResponse<R = unknown> =
  | { type: 'response'; id: number; ok: true; result: R }
  | { type: 'response'; id: number; ok: false; error: RpcErrorData };
export type RpcMessage = RpcRequest | RpcCancel | RpcResponse;

// ───────────────────────────── webviews ─────────────────────────────

/** What a webview shows; replayed when a view becomes visible again. */
export interface PanelState {
  documentUri: string | null;
  documentLabel: string;
  /** UTF-16 offset of the inspected text inside the document (for reveal). */
  textOffset: number;
  /** UTF-16 length of the inspected text (with textOffset: the range a restored panel inspects again). */
  textLength: number;
  settings: EmbeddingSettings;
  result: InspectResult;
  selectedRow: number | null;
}

/**
 * What the inspector panel keeps in its webview state (next to the drawn state) so that the host can inspect
 * the same range with the same settings again after a window reload (WebviewPanelSerializer).
 */
export interface PanelRestore {
  documentUri: string;
  textOffset: number;
  textLength: number;
  /** The settings the panel showed (user settings plus the panel's own changes). */
  settings: EmbeddingSettings;
  firstToken: number;
}

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

/**
 * What the inspector panel asks of the host, over the request/reply envelope above (src/shared/rpc.ts: ids,
 * replies matched by id, cancel, supersession by channel) — the same helper the host uses with the worker.
 * Each request is answered for the state the host shows; the panel cancels its requests when a new state
 * arrives, so a reply computed for an older state is never drawn.
 */
export interface PanelMethods {
  /** An analysis tab's numbers for the current page. */
  analysis: { params: { kind: AnalysisKind }; result: AnalysisResult };
  /** Export a page matrix to a file the user picks. */
  export: { params: { what: ExportMatrix; format: ExportFileFormat }; result: ActionOutcome };
  /** Copy as PyTorch (a script rebuilding the tables and inputs) to the clipboard. */
  copyPytorch: { params: Record<string, never>; result: ActionOutcome };
  /** Nearest tokens of page row `row`, whose token id the panel saw as `id` (weights UI). */
  neighbors: { params: { row: number; id: number }; result: { neighbors: Neighbor[] } };
}
export type PanelMethod = keyof PanelMethods;
export const PANEL_METHODS = ['analysis', 'export', 'copyPytorch', 'neighbors'] as const satisfies readonly PanelMethod[];

/** How an export or copy ended (a cancelled save dialog is `ok: false`, not an error). */
export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/** Host → webview. */
export type HostToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'busy'; busy: boolean; message?: string }
  | { type: 'error'; message: string }
  | { type: 'selectRow'; row: number | null }
  /** The reply to a panel request. */
  | RpcResponse;

/** Webview → host. Every field is validated by the host before use. */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'revealToken'; start: number; end: number }
  | { type: 'changeSettings'; settings: Partial<Omit<EmbeddingSettings, 'weights'>> }
  /** Random-init seed typed in the panel (decimal string, 0..2^64−1; validated by the webview and the host). */
  | { type: 'changeSeed'; seed: string }
  | { type: 'selectRow'; row: number | null }
  | { type: 'page'; firstToken: number }
  /** The busy bar's Cancel: stop the inspection in progress. */
  | { type: 'cancelInspection' }
  | { type: 'openPanel' }
  | { type: 'cspViolation'; directive: string; blockedUri: string }
  /** A panel request (PanelMethods) and its cancellation. */
  | PanelRequest
  | RpcCancel
  /** Weights UI: switch back to the seeded random init (clears tokenEmbeddings.weightsPath). */
  | { type: 'useRandomInit' }
  /** Weights UI: run "Load Embedding Weights…" (file picker). */
  | { type: 'loadWeights' };

export type PanelRequest = { [K in PanelMethod]: RpcRequest<K, PanelMethods[K]['params']> }[PanelMethod];
