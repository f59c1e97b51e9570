/**
 * Embedding tables backed by a local .safetensors file. Only the header is parsed up front; rows are read
 * on demand with positioned reads of one file descriptor, converted to float32, and kept in a small LRU,
 * so memory stays a few MB whatever the model size.
 */
import type { TableDescription } from '../../shared/embeddingTypes';
import type { TensorCandidate } from '../../shared/engineProtocol';
import { describeFileTables } from '../fileDescription';
import { RowCache } from '../rowCache';
import type { EmbeddingTables } from '../types';
import { type ByteSource } from './byteSource';
import { openByteSource } from '#engine-files';
import { bytesPerElement, decodeToFloat32, isReadableDtype, LITTLE_ENDIAN_HOST, READABLE_DTYPES, type ReadableDtype } from './dtypes';
import { SafetensorsError } from './errors';
import { readSafetensorsHeader, type SafetensorsHeader, type SafetensorsTensorInfo } from './header';

/** Token-table names of common checkpoints, most specific first. */
export const TOKEN_TENSOR_NAMES = [
  'wte.weight',
  'transformer.wte.weight',
  'tok_emb.weight', // "Build a Large Language Model from Scratch" GPTModel
  'model.embed_tokens.weight',
  'embed_tokens.weight',
  'embeddings.word_embeddings.weight',
  'bert.embeddings.word_embeddings.weight',
  'gpt_neox.embed_in.weight',
  'tok_embeddings.weight',
  'token_embedding.weight',
] as const;

/** Learned positional-table names; models with rotary/ALiBi positions have none. */
export const POSITION_TENSOR_NAMES = [
  'wpe.weight',
  'transformer.wpe.weight',
  'pos_emb.weight',
  'embeddings.position_embeddings.weight',
  'bert.embeddings.position_embeddings.weight',
  'position_embedding.weight',
] as const;

export interface FileEmbeddingOptions {
  /** Token-table tensor name; detected from TOKEN_TENSOR_NAMES when omitted. */
  tokenTensor?: string;
  /** Positional-table tensor name; detected when omitted; `null` = use none even if one exists. */
  positionTensor?: string | null;
  /** Rows the tokenizer needs (e.g. 50,257 for gpt2). A different row count is an error. */
  expectedVocabSize?: number;
  /** Accept a token table with more rows than expectedVocabSize (padded vocabularies). Default false. */
  allowPaddedVocab?: boolean;
  /** Budget of the row cache in bytes. Default 16 MiB. */
  cacheBytes?: number;
  /** Read through this instead of opening `path` (tests count bytes with it). Closed by dispose(). */
  source?: ByteSource;
}

/** A 2-D tensor that could serve as an embedding table, for a picker (the engine protocol's TensorCandidate). */
export type EmbeddingCandidate = TensorCandidate;

export function listEmbeddingCandidates(header: SafetensorsHeader): EmbeddingCandidate[] {
  const out: EmbeddingCandidate[] = [];
  for (const t of header.tensors.values()) {
    if (t.shape.length !== 2) continue;
    out.push({
      name: t.name,
      dtype: t.dtype,
      rows: t.shape[0],
      cols: t.shape[1],
      readable: isReadableDtype(t.dtype),
      role: (TOKEN_TENSOR_NAMES as readonly string[]).includes(t.name)
        ? 'token'
        : (POSITION_TENSOR_NAMES as readonly string[]).includes(t.name)
          ? 'position'
          : null,
    });
  }
  return out;
}

export interface WeightsFileSummary {
  candidates: EmbeddingCandidate[];
  /** What FileEmbeddingTables would pick without tokenTensor / positionTensor options. */
  detected: { tokenTensor: string | null; positionTensor: string | null };
  metadata: ReadonlyMap<string, string> | null;
}

/** Read just the header of `path` and list its 2-D tensors (for a picker). */
export function summarizeWeightsFile(path: string): WeightsFileSummary {
  const source = openByteSource(path);
  try {
    const header = readSafetensorsHeader(source, path);
    const detect = (names: readonly string[]) => names.find((n) => header.tensors.has(n)) ?? null;
    return {
      candidates: listEmbeddingCandidates(header),
      detected: { tokenTensor: detect(TOKEN_TENSOR_NAMES), positionTensor: detect(POSITION_TENSOR_NAMES) },
      metadata: header.metadata,
    };
  } finally {
    source.close();
  }
}

/** Open a file just to list its 2-D tensors. */
export function listEmbeddingCandidatesInFile(path: string): EmbeddingCandidate[] {
  return summarizeWeightsFile(path).candidates;
}

interface Table {
  name: string;
  dtype: ReadableDtype;
  rows: number;
  /** Absolute file offset of row 0. */
  offset: number;
  rowBytes: number;
}

/** Longest run of consecutive rows read in one go by tokenRows/positionRows. */
const MAX_RUN_ROWS = 256;

export class FileEmbeddingTables implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  /** Rows of the positional table; 0 when the file has none. */
  readonly contextLength: number;
  readonly hasPositionTable: boolean;
  readonly header: SafetensorsHeader;
  private readonly token: Table;
  private readonly position: Table | null;
  private readonly cache: RowCache;
  private scratch = new Uint8Array(0);
  private disposed = false;

  /** Open `path` and validate everything needed before the first row is read. */
  static open(path: string, options: FileEmbeddingOptions = {}): FileEmbeddingTables {
    const source = options.source ?? openByteSource(path);
    try {
      return new FileEmbeddingTables(path, source, options);
    } catch (e) {
      source.close();
      throw e;
    }
  }

  private constructor(
    readonly path: string,
    private readonly source: ByteSource,
    options: FileEmbeddingOptions,
  ) {
    this.header = readSafetensorsHeader(source, path);
    const tokenInfo = pickTensor(this.header, options.tokenTensor, TOKEN_TENSOR_NAMES, 'token', path);
    if (!tokenInfo) {
      const candidates = listEmbeddingCandidates(this.header).map((c) => `${c.name} [${c.rows}, ${c.cols}]`);
      throw new SafetensorsError(
        'noEmbeddingTensor',
        `No token embedding table found in ${path} (looked for ${TOKEN_TENSOR_NAMES.slice(0, 4).join(', ')}, …). ` +
          (candidates.length ? `Choose one of its 2-D tensors: ${candidates.slice(0, 12).join(', ')}.` : 'It has no 2-D tensors.'),
      );
    }
    this.token = this.table(tokenInfo, 'token');
    this.dim = tokenInfo.shape[1];
    const expected = options.expectedVocabSize;
    if (expected !== undefined && (this.token.rows < expected || (this.token.rows > expected && !options.allowPaddedVocab))) {
      throw new SafetensorsError(
        'vocabMismatch',
        this.token.rows < expected
          ? `Token table ${tokenInfo.name} has ${this.token.rows} rows but the tokenizer has ${expected} ids: id ${this.token.rows}` +
              `${expected - 1 > this.token.rows ? ` to ${expected - 1}` : ''} would have no row; pick the tokenizer this model was trained with.`
          : `Token table ${tokenInfo.name} has ${this.token.rows} rows but the tokenizer has ${expected} ids; pick the tokenizer this model was trained with.`,
      );
    }
    this.vocabSize = this.token.rows;

    const posInfo = options.positionTensor === null ? null : pickTensor(this.header, options.positionTensor, POSITION_TENSOR_NAMES, 'position', path);
    if (posInfo) {
      this.position = this.table(posInfo, 'position');
      if (posInfo.shape[1] !== this.dim) {
        throw new SafetensorsError(
          'dimMismatch',
          `Positional table ${posInfo.name} has ${posInfo.shape[1]} columns but token table ${tokenInfo.name} has ${this.dim}; they cannot be added.`,
        );
      }
    } else {
      this.position = null;
    }
    this.hasPositionTable = this.position !== null;
    this.contextLength = this.position?.rows ?? 0;
    this.cache = new RowCache(this.dim, options.cacheBytes);
  }

  get tokenTensor(): string {
    return this.token.name;
  }
  get positionTensor(): string | null {
    return this.position?.name ?? null;
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.rowsOf(this.token, rows, 0);
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    if (!this.position) {
      if (rows.length === 0) return new Float32Array(0);
      throw new RangeError(`${this.path} has no positional table.`);
    }
    // Position rows share the LRU; negative keys keep them apart from token rows.
    return this.rowsOf(this.position, rows, -1);
  }

  /** Rows `[start, start + count)` of the token table in one read, bypassing the cache (for scans). */
  tokenRowsRange(start: number, count: number, into?: Float32Array): Float32Array {
    this.checkOpen();
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.token.rows) {
      throw new RangeError(`token rows [${start}, ${start}+${count}) are outside 0..${this.token.rows}.`);
    }
    const n = count * this.dim;
    const out = into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
    this.readInto(this.token, start, count, out, 0);
    return out;
  }

  describe(): TableDescription {
    const dtype =
      this.position && this.position.dtype !== this.token.dtype ? `${this.token.dtype} (token) / ${this.position.dtype} (position)` : this.token.dtype;
    return describeFileTables(this.path, this, { tokenTensor: this.token.name, positionTensor: this.position?.name ?? null, dtype });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.clear();
    this.source.close();
  }

  private table(info: SafetensorsTensorInfo, role: 'token' | 'position'): Table {
    const q = JSON.stringify(info.name);
    if (info.shape.length !== 2) {
      throw new SafetensorsError('badRank', `The ${role} table must be 2-D [rows, dim]; tensor ${q} has shape [${info.shape.join(', ')}].`);
    }
    if (!isReadableDtype(info.dtype)) {
      throw new SafetensorsError(
        'unsupportedDtype',
        `Tensor ${q} is ${info.dtype}; only ${READABLE_DTYPES.join(', ')} tables can be shown (quantized weights are not supported).`,
      );
    }
    const [rows, cols] = info.shape;
    if (rows === 0 || cols === 0) {
      throw new SafetensorsError('badRank', `The ${role} table ${q} is empty (shape [${rows}, ${cols}]).`);
    }
    return {
      name: info.name,
      dtype: info.dtype,
      rows,
      offset: this.header.dataStart + info.dataOffsets[0],
      rowBytes: cols * bytesPerElement(info.dtype),
    };
  }

  private rowsOf(t: Table, rows: ArrayLike<number>, keySign: 0 | -1): Float32Array {
    this.checkOpen();
    const dim = this.dim;
    const out = new Float32Array(rows.length * dim);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= t.rows) {
        throw new RangeError(`${t.name} row ${r} is outside 0..${t.rows - 1}.`);
      }
      const key = keySign === 0 ? r : -1 - r;
      const hit = this.cache.get(key);
      if (hit) {
        out.set(hit, i * dim);
        continue;
      }
      // Coalesce a run of consecutive uncached rows (e.g. positions 0…1023) into one read.
      let run = 1;
      while (
        run < MAX_RUN_ROWS &&
        i + run < rows.length &&
        rows[i + run] === r + run &&
        r + run < t.rows &&
        !this.cache.has(keySign === 0 ? r + run : -1 - (r + run))
      ) {
        run++;
      }
      this.readInto(t, r, run, out, i * dim);
      for (let j = 0; j < run && this.cache.capacity > 0; j++) {
        this.cache.set(keySign === 0 ? r + j : -1 - (r + j), out.slice((i + j) * dim, (i + j + 1) * dim));
      }
      i += run - 1;
    }
    return out;
  }

  private readInto(t: Table, firstRow: number, count: number, out: Float32Array, outOffset: number): void {
    const bytes = count * t.rowBytes;
    const position = t.offset + firstRow * t.rowBytes;
    if (t.dtype === 'F32') {
      // Read straight into the output; decode only fixes byte order on big-endian hosts.
      const target = new Uint8Array(out.buffer, out.byteOffset + outOffset * 4, bytes);
      this.source.readAt(target, position);
      if (!LITTLE_ENDIAN_HOST) decodeToFloat32('F32', target, count * this.dim, out, outOffset);
      return;
    }
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(bytes);
    const target = this.scratch.subarray(0, bytes);
    this.source.readAt(target, position);
    decodeToFloat32(t.dtype, target, count * this.dim, out, outOffset);
  }

  private checkOpen(): void {
    if (this.disposed) throw new SafetensorsError('io', `Weights file ${this.path} was closed.`);
  }
}

function pickTensor(
  header: SafetensorsHeader,
  requested: string | undefined,
  known: readonly string[],
  role: 'token' | 'position',
  path: string,
): SafetensorsTensorInfo | null {
  if (requested !== undefined) {
    const t = header.tensors.get(requested);
    if (!t) {
      throw new SafetensorsError('tensorNotFound', `${path} has no tensor named ${JSON.stringify(requested)} (asked for as the ${role} table).`);
    }
    return t;
  }
  for (const name of known) {
    const t = header.tensors.get(name);
    if (t) return t;
  }
  return null;
}
