/**
 * Input embeddings = token embeddings + positional embeddings, as the book's
 * `input_embeddings = token_embeddings + pos_embeddings` computes them in PyTorch: an elementwise float32 add,
 * broadcasting the `(T, D)` positional block over the batch dimension of `(B, T, D)` token embeddings.
 */
import type { PositionalScheme } from '../shared/embeddingTypes';
import { positionalRows } from './positional';
import type { EmbeddingTables } from './types';

/**
 * float32 `token + position`, with `position` repeated over `token` (its length must divide `token.length`).
 * Each element is the float32 rounding of the exact sum, like PyTorch's CPU add.
 */
export function addEmbeddings(token: Float32Array, position: Float32Array): Float32Array {
  if (position.length === 0 ? token.length !== 0 : token.length % position.length !== 0) {
    throw new RangeError(
      `Cannot add positional embeddings of ${position.length} values to token embeddings of ${token.length} values: ` +
        'the token block must be a whole number of positional blocks.',
    );
  }
  const out = new Float32Array(token.length);
  const block = position.length;
  for (let start = 0; start < token.length; start += block) {
    for (let i = 0; i < block; i++) out[start + i] = Math.fround(token[start + i]! + position[i]!);
  }
  return out;
}

export interface EmbeddedTokens {
  dim: number;
  /** Position slot used for each token. */
  positions: Int32Array;
  /** Row-major `ids.length × dim`. */
  token: Float32Array;
  /** Row-major `ids.length × dim` (zeros for scheme `none`). */
  position: Float32Array;
  /** Row-major `ids.length × dim`, float32 token + position. */
  combined: Float32Array;
}

/**
 * Token, positional and combined vectors for a token sequence. Token i sits at `positions[i]` when given,
 * otherwise at slot i (so a sequence longer than the context length is a RangeError under `learned`).
 */
export function embedTokens(tables: EmbeddingTables, ids: ArrayLike<number>, scheme: PositionalScheme, positions?: ArrayLike<number>): EmbeddedTokens {
  if (positions !== undefined && positions.length !== ids.length) {
    throw new RangeError(`Got ${positions.length} positions for ${ids.length} tokens; pass one position per token.`);
  }
  const slots = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const slot = positions === undefined ? i : positions[i]!;
    if (!Number.isInteger(slot) || slot < 0 || slot > 0x7fffffff) {
      throw new RangeError(`Position ${slot} of token ${i} must be a non-negative integer.`);
    }
    slots[i] = slot;
  }
  const token = tables.tokenRows(ids);
  const position = positionalRows(scheme, tables, slots);
  return { dim: tables.dim, positions: slots, token, position, combined: addEmbeddings(token, position) };
}
