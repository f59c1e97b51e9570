/**
 * Opens the tables the engine service asks for when `settings.weights` is a .safetensors file, and turns every
 * problem with the file into RpcError('invalidInput') with the reader's message (it is the user's file: they
 * can pick another one, another tensor, or another encoding).
 *
 * The service applies sinusoidal / none positions itself over `tables.contextLength` slots and reads
 * `positionRows` only for learned positions. A file without a learned positional table (rotary or ALiBi models
 * such as Llama) therefore gets the requested context length and a positionRows that explains what to do.
 */
import type { TableDescription, WeightsSource } from '../../shared/embeddingTypes';
import { RpcError } from '../../shared/rpc';
import type { EmbeddingTables } from '../types';
import { SafetensorsError } from './errors';
import { FileEmbeddingTables } from './fileEmbeddingTables';

export interface FileTablesRequest {
  weights: Extract<WeightsSource, { kind: 'file' }>;
  /** Rows the tokenizer needs; the file's token table must have at least this many (more are padding rows). */
  vocabSize: number;
  /** Slots for sinusoidal / none positions when the file has no learned positional table. */
  contextLength: number;
}

export function openFileTables(request: FileTablesRequest): EmbeddingTables {
  const { weights } = request;
  let tables: FileEmbeddingTables;
  try {
    tables = FileEmbeddingTables.open(weights.path, {
      tokenTensor: weights.tokenTensor,
      positionTensor: weights.positionTensor,
      expectedVocabSize: request.vocabSize,
      allowPaddedVocab: true,
    });
  } catch (e) {
    if (e instanceof SafetensorsError) throw new RpcError('invalidInput', e.message);
    throw e;
  }
  return tables.hasPositionTable ? tables : new NoLearnedPositions(tables, request.contextLength);
}

class NoLearnedPositions implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;

  constructor(
    private readonly inner: FileEmbeddingTables,
    readonly contextLength: number,
  ) {
    this.vocabSize = inner.vocabSize;
    this.dim = inner.dim;
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.inner.tokenRows(rows);
  }

  tokenRowsRange(start: number, count: number, into?: Float32Array): Float32Array {
    return this.inner.tokenRowsRange(start, count, into);
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    if (rows.length === 0) return new Float32Array(0);
    throw new RpcError(
      'invalidInput',
      `${this.inner.path} has no learned positional table (models with rotary or ALiBi positions, like Llama, have none); ` +
        'choose positional "sinusoidal" or "none", or name the table with positionTensor.',
    );
  }

  describe(): TableDescription {
    return { ...this.inner.describe(), contextLength: this.contextLength } as TableDescription;
  }

  dispose(): void {
    this.inner.dispose();
  }
}
