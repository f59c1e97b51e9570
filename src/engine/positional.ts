/**
 * Positional embeddings for the three schemes the extension offers:
 * - `learned`: the PyTorch-exact positional `nn.Embedding(context, dim)` of the tables (a trained model's, or
 *   the random init created right after the token table);
 * - `sinusoidal`: Vaswani et al. (2017), PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same);
 *   in float32 steps like the usual PyTorch code (see sinusoidalRows);
 * - `none`: zeros (the model sees token embeddings only).
 */
import type { PositionalScheme } from '../shared/embeddingTypes';
import type { EmbeddingTables } from './types';

function checkPosition(position: number): void {
  if (!Number.isInteger(position) || position < 0) {
    throw new RangeError(`Position ${position} must be a non-negative integer.`);
  }
}

/**
 * Row-major `positions.length × dim` sinusoidal encodings, float32, computed like the usual PyTorch code (The
 * Annotated Transformer / PyTorch tutorial), so the panel, the hover and "Copy as PyTorch" agree with it:
 *   div_term = exp(arange(0, d, 2).float() * (-ln(10000) / d));  pe[:, 0::2] = sin(pos·div_term);  pe[:, 1::2] = cos(pos·div_term)
 * every step rounded to float32 as PyTorch does (the angle pos·div_term included: at large positions that rounding
 * dominates, so evaluating in float64 instead would be further from what a PyTorch model sees). PyTorch's
 * vectorised exp/sin/cos are not correctly rounded and differ between builds and CPUs: most elements are
 * bit-identical, but where its expf is an ulp off the angle moves by ~pos·2^-24 (relative), so an element can
 * differ by up to about (pos + 1)·2^-22. For an odd dim the last column is a sine with no cosine partner.
 */
export function sinusoidalRows(positions: ArrayLike<number>, dim: number): Float32Array {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}.`);
  const f = Math.fround;
  const scale = f(-Math.log(10000) / dim);
  const pairs = Math.ceil(dim / 2);
  const divTerm = new Float32Array(pairs);
  for (let i = 0; i < pairs; i++) divTerm[i] = Math.exp(f(2 * i * scale));
  const out = new Float32Array(positions.length * dim);
  for (let r = 0; r < positions.length; r++) {
    const position = positions[r]!;
    checkPosition(position);
    const base = r * dim;
    for (let i = 0; i < pairs; i++) {
      const angle = f(f(position) * divTerm[i]!);
      out[base + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < dim) out[base + 2 * i + 1] = Math.cos(angle);
    }
  }
  return out;
}

/** The `contextLength × dim` sinusoidal table of positions 0 … contextLength − 1 (see sinusoidalRows). */
export function sinusoidalTable(contextLength: number, dim: number): Float32Array {
  if (!Number.isInteger(contextLength) || contextLength < 0) throw new RangeError(`bad sinusoidal table length ${contextLength}`);
  return sinusoidalRows(
    Int32Array.from({ length: contextLength }, (_, i) => i),
    dim,
  );
}

/**
 * Row-major `positions.length × tables.dim` positional vectors under `scheme`.
 * `learned` reads the tables' positional rows (RangeError beyond the context length); the other schemes accept
 * any non-negative position.
 */
export function positionalRows(scheme: PositionalScheme, tables: Pick<EmbeddingTables, 'dim' | 'positionRows'>, positions: ArrayLike<number>): Float32Array {
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
