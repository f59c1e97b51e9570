/**
 * Makes any EmbeddingTables answer positionRows() under the chosen positional scheme, as the service's
 * TablesSpec requires: `learned` keeps the tables' own positional table; `sinusoidal` and `none` replace it
 * with the formula / zeros over `contextLength` slots. Token rows (and the block fast path) pass through.
 */
import type { PositionalScheme, SourceDescription } from '../shared/protocol';
import { positionalRows } from './positional';
import type { EmbeddingTables } from './types';

export function withPositionalScheme(inner: EmbeddingTables, scheme: PositionalScheme, contextLength: number): EmbeddingTables {
  if (scheme === 'learned') return inner;
  return new SchemePositions(inner, scheme, contextLength);
}

class SchemePositions implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  readonly tokenRowsRange?: (start: number, count: number, into?: Float32Array) => Float32Array;

  constructor(
    private readonly inner: EmbeddingTables,
    private readonly scheme: 'sinusoidal' | 'none',
    readonly contextLength: number,
  ) {
    this.vocabSize = inner.vocabSize;
    this.dim = inner.dim;
    if (inner.tokenRowsRange) this.tokenRowsRange = (start, count, into) => inner.tokenRowsRange!(start, count, into);
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.inner.tokenRows(rows);
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= this.contextLength) {
        throw new RangeError(`position ${r} is outside 0..${this.contextLength - 1}.`);
      }
    }
    return positionalRows(this.scheme, this, rows);
  }

  describe(): SourceDescription {
    const d = this.inner.describe();
    return d.kind === 'file'
      ? { ...d, contextLength: this.contextLength, positionTensor: null }
      : { ...d, contextLength: this.contextLength };
  }

  dispose(): void {
    this.inner.dispose?.();
  }
}
