/**
 * Embedding tables over a GGUF file's `token_embd.weight` (ggml ne = [n_embd, n_vocab]: row r is one
 * contiguous run of blocks at r × rowBytes). Only the header is parsed up front; rows are read on demand,
 * dequantized exactly as ggml does, and kept in a small LRU. Scans read many rows per call through
 * tokenRowsRange, with one reusable byte buffer.
 *
 * GGUF models (Llama, Qwen, Gemma, Mistral…) have rotary positions: there is no positional table to read.
 */
import type { TableDescription } from '../../shared/embeddingTypes';
import type { ByteSource } from '../safetensors/byteSource';
import { openByteSource } from '#engine-files';
import { describeFileTables } from '../fileDescription';
import { RowCache } from '../rowCache';
import type { EmbeddingTables } from '../types';
import { bytesForValues, dequantize, requireDequantizable } from './dequantize';
import { asGgufError, GgufError } from './errors';
import type { DequantizableType } from './ggmlTypes';
import { readGgufHeader, type GgufFile, type GgufTensorInfo } from './header';

export const GGUF_TOKEN_TENSOR = 'token_embd.weight';

export interface GgufTablesOptions {
  /** Tensor to use as the token table. Default token_embd.weight. */
  tokenTensor?: string;
  /** Rows kept decoded, in bytes of float32. Default 16 MiB. */
  cacheBytes?: number;
  /** Context length reported for positions (the model's `<arch>.context_length`). Default 0. */
  contextLength?: number;
  /** Read through this instead of opening the path (tests count bytes with it). Closed by dispose(). */
  source?: ByteSource;
  /** An already parsed header of the same source (skips re-reading it). */
  header?: GgufFile;
}

/** Rows read per file read in tokenRowsRange (bounds the byte buffer: 256 rows of Q6_K × 4096 ≈ 860 KB). */
const RANGE_CHUNK_ROWS = 256;

export class GgufEmbeddingTables implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  readonly contextLength: number;
  readonly hasPositionTable = false;
  readonly header: GgufFile;
  readonly tensor: GgufTensorInfo;
  readonly type: DequantizableType;
  private readonly rowBytes: number;
  private readonly cache: RowCache;
  private scratch = new Uint8Array(0);
  private disposed = false;

  static open(path: string, options: GgufTablesOptions = {}): GgufEmbeddingTables {
    const source = options.source ?? openSource(path);
    try {
      return new GgufEmbeddingTables(path, source, options);
    } catch (e) {
      source.close();
      throw asGgufError(e);
    }
  }

  private constructor(
    readonly path: string,
    private readonly source: ByteSource,
    options: GgufTablesOptions,
  ) {
    this.header = options.header ?? readGgufHeader(source, path);
    const name = options.tokenTensor ?? GGUF_TOKEN_TENSOR;
    const t = this.header.tensors.get(name);
    if (!t) {
      const twoD = [...this.header.tensors.values()].filter((x) => x.dims.length === 2).map((x) => x.name);
      throw new GgufError(
        'tensorNotFound',
        `${path} has no tensor ${JSON.stringify(name)}` + (twoD.length ? ` (2-D tensors: ${twoD.slice(0, 8).join(', ')}).` : '.'),
      );
    }
    if (t.dims.length !== 2 || t.dims[0] === 0 || t.dims[1] === 0) {
      throw new GgufError('badShape', `${name} in ${path} has shape [${t.dims.join(', ')}]; a token table is [n_embd, n_vocab] with both non-zero.`);
    }
    this.tensor = t;
    this.type = requireDequantizable(t.type.name, `${name} in ${path}`);
    this.dim = t.dims[0];
    this.vocabSize = t.dims[1];
    this.rowBytes = bytesForValues(this.type, this.dim);
    this.contextLength = options.contextLength ?? 0;
    this.cache = new RowCache(this.dim, options.cacheBytes);
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    this.checkOpen();
    const dim = this.dim;
    const out = new Float32Array(rows.length * dim);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      this.checkRow(r);
      let hit = this.cache.get(r);
      if (!hit) {
        hit = new Float32Array(dim);
        this.readRows(r, 1, hit, 0);
        this.cache.set(r, hit);
      }
      out.set(hit, i * dim);
    }
    return out;
  }

  tokenRowsRange(start: number, count: number, into?: Float32Array): Float32Array {
    this.checkOpen();
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.vocabSize) {
      throw new RangeError(`token rows [${start}, ${start}+${count}) are outside 0..${this.vocabSize}.`);
    }
    const n = count * this.dim;
    const out = into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
    for (let done = 0; done < count; done += RANGE_CHUNK_ROWS) {
      const c = Math.min(RANGE_CHUNK_ROWS, count - done);
      this.readRows(start + done, c, out, done * this.dim);
    }
    return out;
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    if (rows.length === 0) return new Float32Array(0);
    throw new RangeError(
      `${this.path} has no learned positional table: GGUF models use rotary positions (RoPE), which rotate queries and keys inside attention and add nothing to the token vector.`,
    );
  }

  describe(): TableDescription {
    return describeFileTables(this.path, this, { tokenTensor: this.tensor.name, positionTensor: null, dtype: this.type });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.clear();
    this.source.close();
  }

  /** Read and dequantize rows `[first, first + count)`: one positioned read of their contiguous blocks. */
  private readRows(first: number, count: number, out: Float32Array, outOffset: number): void {
    const bytes = count * this.rowBytes;
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(bytes);
    const target = this.scratch.subarray(0, bytes);
    try {
      this.source.readAt(target, this.tensor.fileOffset + first * this.rowBytes);
    } catch (e) {
      throw asGgufError(e);
    }
    dequantize(this.type, target, count * this.dim, out, outOffset);
  }

  private checkRow(r: number): void {
    if (!Number.isInteger(r) || r < 0 || r >= this.vocabSize) {
      throw new RangeError(`${this.tensor.name} row ${r} is outside 0..${this.vocabSize - 1}.`);
    }
  }

  private checkOpen(): void {
    if (this.disposed) throw new GgufError('io', `GGUF file ${this.path} was closed.`);
  }
}

function openSource(path: string): ByteSource {
  try {
    return openByteSource(path);
  } catch (e) {
    throw asGgufError(e);
  }
}
