/**
 * The Positions tab's explanations: what each positional scheme does with a text longer than the context, and
 * how the sliding-window loader cuts the current text. The engine sends the numbers (Windowing); the words
 * are the panel's.
 */
import type { Windowing } from '../../../src/shared/engineProtocol';
import type { PositionalScheme } from '../../../src/shared/embeddingTypes';
import { fmtInt } from '../../shared/format';

/** Per scheme (the inspector's own settings plus RoPE, which the lab shows beside them). */
export const LONGER_THAN_CONTEXT: Readonly<Record<PositionalScheme | 'rope', string>> = {
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
export function describeWindowing(w: Windowing, contextLength: number): string {
  const { totalTokens, stride, windows, droppedTokens } = w;
  if (totalTokens <= contextLength) {
    return (
      `${fmtInt(totalTokens)} tokens fit in one context of ${fmtInt(contextLength)}: positions 0…${Math.max(0, totalTokens - 1)}. ` +
      `(The book's dataloader would make no training window from it: it needs at least context_length + 1 tokens ` +
      `for an input and its shifted target.)`
    );
  }
  return (
    `${fmtInt(totalTokens)} tokens > context length ${fmtInt(contextLength)}: the sliding-window loader makes ${fmtInt(windows)} ` +
    `window${windows === 1 ? '' : 's'} of ${fmtInt(contextLength)} tokens (stride ${fmtInt(stride)}); positions restart at 0 in ` +
    `each window, so token i of the text sits at slot i mod ${fmtInt(contextLength)} when stride = context length.` +
    (droppedTokens > 0 ? ` The last ${fmtInt(droppedTokens)} token${droppedTokens === 1 ? '' : 's'} fill no complete input/target window and are dropped.` : '')
  );
}
