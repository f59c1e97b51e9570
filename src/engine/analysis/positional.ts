/**
 * Positional lab: the three ways a model can know where a token sits, side by side.
 *  - learned (GPT-2, the book): a second nn.Embedding(context_length, dim), added to the token vectors;
 *  - sinusoidal (Vaswani et al. 2017): a fixed table of sines/cosines, added the same way (../positional.ts);
 *  - RoPE (rotary, Su et al. 2021; Llama, Qwen…): nothing is added; query/key vectors are rotated pair-wise by
 *    an angle proportional to the position, so their dot product depends only on the distance n − m.
 * Pure numbers in, plain arrays out; the panel draws them.
 */
import { countWindows } from '../batches';

// ───────────────────────── RoPE ─────────────────────────

/** θ_i = base^(−2i/d) for each rotated pair i = 0 … ⌊d/2⌋−1. */
export function ropeFrequencies(dim: number, base = 10000): Float64Array {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`bad RoPE dim ${dim}`);
  const pairs = Math.floor(dim / 2);
  const theta = new Float64Array(pairs);
  for (let i = 0; i < pairs; i++) theta[i] = Math.pow(base, (-2 * i) / dim);
  return theta;
}

/**
 * RoPE in the interleaved convention of the RoFormer paper: each pair (x[2i], x[2i+1]) is rotated by the angle
 * position·θ_i. Computed in float64 so the lab's invariance is visible to ~1e-12 (a model computes it in its own
 * precision). For an odd dim the last element is left as is. (Llama's HF code pairs i with i + d/2 instead — the
 * same rotation on a permuted vector; the relative-position property is identical.)
 */
export function applyRope(vec: ArrayLike<number>, position: number, base = 10000): Float64Array {
  const dim = vec.length;
  const theta = ropeFrequencies(dim, base);
  const out = Float64Array.from(vec as ArrayLike<number>);
  for (let i = 0; i < theta.length; i++) {
    const angle = position * theta[i]!;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const x = vec[2 * i]!;
    const y = vec[2 * i + 1]!;
    out[2 * i] = x * c - y * s;
    out[2 * i + 1] = x * s + y * c;
  }
  return out;
}

/** How position enters the attention score q·k in the lab. */
export type ScoreScheme =
  | { kind: 'rope'; base?: number }
  /** q + P[m] and k + P[n] with a positional table (learned rows, or ../positional.ts#sinusoidalTable), row-major `rows × dim`. */
  | { kind: 'additive'; table: ArrayLike<number> }
  | { kind: 'none' };

export interface ScoreSeries {
  /** The absolute query positions m (one series each). */
  starts: number[];
  /** The offsets n − m (the x axis). */
  offsets: number[];
  /** Row-major `starts.length × offsets.length`: score(m, m + offset). */
  scores: Float64Array;
  /** Per offset, max − min of the score over the starts: ~0 iff the score depends only on the offset. */
  spread: Float64Array;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function positioned(v: ArrayLike<number>, pos: number, scheme: ScoreScheme): Float64Array {
  switch (scheme.kind) {
    case 'rope':
      return applyRope(v, pos, scheme.base ?? 10000);
    case 'additive': {
      const dim = v.length;
      const rows = scheme.table.length / dim;
      if (!Number.isInteger(pos) || pos < 0 || pos >= rows) {
        throw new RangeError(`position ${pos} is outside the positional table (0…${rows - 1})`);
      }
      const out = new Float64Array(dim);
      for (let j = 0; j < dim; j++) out[j] = v[j]! + scheme.table[pos * dim + j]!;
      return out;
    }
    case 'none':
      return Float64Array.from(v as ArrayLike<number>);
  }
}

/**
 * "Score vs offset": for a query vector q at absolute position m and a key vector k at n = m + offset, the score
 * dot(pos(q, m), pos(k, n)) for several starts m. With RoPE the rows coincide (spread ≈ 0: the score is a
 * function of n − m only); with an additive learned or sinusoidal table they do not.
 */
export function scoreVsOffset(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  starts: readonly number[],
  offsets: readonly number[],
  scheme: ScoreScheme,
): ScoreSeries {
  if (q.length !== k.length || q.length === 0) throw new RangeError(`q and k must have the same non-zero length (${q.length} vs ${k.length})`);
  const scores = new Float64Array(starts.length * offsets.length);
  starts.forEach((m, si) => {
    const qm = positioned(q, m, scheme);
    offsets.forEach((o, oi) => {
      scores[si * offsets.length + oi] = dot(qm, positioned(k, m + o, scheme));
    });
  });
  const spread = new Float64Array(offsets.length);
  for (let oi = 0; oi < offsets.length; oi++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let si = 0; si < starts.length; si++) {
      const v = scores[si * offsets.length + oi]!;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    spread[oi] = starts.length ? hi - lo : 0;
  }
  return { starts: [...starts], offsets: [...offsets], scores, spread };
}

// ───────────────────────── longer than the context ─────────────────────────

/** GPT-2's context length: its learned positional table has 1,024 rows. */
export const GPT2_CONTEXT_LENGTH = 1024;

/** Panel text: what happens when the text is longer than the context length, per positional scheme. */
export const LONGER_THAN_CONTEXT: Readonly<Record<'learned' | 'sinusoidal' | 'rope' | 'none', string>> = {
  learned:
    'A learned positional table has exactly context_length rows (GPT-2: 1,024), one per slot. ' +
    'pos_embedding_layer(torch.arange(n)) for n > context_length raises IndexError ("index out of range in self"): ' +
    'there is no vector for slot 1,024. So the book never feeds a longer text at once: create_dataloader_v1 cuts the ' +
    'token IDs into windows of max_length = context_length tokens, moving by stride, and positions restart at 0 in ' +
    'every window. The same token therefore gets the same positional vector whenever it sits at the same slot of its ' +
    'window, whatever its place in the whole text. The model never sees across a window boundary.',
  sinusoidal:
    'A sinusoidal table is a formula, not a trained table: a vector exists for any position, so nothing crashes past ' +
    'context_length. But a model trained on windows of context_length tokens has never seen the larger positions, so ' +
    'in practice texts are still cut into windows (positions restart in each window), exactly as with a learned table.',
  rope:
    'RoPE adds nothing to the embeddings: it rotates query and key vectors inside attention by position · θᵢ, so the ' +
    'score between two tokens depends only on their distance. Any position can be rotated, but models degrade past the ' +
    'context length they were trained on; longer contexts use tricks that rescale θ (position interpolation, NTK, YaRN). ' +
    'The embedding layer you see here is the same with or without RoPE: the positional part happens later.',
  none:
    'Without positional information the combined vector is just the token vector: the same token has the same vector ' +
    'at every position, and attention alone cannot tell "dog bites man" from "man bites dog". Length is limited only ' +
    'by what the rest of the model can afford.',
};

/** A one-paragraph, numbers-filled explanation of how the current text is windowed. */
export function describeWindowing(totalTokens: number, contextLength: number, stride: number): string {
  const windows = countWindows(totalTokens, contextLength, stride);
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (totalTokens <= contextLength) {
    return (
      `${fmt(totalTokens)} tokens fit in one context of ${fmt(contextLength)}: positions 0…${Math.max(0, totalTokens - 1)}. ` +
      `(The book's dataloader would make no training window from it: it needs at least context_length + 1 tokens ` +
      `for an input and its shifted target.)`
    );
  }
  const covered = (windows - 1) * stride + contextLength;
  const dropped = Math.max(0, totalTokens - 1 - covered);
  return (
    `${fmt(totalTokens)} tokens > context length ${fmt(contextLength)}: the sliding-window loader makes ${fmt(windows)} ` +
    `window${windows === 1 ? '' : 's'} of ${fmt(contextLength)} tokens (stride ${fmt(stride)}); positions restart at 0 in ` +
    `each window, so token i of the text sits at slot i mod ${fmt(contextLength)} when stride = context length.` +
    (dropped > 0 ? ` The last ${fmt(dropped)} token${dropped === 1 ? '' : 's'} fill no complete input/target window and are dropped.` : '')
  );
}
