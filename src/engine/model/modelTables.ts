/**
 * A model's tables as the engine sees them: its token table (a safetensors shard or a GGUF tensor), its learned
 * position table when it has one (possibly in another shard, possibly offset as OPT's is), and which rows are
 * padding. Padding rows exist because tables are rounded up (nanoGPT 50,304 rows for GPT-2's 50,257 ids; Qwen 3
 * 151,936 for 151,669): they are never looked up by the tokenizer and never trained.
 */
import type { TableDescription } from '../../shared/embeddingTypes';
import { describeFileTables } from '../fileDescription';
import type { EmbeddingTables } from '../types';
import { ModelError } from './errors';
import { explainPositions, type PositionScheme } from './positions';

export interface ModelTablesParts {
  /** Folder or .gguf path, for descriptions. */
  path: string;
  token: EmbeddingTables;
  tokenTensor: string;
  dtype: string;
  /** Number of ids the tokenizer can produce. */
  tokenizerIds: number;
  positions: PositionScheme;
  /** Rows of the learned table as its own EmbeddingTables (token rows = positions), when learned. */
  positionTable?: EmbeddingTables;
  /** Context length when there is no learned table (config / GGUF metadata), else ignored. */
  contextLength: number | null;
}

export class ModelTables implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  readonly contextLength: number;
  readonly tokenizerIds: number;
  readonly positions: PositionScheme;
  private readonly parts: ModelTablesParts;

  constructor(parts: ModelTablesParts) {
    this.parts = parts;
    this.vocabSize = parts.token.vocabSize;
    this.dim = parts.token.dim;
    this.tokenizerIds = parts.tokenizerIds;
    this.positions = parts.positions;
    if (parts.positions.kind === 'learned') {
      const t = parts.positionTable;
      if (!t) throw new Error('learned positions need their table');
      if (t.dim !== this.dim) {
        throw new ModelError(
          'dimMismatch',
          `Position table ${parts.positions.tensor} has ${t.dim} columns but token table ${parts.tokenTensor} has ${this.dim}; they cannot be added.`,
        );
      }
      this.contextLength = Math.max(0, t.vocabSize - parts.positions.offset);
    } else {
      this.contextLength = parts.contextLength ?? 0;
    }
  }

  get tokenTensor(): string {
    return this.parts.tokenTensor;
  }

  /** Safetensors dtype or GGUF quantization type of the token table. */
  get dtype(): string {
    return this.parts.dtype;
  }

  /** Rows past the tokenizer's ids: present in the table, never produced by the tokenizer. */
  get paddingRows(): number {
    return this.vocabSize - this.tokenizerIds;
  }

  isPaddingRow(row: number): boolean {
    return row >= this.tokenizerIds && row < this.vocabSize;
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.parts.token.tokenRows(rows);
  }

  tokenRowsRange(start: number, count: number, into?: Float32Array): Float32Array {
    const t = this.parts.token;
    if (t.tokenRowsRange) return t.tokenRowsRange(start, count, into);
    return t.tokenRows(Array.from({ length: count }, (_, i) => start + i));
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    if (rows.length === 0) return new Float32Array(0);
    const p = this.positions;
    if (p.kind !== 'learned') {
      throw new RangeError(`${this.parts.path} has no learned positional table: ${explainPositions(p)}.`);
    }
    const shifted = Array.from(rows, (r) => {
      if (!Number.isInteger(r) || r < 0 || r >= this.contextLength) throw new RangeError(`position ${r} is outside 0..${this.contextLength - 1}.`);
      return r + p.offset;
    });
    return this.parts.positionTable!.tokenRows(shifted);
  }

  describe(): TableDescription {
    return describeFileTables(this.parts.path, this, {
      tokenTensor: this.parts.tokenTensor,
      positionTensor: this.positions.kind === 'learned' ? this.positions.tensor : null,
      dtype: this.parts.dtype,
    });
  }

  dispose(): void {
    this.parts.token.dispose?.();
    if (this.parts.positionTable !== this.parts.token) this.parts.positionTable?.dispose?.();
  }
}

/**
 * A table may have more rows than the tokenizer has ids (padding), never fewer: the first id without a row is
 * named, with its text, so the user sees which tokenizer and table disagree.
 */
export function checkRowsCoverIds(rows: number, ids: number, tensor: string, tokenText: (id: number) => string | undefined, where: string): void {
  if (rows >= ids) return;
  const text = tokenText(rows);
  throw new ModelError(
    'tooFewRows',
    `Token table ${tensor} in ${where} has ${rows} rows but the tokenizer has ${ids} ids: id ${rows}` +
      (text !== undefined ? ` (${JSON.stringify(text)})` : '') +
      (ids - 1 > rows ? ` to ${ids - 1}` : '') +
      ' would have no row. The tokenizer and the weights come from different models.',
  );
}
