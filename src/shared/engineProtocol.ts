/**
 * The engine boundary (extension host or CLI ⇄ engine worker): every method the engine answers, with its
 * parameters and result. They travel in the request/reply envelope of src/shared/rpc.ts. Only plain data and
 * typed arrays; no `any`.
 * Free of Node, DOM and `vscode` imports: host, worker and webview all compile it.
 */
import type { EmbeddingSettings, PositionalScheme, SourceDescription, TokenInfo, TokenizeOptions, TokenizerDescription } from './embeddingTypes';
import type { PaintPreview, PaintPreviewRequest } from './paintPreview';

export interface InspectParams {
  text: string;
  settings: EmbeddingSettings;
  /** First token (index into the whole text's tokens) of the page to return vectors for. */
  firstToken: number;
  /** At most this many tokens get vectors in the reply (the UI's page size / max tokens setting). */
  maxTokens: number;
  /** The inspector panel's paint preview, computed with the reply (src/shared/paintPreview.ts); none if absent. */
  preview?: PaintPreviewRequest;
}

export interface InspectResult {
  /** The tables and the active tokenizer (`source.tokenizer`). */
  source: SourceDescription;
  /**
   * The positions actually added: the settings' scheme, except for a model source, whose own positions rule
   * (`learned` for a learned table, `none` for RoPE/ALiBi: combined = token vector; source.positions says why).
   */
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
  /** The first batch of the sliding-window loader (see `FirstBatch`). */
  firstBatch: FirstBatch;
  /** Book-style shapes of the first batch of the sliding-window loader. */
  shapes: {
    inputs: [number, number];
    tokenEmbeddings: [number, number, number];
    positional: [number, number];
    combined: [number, number, number];
  };
  /** The colour scale and folded map rows for the panel's first paint, when the params asked for them. */
  preview?: PaintPreview;
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
  tokenizer: TokenizerDescription;
  ids: Int32Array;
  /** Flattened `[start0, end0, start1, end1, …]` UTF-16 spans. */
  spans: Int32Array;
}

export interface RowsParams {
  settings: EmbeddingSettings;
  /** Rows of a random token table; defaults to the tokenizer's vocabulary size (ignored for file and model weights). */
  vocabSize?: number;
  tokenRows: number[];
  positionRows: number[];
}

export interface RowsResult {
  dim: number;
  /** Rows of the token / positional table the rows came from. */
  vocabSize: number;
  contextLength: number;
  /** Where the rows come from (random seed, or file + tensor names). */
  source: SourceDescription;
  /** Row-major `tokenRows.length × dim`. */
  token: Float32Array;
  /** Row-major `positionRows.length × dim`. */
  position: Float32Array;
}

export interface NeighborsParams {
  settings: EmbeddingSettings;
  /** Rows of a random token table; defaults to the tokenizer's vocabulary size (ignored for file and model weights). */
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
  /** Display text of the token (`<0xF0 0x9F>` style for partial UTF-8), or null for an id the tokenizer does not use. */
  text: string | null;
  /** A padding row: the table has it but the tokenizer never produces its id (never trained). */
  padding: boolean;
}

export interface NeighborsResult {
  id: number;
  text: string | null;
  /** The asked-for id is a padding row (see Neighbor.padding). */
  padding: boolean;
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

/** How create_dataloader_v1 cuts a text into windows of context_length tokens (engine/analysis/positional.ts#windowingOf). */
export interface Windowing {
  totalTokens: number;
  stride: number;
  /** Input windows the loader makes (0 when the text is not longer than one context). */
  windows: number;
  /** Tokens at the end that fill no complete input/target window. */
  droppedTokens: number;
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
      /** How the sliding-window loader cuts this text (numbers; the panel words them). */
      windowing: Windowing;
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

// ───────────────────────────── worker → host (browser build) ─────────────────────────────

/**
 * A file the engine needs but cannot read itself. Only the browser build's worker asks (a Web Worker has no
 * file system; src/engine/platform/files.web.ts): the extension host reads it with `vscode.workspace.fs`.
 */
export type NeededFile =
  /** A file shipped inside the extension, relative to its dist/ folder (e.g. `ranks/cl100k_base.json`). */
  | { kind: 'bundled'; path: string }
  /** A user's file (a weights file), as the path or URI string the settings name it by. */
  | { kind: 'user'; path: string };

/** Requests the browser build's engine worker makes of the extension host, over the same port and RPC helper. */
export interface HostFileMethods {
  readFile: { params: NeededFile; result: Uint8Array };
}
