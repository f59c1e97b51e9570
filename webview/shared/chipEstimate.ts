/**
 * How many token chips the strip shows before it scrolls, estimated without the DOM (tokenStrip.ts builds
 * those before the first frame and the rest after it). No DOM here: Node unit tests import it.
 */
import type { TokenInfo } from '../../src/shared/embeddingTypes';
import { visibleTokenText } from '../../src/shared/visibleToken';

/** The strip's scroll box, as the page's CSS makes it, and the text size: for estimating its visible chips. */
export interface StripBox {
  /** CSS px; the window's width will do (an overestimate only builds a few more chips). */
  width: number;
  /** The strip's max-height in CSS px. */
  height: number;
  /** The font size the chips' em sizes are relative to. */
  fontPx: number;
}

/**
 * How many chips fill `box` before it scrolls, laid out like the strip's flex-wrap, without reading the layout
 * (that would force one in the middle of building the page): each chip's width is estimated from its
 * characters and every estimate errs small (narrow characters, short lines), so the chips built cover the
 * visible ones and the rest can follow the first frame.
 */
export function visibleChipCount(tokens: readonly TokenInfo[], box: StripBox): number {
  // Monospace characters are ~0.6 em (0.95 em text), ids 0.8 of that; padding, borders and gaps ~19 px.
  const textChar = 0.5 * box.fontPx;
  const idChar = 0.4 * box.fontPx;
  const lines = Math.ceil(box.height / (1.6 * box.fontPx));
  let line = 1;
  let x = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = 19 + [...visibleTokenText(t.text)].length * textChar + String(t.id).length * idChar;
    if (x > 0 && x + w > box.width) {
      line++;
      x = 0;
    }
    if (line > lines) return i;
    x += w;
  }
  return tokens.length;
}
