/**
 * Positional lab: the three ways a model can know where a token sits, side by side.
 *  - learned (GPT-2, the book): a second nn.Embedding(context_length, dim), added to the token vectors;
 *  - sinusoidal (Vaswani et al. 2017): a fixed table of sines/cosines, added the same way (../positional.ts);
 *  - RoPE (rotary, Su et al. 2021; Llama, Qwen…): nothing is added; query/key vectors are rotated pair-wise by
 *    an angle proportional to the position, so their dot product depends only on the distance n − m.
 * Pure numbers in, plain arrays out; the panel draws them.
 */
import type { Windowing } from '../../shared/engineProtocol';
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

/**
 * How the book's create_dataloader_v1 cuts a text of `totalTokens` tokens into windows of `contextLength`
 * moving by `stride`, and how many tokens at the end fill no complete input/target window. Numbers only:
 * the panel words them (webview/panel/analysis/positionsText.ts).
 */
export function windowingOf(totalTokens: number, contextLength: number, stride: number): Windowing {
  const windows = countWindows(totalTokens, contextLength, stride);
  const covered = (windows - 1) * stride + contextLength;
  const droppedTokens = totalTokens <= contextLength ? 0 : Math.max(0, totalTokens - 1 - covered);
  return { totalTokens, stride, windows, droppedTokens };
}
