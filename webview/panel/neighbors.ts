/**
 * Nearest tokens of the selected row: the host scans the vocabulary in the engine worker (cosine
 * similarity of token embeddings) and posts `loading` then `ready`/`error` tagged with the row; replies
 * for a row that is no longer selected are ignored.
 */
import type { NeighborsMessage } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { visibleTokenText } from '../shared/format';

export class NeighborsList {
  readonly element: HTMLElement;
  private readonly heading = h('h2', {}, 'Nearest tokens');
  private readonly status = h('p', { class: 'neighbors-status', role: 'status' });
  private readonly list = h('ol', { class: 'neighbors-list', id: 'neighbors-list' });
  private row: number | null = null;

  constructor() {
    this.element = h('section', { class: 'neighbors', id: 'neighbors', 'aria-label': 'Nearest tokens', hidden: true }, this.heading, this.status, this.list);
  }

  /** The selection changed: clear until the host answers for the new row. */
  select(row: number | null): void {
    if (row === this.row) return;
    this.row = row;
    this.list.replaceChildren();
    this.element.hidden = row === null;
    this.status.textContent = '';
  }

  show(m: NeighborsMessage): void {
    if (m.row !== this.row) return; // a reply for an earlier selection
    this.element.hidden = false;
    this.element.dataset.status = m.status;
    this.heading.textContent = `Nearest tokens to id ${m.id} (cosine similarity of token embeddings)`;
    if (m.status === 'loading') {
      this.status.textContent = 'Scanning the vocabulary…';
      this.list.replaceChildren();
      return;
    }
    if (m.status === 'error') {
      this.status.textContent = `Could not find nearest tokens: ${m.message ?? 'unknown error'}`;
      this.list.replaceChildren();
      return;
    }
    this.status.textContent = m.neighbors.length ? '' : 'No other tokens.';
    this.list.replaceChildren(
      ...m.neighbors.map((n) =>
        h(
          'li',
          { class: 'neighbor', 'data-id': n.id },
          h('span', { class: 'neighbor-text' }, n.text === null ? '(unused id)' : `“${visibleTokenText(n.text)}”`),
          h('span', { class: 'neighbor-id' }, `id ${n.id}`),
          h('span', { class: 'neighbor-score' }, n.score.toFixed(4)),
        ),
      ),
    );
  }
}
