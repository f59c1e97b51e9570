/**
 * EngineService answers every method of EngineMethods (src/shared/engineProtocol.ts): tokenize, inspect, rows,
 * neighbors, tensors; the whole-document methods tokenAt, countTokens, tokenSpans, releaseDocument; and the
 * panel's analysis, exportData, pytorchSnippet (computed in src/engine/analysis/methods.ts). It runs wherever
 * the engine runs: inside the worker thread (behind RpcServer) and in-process in the CLI, so both use the same code.
 *
 * Its parts are injected (a Tokenizer per TokenizerSource — a built-in encoding, a tokenizer.json, a model's own
 * — and EmbeddingTables per table spec) so the service does not care whether tables are PyTorch-exact random
 * ones, read from a .safetensors file, or a model's (Hugging Face folder, .gguf). Every reply that describes its
 * source says which tokenizer is active and how many token-table rows are padding (never produced by it).
 *
 * Long work is split into chunks; between chunks the service yields to the event loop (so a `cancel` message
 * can be delivered) and checks its CancellationFlag, so a superseded request really stops working.
 */
import type { EmbeddingTables, Encoded, Tokenizer } from './types';
import { runStepsAsync, slicedPause, type StepRunner, type Steps } from './steps';
import {
  tokenizerKey,
  type EmbeddingSettings,
  type PositionalScheme,
  type SourceDescription,
  type TokenizeOptions,
  type TokenizerDescription,
  type TokenizerSource,
  type WeightsSource,
} from '../shared/embeddingTypes';
import type {
  AnalysisParams,
  AnalysisResult,
  ExportParams,
  ExportResult,
  PytorchSnippetParams,
  PytorchSnippetResult,
  EngineMethods,
  FirstBatch,
  InspectParams,
  InspectResult,
  NeighborsParams,
  NeighborsResult,
  TensorsResult,
  RowsParams,
  RowsResult,
  CountTokensParams,
  CountTokensResult,
  DocumentRef,
  TokenAtParams,
  TokenAtResult,
  TokenSpansParams,
  TokenSpansResult,
  TokenizeResult,
} from '../shared/engineProtocol';
import { CancellationFlag, RpcError, type Handlers } from '../shared/rpc';
import { DocumentCache, tokenIndexAt, tokensOverlapping } from './documentCache';
import { SharedWork } from './sharedWork';
import { createDataloaderV1 } from './batches';
import { nearestTokens } from './nearestTokens';
import { positionalTable, positionalRows } from './positional';
import { summarizeWeightsFile } from './safetensors/fileEmbeddingTables';
import { displayBytes } from './tokenizer/tokenDisplay';
import { Lru } from './lru';
import { CodedError } from './codedError';
import { analysis, exportData, pytorchSnippet } from './analysis/methods';
import { checkPaintPreviewRequest, paintPreview } from './analysis/paintPreview';
import { MAX_DOCUMENT_CHARS, MAX_NEIGHBORS, MAX_VOCAB_SIZE, SETTING_LIMITS } from '../shared/limits';
import { checkInteger, checkRowList, checkSettings, checkText, checkTokenizeOptions } from './serviceValidation';

/**
 * What a tables factory is asked for. Shapes are requests: file-backed tables report their own. The positional
 * scheme is not part of it: the service applies sinusoidal/none itself (src/engine/positional.ts), so switching
 * schemes reuses the same token table.
 */
export interface TablesSpec {
  weights: WeightsSource;
  /**
   * Token-table rows: the size of random tables (the tokenizer's vocabulary size unless the caller chose one);
   * for a file, the fewest rows it may have (more are padding rows).
   */
  vocabSize: number;
  dim: number;
  contextLength: number;
}

export interface EngineDependencies {
  /**
   * The tokenizer of a source. A long load (a 33 MB tokenizer.json) runs its steps through `run`, which yields
   * to the event loop every slice (other requests are answered meanwhile) and throws RpcError('cancelled') at
   * the first step after the load is cancelled: once no request waits for it any more. Loads are cached by the
   * service per source.
   */
  tokenizer(source: TokenizerSource, run: StepRunner): Tokenizer | Promise<Tokenizer>;
  tables(spec: TablesSpec): EmbeddingTables | Promise<EmbeddingTables>;
  /** Releases what the dependencies keep (an opened model waiting for its tables). */
  dispose?(): void;
}

export interface EngineServiceOptions {
  /** How long a chunk of work may run before the service yields to the event loop (default 8 ms). */
  sliceMs?: number;
  /** Rows gathered per chunk (default 256). */
  rowsPerChunk?: number;
  /** Tokenizations kept, keyed by text hash (default 4). */
  tokenizationCacheSize?: number;
  /** Embedding tables kept alive (default 2: e.g. the panel's and the hover's settings). */
  tablesCacheSize?: number;
  /** Tokenizers kept loaded besides the built-in encodings' (default 2: a Gemma 3 tokenizer takes ~170 MB). */
  tokenizerCacheSize?: number;
}

export interface EngineStats {
  /** Requests that began work (passed the queue), and how they ended. */
  started: number;
  completed: number;
  cancelled: number;
  failed: number;
  tokenizations: number;
  tokenizationCacheHits: number;
  tablesCreated: number;
  /** Tokenizer loads started (a cached tokenizer is not loaded again). */
  tokenizerLoads: number;
}

/** 53-bit FNV-1a-style hash over UTF-16 code units; a hit is confirmed by comparing the text itself. */
export function textHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${text.length}`;
}

/**
 * The book's sliding windows: starts `range(0, n - contextLength, stride)`; first batch with drop_last=False
 * (a short text still gets a smaller batch; zero windows gives an empty batch).
 */
export function firstBatch(ids: ArrayLike<number>, contextLength: number, stride: number, batchSize: number): FirstBatch {
  const span = ids.length - contextLength;
  if (span <= 0) return { inputs: new Int32Array(0), targets: new Int32Array(0), batch: 0, windows: 0, batches: 0 };
  const loader = createDataloaderV1(ids, { maxLength: contextLength, stride, batchSize, dropLast: false });
  const first = loader.batch(0);
  return { inputs: first.inputs, targets: first.targets, batch: first.rows, windows: loader.windows, batches: loader.batches };
}

interface CachedTokenization {
  text: string;
  encoded: Encoded;
}

export class EngineService {
  private readonly sliceMs: number;
  private readonly rowsPerChunk: number;
  /** Loaded tokenizers by source (tokenizerKey); loads in flight are shared through tokenizerLoads. */
  private readonly tokenizers: Lru<string, Tokenizer>;
  private readonly tokenizerLoads = new SharedWork<Tokenizer>();
  private readonly tokenizations: Lru<string, CachedTokenization>;
  private readonly tables: Lru<string, Promise<EmbeddingTables>>;
  /** Whole-document tokenizations per (uri, version) for hovers, status bar and highlighting. */
  private readonly documents = new DocumentCache();
  /** Tokenizations running now, shared by the requests that wait on the same text. */
  private readonly encodings = new SharedWork<Encoded>();
  private readonly counters: EngineStats = {
    started: 0,
    completed: 0,
    cancelled: 0,
    failed: 0,
    tokenizations: 0,
    tokenizationCacheHits: 0,
    tablesCreated: 0,
    tokenizerLoads: 0,
  };

  /** Ready to hand to `new RpcServer<EngineMethods>(transport, service.handlers)`. */
  readonly handlers: Handlers<EngineMethods> = {
    tokenize: (params, cancel) => this.tokenize(params, cancel),
    inspect: (params, cancel) => this.inspect(params, cancel),
    rows: (params, cancel) => this.rows(params, cancel),
    neighbors: (params, cancel) => this.neighbors(params, cancel),
    tensors: (params) => this.tensors(params),
    tokenAt: (params, cancel) => this.tokenAt(params, cancel),
    countTokens: (params, cancel) => this.countTokens(params, cancel),
    tokenSpans: (params, cancel) => this.tokenSpans(params, cancel),
    releaseDocument: (params) => this.releaseDocument(params),
    // Panel analyses (src/engine/analysisMethods.ts): recomputed from the panel's inspect parameters.
    analysis: (params, cancel) => this.analysis(params, cancel),
    exportData: (params, cancel) => this.exportData(params, cancel),
    pytorchSnippet: (params, cancel) => this.pytorchSnippet(params, cancel),
  };

  constructor(
    private readonly deps: EngineDependencies,
    options: EngineServiceOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 8;
    this.rowsPerChunk = options.rowsPerChunk ?? 256;
    this.tokenizations = new Lru(options.tokenizationCacheSize ?? 4);
    this.tokenizers = new Lru(options.tokenizerCacheSize ?? 2);
    this.tables = new Lru(
      options.tablesCacheSize ?? 2,
      (p) =>
        void p.then(
          (t) => t.dispose?.(),
          () => undefined,
        ),
    );
  }

  stats(): EngineStats {
    return { ...this.counters };
  }

  async tokenize(params: EngineMethods['tokenize']['params'], cancel = new CancellationFlag()): Promise<TokenizeResult> {
    return this.track(async () => {
      const text = checkText(params?.text);
      const options = checkTokenizeOptions(params?.options);
      const { tokenizer, encoded } = await this.encode(text, options, cancel);
      // Copies: the cached arrays must not be transferred (detached) to the caller.
      return { tokenizer: describeTokenizer(options.tokenizer, tokenizer), ids: Int32Array.from(encoded.ids), spans: encoded.spans.slice() };
    });
  }

  async inspect(params: InspectParams, cancel = new CancellationFlag()): Promise<InspectResult> {
    return this.track(async () => {
      const text = checkText(params?.text);
      const settings = checkSettings(params?.settings);
      const firstTokenIn = checkInteger('firstToken', params.firstToken, 0, Number.MAX_SAFE_INTEGER);
      const maxTokens = checkInteger('maxTokens', params.maxTokens, 0, SETTING_LIMITS.maxTokens.max);
      const previewRequest = checkPaintPreviewRequest(params.preview);
      const checkpoint = slicedPause(cancel, this.sliceMs);

      const { tokenizer, encoded } = await this.encode(text, settings, cancel);
      const total = encoded.ids.length;
      if (firstTokenIn > total) {
        throw new RpcError('invalidInput', `firstToken ${firstTokenIn} is past the end of the text (${total} tokens)`);
      }
      await checkpoint();
      const tables = await this.tablesFor(settings, tokenizer.vocabSize);
      await checkpoint();
      const { dim, contextLength } = tables;
      const pageEnd = Math.min(total, firstTokenIn + maxTokens);
      const pageIds = encoded.ids.subarray(firstTokenIn, pageEnd);
      this.checkIdsFit(pageIds, tables);

      const positions = new Int32Array(pageIds.length);
      for (let i = 0; i < positions.length; i++) positions[i] = (firstTokenIn + i) % contextLength;
      const positional = positionalFor(settings, tables);
      const positionalEmbeddings = guardRange(() => positionalTable(positional, tables));
      const tokenEmbeddings = new Float32Array(pageIds.length * dim);
      const combinedEmbeddings = new Float32Array(pageIds.length * dim);
      for (let from = 0; from < pageIds.length; from += this.rowsPerChunk) {
        await checkpoint();
        const to = Math.min(pageIds.length, from + this.rowsPerChunk);
        tokenEmbeddings.set(
          guardRange(() => tables.tokenRows(pageIds.subarray(from, to))),
          from * dim,
        );
        // combined = token + the slot's row of the positional table computed above (no second lookup per
        // token); a Float32Array store rounds the double sum to float32, exactly torch's float32 add.
        for (let i = from; i < to; i++) {
          const base = i * dim;
          const posBase = positions[i] * dim;
          for (let d = 0; d < dim; d++) combinedEmbeddings[base + d] = tokenEmbeddings[base + d] + positionalEmbeddings[posBase + d];
        }
      }
      await checkpoint();
      const tokens = tokenizer.tokenInfos(text, encoded, firstTokenIn, pageEnd);
      const batch = firstBatch(encoded.ids, contextLength, settings.stride, settings.batchSize);
      this.checkIdsFit(batch.inputs, tables);
      this.checkIdsFit(batch.targets, tables);
      const previewTables = { dim, contextLength, tokenRows: pageIds.length, tokenEmbeddings, positionalEmbeddings, combinedEmbeddings };
      const preview = previewRequest && paintPreview(previewTables, previewRequest);

      return {
        source: describeSource(settings.tokenizer, tokenizer, tables),
        positional,
        totalTokens: total,
        firstToken: firstTokenIn,
        tokens,
        positions,
        dim,
        contextLength,
        tokenEmbeddings,
        positionalEmbeddings,
        combinedEmbeddings,
        firstBatch: batch,
        shapes: {
          inputs: [batch.batch, contextLength],
          tokenEmbeddings: [batch.batch, contextLength, dim],
          positional: [contextLength, dim],
          combined: [batch.batch, contextLength, dim],
        },
        ...(preview ? { preview } : {}),
      };
    });
  }

  async rows(params: RowsParams, cancel = new CancellationFlag()): Promise<RowsResult> {
    return this.track(async () => {
      const settings = checkSettings(params?.settings);
      const checkpoint = slicedPause(cancel, this.sliceMs);
      const tokenizer = await this.tokenizerFor(settings.tokenizer, cancel);
      const tables = await this.tablesFor(settings, this.vocabSizeFor(settings, tokenizer, params.vocabSize));
      const tokenRows = checkRowList('tokenRows', params.tokenRows, tables.vocabSize, `${tables.vocabSize}-row token table`);
      const positionRows = checkRowList('positionRows', params.positionRows, tables.contextLength, `${tables.contextLength}-row positional table`);
      const token = new Float32Array(tokenRows.length * tables.dim);
      for (let from = 0; from < tokenRows.length; from += this.rowsPerChunk) {
        await checkpoint();
        token.set(
          guardRange(() => tables.tokenRows(tokenRows.slice(from, from + this.rowsPerChunk))),
          from * tables.dim,
        );
      }
      await checkpoint();
      return {
        dim: tables.dim,
        vocabSize: tables.vocabSize,
        contextLength: tables.contextLength,
        source: describeSource(settings.tokenizer, tokenizer, tables),
        token,
        position: guardRange(() => positionalRows(positionalFor(settings, tables), tables, positionRows)),
      };
    });
  }

  async neighbors(params: NeighborsParams, cancel = new CancellationFlag()): Promise<NeighborsResult> {
    return this.track(async () => {
      const settings = checkSettings(params?.settings);
      const k = checkInteger('k', params.k, 1, MAX_NEIGHBORS);
      const tokenizer = await this.tokenizerFor(settings.tokenizer, cancel);
      const tables = await this.tablesFor(settings, this.vocabSizeFor(settings, tokenizer, params.vocabSize));
      const id = checkInteger('id', params.id, 0, tables.vocabSize - 1);
      cancel.throwIfCancelled();
      const found = await asInvalidInput(() => nearestTokens(tables, id, { k, cancel, yieldEveryMs: this.sliceMs }));
      const text = (t: number): string | null => {
        try {
          return displayBytes(tokenizer.tokenBytes(t));
        } catch {
          return null; // ids the tokenizer leaves unused, and padding rows
        }
      };
      // Rows past the tokenizer's ids are padding: in the table (nanoGPT, Qwen), never produced, never trained.
      const padding = (row: number): boolean => row >= tokenizer.vocabSize;
      return {
        id,
        text: text(id),
        padding: padding(id),
        source: describeSource(settings.tokenizer, tokenizer, tables),
        neighbors: found.map((n) => ({ id: n.id, score: n.score, text: padding(n.id) ? null : text(n.id), padding: padding(n.id) })),
      };
    });
  }

  // ── whole-document methods: answered from the DocumentCache, never by retokenizing per call ──

  /** The token under a document offset, its place in the document's context windows, and its three vectors. */
  async tokenAt(params: TokenAtParams, cancel = new CancellationFlag()): Promise<TokenAtResult> {
    return this.track(async () => {
      const ref = checkDocumentRef(params?.document);
      const settings = checkSettings(params?.settings);
      const offset = checkInteger('offset', params.offset, 0, Number.MAX_SAFE_INTEGER);
      const doc = await this.documentTokens(ref, settings, cancel);
      if (!doc) return { status: 'needText' };
      const { tokenizer, text, encoded } = doc;
      const total = encoded.ids.length;
      const index = tokenIndexAt(encoded.spans, offset);
      if (index < 0) return { status: 'none', totalTokens: total };
      const tables = await this.tablesFor(settings, tokenizer.vocabSize);
      cancel.throwIfCancelled();
      const id = encoded.ids[index];
      this.checkIdsFit([id], tables);
      const { dim, contextLength } = tables;
      const window = Math.floor(index / contextLength);
      const position = index % contextLength;
      const first = window * contextLength;
      const last = Math.min(total, first + contextLength) - 1;
      const tokenVector = guardRange(() => tables.tokenRows([id]));
      const positionVector = guardRange(() => positionalRows(positionalFor(settings, tables), tables, [position]));
      const combinedVector = new Float32Array(dim);
      for (let d = 0; d < dim; d++) combinedVector[d] = tokenVector[d] + positionVector[d];
      return {
        status: 'ok',
        token: tokenizer.tokenInfos(text, encoded, index, index + 1)[0],
        index,
        totalTokens: total,
        window,
        position,
        windowStart: encoded.spans[2 * first],
        windowEnd: encoded.spans[2 * last + 1],
        contextLength,
        dim,
        tokenVector,
        positionVector,
        combinedVector,
      };
    });
  }

  /** The 2-D tensors of a weights file (header only), for a tensor picker. */
  async tensors(params: { path: string }): Promise<TensorsResult> {
    return this.track(async () => {
      const path = params?.path;
      if (typeof path !== 'string' || path.length === 0) throw new RpcError('invalidInput', 'path must be a non-empty file path');
      const summary = await asInvalidInput(() => summarizeWeightsFile(path));
      return {
        path,
        candidates: summary.candidates,
        detected: summary.detected,
        metadata: Object.fromEntries(summary.metadata ?? []),
      };
    });
  }

  /** Tokens of a document (from its cached tokenization) or of a range of it tokenized on its own. */
  async countTokens(params: CountTokensParams, cancel = new CancellationFlag()): Promise<CountTokensResult> {
    return this.track(async () => {
      const ref = checkDocumentRef(params?.document);
      const options = checkTokenizeOptions(params.options);
      if (params.range === undefined) {
        const doc = await this.documentTokens(ref, options, cancel);
        return doc ? { status: 'ok', count: doc.encoded.ids.length } : { status: 'needText' };
      }
      const text = this.documents.text(ref);
      if (text === undefined) return { status: 'needText' };
      const start = checkInteger('range.start', params.range?.start, 0, text.length);
      const end = checkInteger('range.end', params.range?.end, start, text.length);
      const { encoded } = await this.encode(text.slice(start, end), options, cancel);
      return { status: 'ok', count: encoded.ids.length };
    });
  }

  /** Document spans of the tokens overlapping `[start, end)` (for highlighting the visible lines). */
  async tokenSpans(params: TokenSpansParams, cancel = new CancellationFlag()): Promise<TokenSpansResult> {
    return this.track(async () => {
      const ref = checkDocumentRef(params?.document);
      const options = checkTokenizeOptions(params.options);
      const start = checkInteger('start', params.start, 0, Number.MAX_SAFE_INTEGER);
      const end = checkInteger('end', params.end, start, Number.MAX_SAFE_INTEGER);
      const doc = await this.documentTokens(ref, options, cancel);
      if (!doc) return { status: 'needText' };
      const [first, last] = tokensOverlapping(doc.encoded.spans, start, end);
      return { status: 'ok', firstIndex: first, spans: doc.encoded.spans.slice(2 * first, 2 * last) };
    });
  }

  releaseDocument(params: { uri: string }): null {
    if (typeof params?.uri === 'string') this.documents.release(params.uri);
    return null;
  }

  private async documentTokens(ref: DocumentRef, options: TokenizeOptions, cancel: CancellationFlag) {
    const tokenizer = await this.tokenizerFor(options.tokenizer, cancel);
    cancel.throwIfCancelled();
    const doc = await this.documents.encoded(ref, tokenizationKey(options), (text) =>
      this.encodings.run(`doc|${ref.uri}|${ref.version}|${tokenizationKey(options)}`, cancel, async (flag) => {
        const encoded = await this.encodeInSteps(tokenizer, text, options, flag);
        this.counters.tokenizations++;
        return encoded;
      }),
    );
    return doc && { tokenizer, ...doc };
  }

  analysis(params: AnalysisParams, cancel = new CancellationFlag()): Promise<AnalysisResult> {
    return analysis(this, params, cancel, this.sliceMs);
  }
  exportData(params: ExportParams, cancel = new CancellationFlag()): Promise<ExportResult> {
    return exportData(this, params, cancel, this.sliceMs);
  }
  pytorchSnippet(params: PytorchSnippetParams, cancel = new CancellationFlag()): Promise<PytorchSnippetResult> {
    return pytorchSnippet(this, params, cancel);
  }

  /** The (cached) tables for validated settings, sized for the tokenizer's vocabulary (used by analysis/methods.ts). */
  async tablesForSettings(settings: EmbeddingSettings, cancel = new CancellationFlag()): Promise<EmbeddingTables> {
    const checked = checkSettings(settings);
    return this.tablesFor(checked, (await this.tokenizerFor(checked.tokenizer, cancel)).vocabSize);
  }

  /** Drops every cache and releases tables (file handles). */
  dispose(): void {
    this.tables.clear();
    this.tokenizations.clear();
    this.tokenizers.clear();
    this.deps.dispose?.();
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.counters.started++;
    try {
      const result = await work();
      this.counters.completed++;
      return result;
    } catch (e) {
      if (e instanceof RpcError && e.kind === 'cancelled') this.counters.cancelled++;
      else this.counters.failed++;
      throw e;
    }
  }

  /**
   * Token-table rows to ask the tables factory for: a random table may be given any size; otherwise the
   * tokenizer's vocabulary (a file or model table must have at least that many rows; more are padding).
   */
  private vocabSizeFor(settings: EmbeddingSettings, tokenizer: Tokenizer, requested: unknown): number {
    if (requested !== undefined && settings.weights.kind === 'random') {
      return checkInteger('vocabSize', requested, 1, MAX_VOCAB_SIZE);
    }
    return tokenizer.vocabSize;
  }

  /**
   * The tokenizer of a source, loaded once and shared by every request that needs it. A failed load is
   * forgotten (it may succeed later, e.g. once the file is fixed) and leaves every other loaded tokenizer as it
   * was. A request cancelled while the load runs stops waiting at once; the load itself is aborted when no
   * request waits for it any more.
   */
  private async tokenizerFor(source: TokenizerSource, cancel: CancellationFlag): Promise<Tokenizer> {
    const key = tokenizerKey(source);
    const loaded = this.tokenizers.get(key);
    if (loaded) return loaded;
    const tokenizer = await this.tokenizerLoads.run(key, cancel, async (flag) => {
      this.counters.tokenizerLoads++;
      try {
        return await this.deps.tokenizer(source, (steps) => this.runInSteps(steps, flag));
      } catch (e) {
        throw loadError(e);
      }
    });
    this.tokenizers.set(key, tokenizer);
    return tokenizer;
  }

  private async encode(text: string, options: TokenizeOptions, cancel: CancellationFlag): Promise<{ tokenizer: Tokenizer; encoded: Encoded }> {
    const tokenizer = await this.tokenizerFor(options.tokenizer, cancel);
    cancel.throwIfCancelled();
    const key = `${tokenizationKey(options)}|${textHash(text)}`;
    const hit = this.tokenizations.get(key);
    if (hit && hit.text === text) {
      this.counters.tokenizationCacheHits++;
      return { tokenizer, encoded: hit.encoded };
    }
    const encoded = await this.encodings.run(`text|${key}`, cancel, (flag) => this.encodeInSteps(tokenizer, text, options, flag), text);
    if (!this.tokenizations.get(key)) {
      this.counters.tokenizations++;
      this.tokenizations.set(key, { text, encoded });
    }
    return { tokenizer, encoded };
  }

  /**
   * Tokenizes in the tokenizer's own steps (when it has them), yielding to the event loop every slice so a
   * cancel or another request (a hover while a long document tokenizes) is answered meanwhile.
   */
  private async encodeInSteps(tokenizer: Tokenizer, text: string, options: TokenizeOptions, cancel: CancellationFlag): Promise<Encoded> {
    const encodeOptions = { allowSpecial: options.allowSpecial, addSpecialTokens: options.addSpecialTokens === true };
    if (!tokenizer.encodeSteps) return tokenizer.encode(text, encodeOptions);
    return this.runInSteps(tokenizer.encodeSteps(text, encodeOptions), cancel);
  }

  /** Runs stepped work (a tokenization, a tokenizer load), yielding to the event loop every slice; stops once cancelled. */
  private runInSteps<T>(steps: Steps<T>, cancel: CancellationFlag): Promise<T> {
    return runStepsAsync(steps, slicedPause(cancel, this.sliceMs));
  }

  private tablesFor(settings: EmbeddingSettings, vocabSize: number): Promise<EmbeddingTables> {
    const spec: TablesSpec = {
      weights: settings.weights,
      vocabSize,
      dim: settings.dim,
      contextLength: settings.contextLength,
    };
    const key = JSON.stringify(spec);
    let p = this.tables.get(key);
    if (!p) {
      p = Promise.resolve()
        .then(() => this.deps.tables(spec))
        .catch((e: unknown) => {
          throw e instanceof RangeError ? new RpcError('invalidInput', e.message) : loadError(e);
        });
      p.catch(() => this.tables.delete(key));
      this.tables.set(key, p);
      this.counters.tablesCreated++;
    }
    return p;
  }

  private checkIdsFit(ids: ArrayLike<number>, tables: EmbeddingTables): void {
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] >= tables.vocabSize) {
        throw new RpcError(
          'invalidInput',
          `token id ${ids[i]} does not fit the ${tables.vocabSize}-row token table; use a vocabulary of at least ${ids[i] + 1} rows or another tokenizer`,
        );
      }
    }
  }
}

/** Cache key of a tokenization: the tokenizer source and the options that change its ids. */
function tokenizationKey(options: TokenizeOptions): string {
  return `${tokenizerKey(options.tokenizer)}|${options.allowSpecial ? 1 : 0}${options.addSpecialTokens ? 1 : 0}`;
}

/** Which tokenizer is active, for replies (views say which tokenizer they show). */
export function describeTokenizer(source: TokenizerSource, tokenizer: Tokenizer): TokenizerDescription {
  const model = (tokenizer as { modelType?: string }).modelType ?? 'BPE';
  if (source.kind === 'encoding') return { kind: 'encoding', name: source.encoding, model, vocabSize: tokenizer.vocabSize };
  // A tokenizer.json names the file actually read (a folder resolves to its tokenizer.json); a model its path.
  const read = source.kind === 'tokenizer.json' ? (tokenizer as { sourcePath?: string }).sourcePath : undefined;
  return { kind: source.kind, name: tokenizer.name, path: read ?? source.path, model, vocabSize: tokenizer.vocabSize };
}

/** The tables' description with the active tokenizer and the padding rows (rows past its ids). */
export function describeSource(source: TokenizerSource, tokenizer: Tokenizer, tables: EmbeddingTables): SourceDescription {
  return { ...tables.describe(), tokenizer: describeTokenizer(source, tokenizer), paddingRows: Math.max(0, tables.vocabSize - tokenizer.vocabSize) };
}

/**
 * The positions actually added: a model's own (a learned table, or none at all for RoPE/ALiBi models, where
 * the rotation happens inside attention: combined = token vector), else the settings' scheme.
 */
export function positionalFor(settings: EmbeddingSettings, tables: EmbeddingTables): PositionalScheme {
  const d = tables.describe();
  if (d.kind !== 'model') return settings.positional;
  return d.positions.kind === 'learned' ? 'learned' : 'none';
}

/** A tokenizer that could not be loaded is the caller's input (a path, a file): its message goes to the user. */
function loadError(e: unknown): unknown {
  if (e instanceof RpcError) return e;
  if (e instanceof CodedError) return new RpcError('invalidInput', e.message);
  return e;
}

function checkDocumentRef(value: unknown): DocumentRef {
  if (typeof value !== 'object' || value === null) throw new RpcError('invalidInput', 'document must be { uri, version, text? }');
  const d = value as Record<string, unknown>;
  if (typeof d.uri !== 'string' || d.uri.length === 0) throw new RpcError('invalidInput', 'document.uri must be a non-empty string');
  const version = checkInteger('document.version', d.version, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (d.text !== undefined && typeof d.text !== 'string') throw new RpcError('invalidInput', 'document.text must be a string when given');
  if (typeof d.text === 'string' && d.text.length > MAX_DOCUMENT_CHARS) {
    throw new RpcError('invalidInput', `document.text has ${d.text.length} characters; whole-document methods take at most ${MAX_DOCUMENT_CHARS}`);
  }
  return d.text === undefined ? { uri: d.uri, version } : { uri: d.uri, version, text: d.text };
}

/**
 * The one mapping of engine errors that are the caller's input to `invalidInput`: a CodedError (a hostile or
 * broken weights, model or tokenizer file, or one that changed or vanished after it was opened), and in row
 * lookups a RangeError (an out-of-range row or position).
 */
function callerInputError(e: unknown, rangeErrorsAreInput: boolean): unknown {
  const isInput = e instanceof CodedError || (rangeErrorsAreInput && e instanceof RangeError);
  return isInput ? new RpcError('invalidInput', e.message) : e;
}

async function asInvalidInput<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw callerInputError(e, false);
  }
}

function guardRange<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw callerInputError(e, true);
  }
}
