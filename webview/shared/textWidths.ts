/**
 * Text widths kept per font and text. Every map measures its axis labels (row numbers or token labels, column
 * numbers) on each layout, and the four maps of a page share most of them: a canvas `measureText` costs a font
 * lookup and text shaping each time, so on the first paint it was several milliseconds of the first frame.
 * A width depends only on the font string (absolute px sizes here) and the text, so a cached width stays exact.
 */
export class TextWidths {
  private readonly byFont = new Map<string, Map<string, number>>();
  private entries = 0;

  /**
   * @param measure the real measurement (called once per font and text until the cache is full)
   * @param limit entries kept; past it the cache starts again, so a long session of changing labels stays small
   */
  constructor(
    private readonly measure: (font: string, text: string) => number,
    private readonly limit = 4096,
  ) {}

  width(font: string, text: string): number {
    let widths = this.byFont.get(font);
    const known = widths?.get(text);
    if (known !== undefined) return known;
    if (this.entries >= this.limit) {
      this.byFont.clear();
      this.entries = 0;
      widths = undefined;
    }
    if (!widths) this.byFont.set(font, (widths = new Map()));
    const w = this.measure(font, text);
    widths.set(text, w);
    this.entries++;
    return w;
  }

  /** The widest of `texts` in `font` (0 for none). */
  maxWidth(font: string, texts: Iterable<string>): number {
    let max = 0;
    for (const t of texts) max = Math.max(max, this.width(font, t));
    return max;
  }
}
