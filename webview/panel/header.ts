/** The panel's summary: document, encoding, token counts, source, vocab × dim, context, book-style shapes. */
import type { PanelState } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { fmtInt, pageText, shapeLines, sourceText } from '../shared/format';

export class SummaryHeader {
  private readonly docLabel = h('span', { class: 'doc-label' });
  private readonly facts = h('dl', { class: 'facts' });
  private readonly shapes = h('table', { class: 'shapes' });
  readonly element = h('header', { class: 'summary' }, h('div', { class: 'title-row' }, h('h1', {}, 'Token embeddings'), this.docLabel), this.facts, this.shapes);

  show(s: PanelState): void {
    const r = s.result;
    this.docLabel.textContent = s.documentLabel;
    const items: [string, string][] = [
      ['encoding', r.encoding],
      ['tokens', pageText(r)],
      ['source', sourceText(r.source)],
      ['vocab × dim', `${fmtInt(r.source.vocabSize)} × ${fmtInt(r.dim)}`],
      ['context', fmtInt(r.contextLength)],
    ];
    this.facts.replaceChildren(...items.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    this.shapes.replaceChildren(
      h('caption', {}, 'Shapes of the first batch (as in the book)'),
      ...shapeLines(r).map((l) => h('tr', {}, h('th', { scope: 'row' }, l.label), h('td', { class: 'dims' }, l.dims), h('td', { class: 'shape' }, l.shape))),
    );
  }
}
