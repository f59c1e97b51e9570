/**
 * A model's tables as the engine service uses them for a `model` weights source: the rows of its ModelTables,
 * its positions as the model does them, and a description naming format, architecture, file/shard, dtype and
 * position scheme.
 *
 * A model without a learned position table (RoPE, ALiBi) adds nothing to the token vector; its window is the
 * settings' context length capped at the model's, so a 131,072-position Llama does not ask the service for a
 * 131,072 × 4,096 table of zeros.
 */
import type { TableDescription } from '../../shared/embeddingTypes';
import type { EmbeddingTables } from '../types';
import type { OpenedModel } from './description';

export class ModelSourceTables implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  readonly contextLength: number;

  /** Takes ownership of the opened model's tables (dispose() closes them). */
  constructor(
    private readonly model: Pick<OpenedModel, 'tables' | 'description'>,
    window: number,
  ) {
    const t = model.tables;
    this.vocabSize = t.vocabSize;
    this.dim = t.dim;
    this.contextLength = t.positions.kind === 'learned' ? t.contextLength : t.contextLength > 0 ? Math.min(window, t.contextLength) : window;
  }

  /** Rows past the model's own tokenizer ids. */
  isPaddingRow(row: number): boolean {
    return this.model.tables.isPaddingRow(row);
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.model.tables.tokenRows(rows);
  }

  tokenRowsRange(start: number, count: number, into?: Float32Array): Float32Array {
    return this.model.tables.tokenRowsRange(start, count, into);
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    return this.model.tables.positionRows(rows);
  }

  describe(): TableDescription {
    const d = this.model.description;
    // The prose explanation stays in the engine (CLI text, error messages): replies carry data only.
    const { explanation: _prose, ...positions } = d.positions;
    return {
      kind: 'model',
      format: d.format,
      path: d.path,
      architecture: d.architecture,
      file: d.table.file,
      tokenTensor: d.table.tensor,
      shard: d.table.shard,
      dtype: d.table.dtype,
      vocabSize: this.vocabSize,
      dim: this.dim,
      contextLength: this.contextLength,
      modelContextLength: d.contextLength,
      positions,
    };
  }

  dispose(): void {
    this.model.tables.dispose();
  }
}
