/**
 * Positional embeddings for the three schemes the extension offers:
 * - `learned`: the PyTorch-exact positional `nn.Embedding(context, dim)` of the tables (a trained model's, or
 *   the random init created right after the token table);
 * - `sinusoidal`: Vaswani et al. (2017), PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same);
 *   evaluated in double precision and rounded once to float32, so large positions keep full float32 accuracy;
 * - `none`: zeros (the model sees token embeddings only).
 */
import type { PositionalScheme } from '../shared/embeddingTypes';
import type { EmbeddingTables } from './types';

function checkPosition(position: number): void {
  if (!Number.isInteger(position) || position < 0) {
    throw new RangeError(`Position ${position} must be a non-negative integer.`);
  }
}

/** Row-major `positions.length × dim` sinusoidal encodings (float32). Works for any dim ≥ 1, odd included. */
export function sinusoidalRows(positions: ArrayLike<number>, dim: number): Float32Array {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}.`);
  // 1 / 10000^(2i/d) per column pair, shared by all rows.
  const pairs = Math.ceil(dim / 2);
  const inverseFrequency = new Float64Array(pairs);
  for (let i = 0; i < pairs; i++) inverseFrequency[i] = 1 / Math.pow(10000, (2 * i) / dim);
  const out = new Float32Array(positions.length * dim);
  for (let r = 0; r < positions.length; r++) {
    const position = positions[r]!;
    checkPosition(position);
    const base = r * dim;
    for (let i = 0; i < pairs; i++) {
      const angle = position * inverseFrequency[i]!;
      out[base + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < dim) out[base + 2 * i + 1] = Math.cos(angle);
    }
  }
  return out;
}

/**
 * Row-major `positions.length × tables.dim` positional vectors under `scheme`.
 * `learned` reads the tables' positional rows (RangeError beyond the context length); the other schemes accept
 * any non-negative position.
 */
export function positionalRows(
  scheme: PositionalScheme,
  tables: Pick<EmbeddingTables, 'dim' | 'positionRows'>,
  positions: ArrayLike<number>,
): Float32Array {
  switch (scheme) {
    case 'learned':
      return tables.positionRows(positions);
    case 'sinusoidal':
      return sinusoidalRows(positions, tables.dim);
    case 'none':
      for (let i = 0; i < positions.length; i++) checkPosition(positions[i]!);
      return new Float32Array(positions.length * tables.dim);
  }
}

/** The whole `contextLength × dim` positional table under `scheme` (what `pos_embedding_layer(torch.arange(ctx))` gives). */
export function positionalTable(
  scheme: PositionalScheme,
  tables: Pick<EmbeddingTables, 'dim' | 'contextLength' | 'positionRows'>,
  contextLength: number = tables.contextLength,
): Float32Array {
  const positions = new Int32Array(contextLength);
  for (let i = 0; i < contextLength; i++) positions[i] = i;
  return positionalRows(scheme, tables, positions);
}
