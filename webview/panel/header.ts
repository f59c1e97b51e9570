/** The panel's summary: document, encoding, token counts, source, vocab × dim, context, book-style shapes. */
import type { PanelState } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { fmtInt, pageText, shapeLines, sourceText } from '../shared/format';
import { tokenizerLabel } from '../../src/shared/embeddingTypes';

export class SummaryHeader {
  private readonly docLabel = h('span', { class: 'doc-label' });
  private readonly facts = h('dl', { class: 'facts' });
  private readonly shapes = h('table', { class: 'shapes' });
  private readonly shapesSummary = h('summary', {}, 'Shapes of the first batch');
  /** Why a short text's batch is empty (shown open, under the shapes, only then). */
  private readonly shapesNote = h('p', { class: 'shapes-note', hidden: true });
  // The book's shapes are reference material: folded, so the heatmaps start on the first screen.
  private readonly shapesDetails = h('details', { class: 'shapes-details' }, this.shapesSummary, this.shapes);
  readonly element = h(
    'header',
    { class: 'summary' },
    h('div', { class: 'title-row' }, h('h1', {}, 'Token embeddings'), this.docLabel),
    this.facts,
    this.shapesDetails,
    this.shapesNote,
  );

  show(s: PanelState): void {
    const r = s.result;
    this.docLabel.textContent = s.documentLabel;
    const items: [string, string][] = [
      ['tokenizer', tokenizerLabel(r.source.tokenizer)],
      ['tokens', pageText(r)],
      ['source', sourceText(r.source)],
      ['vocab × dim', `${fmtInt(r.source.vocabSize)} × ${fmtInt(r.dim)}`],
      ['context', fmtInt(r.contextLength)],
    ];
    this.facts.replaceChildren(...items.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    const inputs = r.shapes.inputs;
    this.shapesSummary.textContent = `Shapes of the first batch (as in the book): inputs ${`(${inputs.join(', ')})`}, combined (${r.shapes.combined.join(', ')})`;
    // The loader cuts windows of context + 1 tokens (inputs and their next-token targets): fewer make no window.
    const empty = inputs[0] === 0;
    this.shapesNote.hidden = !empty;
    this.shapesNote.textContent = empty
      ? `The batch is empty, (0, ${r.contextLength}): the data loader needs context + 1 = ${fmtInt(r.contextLength + 1)} tokens for one input/target window and this text has ${fmtInt(r.totalTokens)}. The heatmaps still show every token.`
      : '';
    this.shapes.replaceChildren(
      h('caption', {}, 'Shapes of the first batch (as in the book)'),
      ...shapeLines(r).map((l) => h('tr', {}, h('th', { scope: 'row' }, l.label), h('td', { class: 'dims' }, l.dims), h('td', { class: 'shape' }, l.shape))),
    );
  }
}
