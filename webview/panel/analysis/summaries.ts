/**
 * The words and small decisions of the analysis tabs as pure functions (unit-tested in Node): which tokens a
 * result covers, what the PCA explains, whether a scheme's score depends only on the offset.
 */
import type { PositionalScheme } from '../../../src/shared/embeddingTypes';
import { ANALYSIS_MAX_TOKENS, type AnalysisPage, type ScoreVsOffsetSeries } from '../../../src/shared/engineProtocol';
import { fmt4, fmtInt } from '../../shared/format';

export const SCHEME_LABELS = { learned: 'Learned (additive table)', sinusoidal: 'Sinusoidal (additive)', rope: 'RoPE (rotary)' } as const;

export function pageNotice(p: AnalysisPage): string {
  if (p.count === 0) return 'This text has no tokens.';
  const range = `tokens ${fmtInt(p.firstToken)}–${fmtInt(p.firstToken + p.count - 1)}`;
  return p.capped
    ? `Showing the first ${fmtInt(ANALYSIS_MAX_TOKENS)} tokens of this page (${range}); page on to see the rest.`
    : `${fmtInt(p.count)} tokens (${range}).`;
}

export function projectionSummary(p: AnalysisPage, explained: readonly [number, number]): string {
  return `${pageNotice(p)} PC1 explains ${(explained[0] * 100).toFixed(1)}% and PC2 ${(explained[1] * 100).toFixed(1)}% of the variance.`;
}

/**
 * Whether one scheme's lines coincide: the largest spread over the starts is below a millionth of the
 * largest |score| (float rounding), so the score depends only on the offset n − m.
 */
export function offsetVerdict(s: ScoreVsOffsetSeries): { invariant: boolean; text: string } {
  let largest = 1;
  for (const x of s.scores) largest = Math.max(largest, Math.abs(x));
  const invariant = s.maxSpread < 1e-6 * largest;
  const text = invariant
    ? `lines coincide (largest spread ${s.maxSpread.toExponential(1)}): the score depends only on the offset`
    : `lines differ by up to ${fmt4(s.maxSpread)}: the score depends on the absolute positions`;
  return { invariant, text };
}

/** How many repeated-token pairs the table lists; the rest are counted below it. */
export const MAX_LISTED_PAIRS = 200;

/**
 * Why a repeated token can still read 1.0000 after adding positions: positions restart every context length,
 * so token i sits at slot i mod context length and two occurrences a multiple of it apart get the same
 * positional row (or there are no positions at all). Null when no listed pair is in that case.
 */
export function sameSlotNote(scheme: PositionalScheme, contextLength: number, anySameSlot: boolean): string | null {
  if (scheme === 'none') return 'Positions are off (none): token + position is the token alone, so every repeat stays 1.0000.';
  if (!anySameSlot) return null;
  return (
    `A repeat that stays 1.0000 after adding positions sits at the same position slot: positions restart every ` +
    `${fmtInt(contextLength)} tokens (the context length), so token i gets slot i mod ${fmtInt(contextLength)}, and two ` +
    `occurrences a multiple of ${fmtInt(contextLength)} apart get the same positional row added.`
  );
}
