/**
 * Nearest tokens of the selected row: the panel asks the host (hostChannel.call `neighbors`), which scans the
 * vocabulary in the engine worker (cosine similarity of token embeddings). A newer selection supersedes the
 * request (same channel) and a new state cancels it (the state's signal), so a list is only ever shown for
 * the row and state it was computed for.
 */
import type { Neighbor } from '../../src/shared/engineProtocol';
import { RpcError } from '../../src/shared/rpc';
import { h } from '../shared/dom';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { PADDING_NOTE } from '../../src/shared/sourceWords';
import type { CallHost } from '../shared/hostChannel';
import type { PanelStore } from './store';

export class NeighborsList {
  readonly element: HTMLElement;
  private readonly heading = h('h2', {}, 'Nearest tokens');
  private readonly status = h('p', { class: 'neighbors-status', role: 'status' });
  private readonly list = h('ol', { class: 'neighbors-list', id: 'neighbors-list' });
  /** Bumped by every request: an answer for an older one is not shown. */
  private generation = 0;

  constructor(
    private readonly store: PanelStore,
    private readonly call: CallHost,
  ) {
    this.element = h('section', { class: 'neighbors', id: 'neighbors', 'aria-label': 'Nearest tokens', hidden: true }, this.heading, this.status, this.list);
    store.onState.on(() => void this.request(store.selectedRow));
    store.onSelect.on((row, changed) => {
      if (changed) void this.request(row);
    });
  }

  private async request(row: number | null): Promise<void> {
    const generation = ++this.generation;
    const token = row === null ? undefined : this.store.state?.result.tokens[row];
    this.list.replaceChildren();
    this.status.textContent = '';
    this.element.hidden = !token;
    if (row === null || !token) return;
    this.show('loading', token.id);
    try {
      const { neighbors } = await this.call('neighbors', { row, id: token.id }, { channel: 'neighbors', signal: this.store.stateSignal });
      if (generation === this.generation) this.show('ready', token.id, neighbors);
    } catch (e) {
      if (generation !== this.generation || (e instanceof RpcError && e.kind === 'cancelled')) return;
      this.show('error', token.id, [], e instanceof Error ? e.message : String(e));
    }
  }

  private show(status: 'loading' | 'ready' | 'error', id: number, neighbors: Neighbor[] = [], message = ''): void {
    this.element.dataset.status = status;
    this.heading.textContent = `Nearest tokens to id ${id} (cosine similarity of token embeddings)`;
    if (status === 'loading') {
      this.status.textContent = 'Scanning the vocabulary…';
      return;
    }
    if (status === 'error') {
      this.status.textContent = `Could not find nearest tokens: ${message}`;
      return;
    }
    // A random init's rows are independent draws: in 256 dimensions any two have cosine ≈ 0 ± 0.06, so the best
    // of 50k sits near 0.25 by chance alone. Say so rather than let the list look like learned meaning.
    const random = this.store.state?.result.source.kind === 'random';
    this.status.textContent = !neighbors.length
      ? 'No other tokens.'
      : random
        ? 'Random init: these rows are independent random draws, so the nearest ones are near by chance (noise, not meaning). Load learned weights to see real neighbours.'
        : '';
    this.status.classList.toggle('noise-note', random && neighbors.length > 0);
    this.list.replaceChildren(
      ...neighbors.map((n) =>
        h(
          'li',
          { class: 'neighbor', 'data-id': n.id },
          h('span', { class: 'neighbor-text' }, n.text === null ? '(unused id)' : `“${visibleTokenText(n.text)}”`),
          h('span', { class: 'neighbor-id' }, `id ${n.id}`),
          h('span', { class: 'neighbor-score' }, n.score.toFixed(4)),
          // A row past the tokenizer's ids: the table has it, no text ever maps to it, training never updated it.
          ...(n.padding ? [h('span', { class: 'neighbor-padding', title: 'A padding row: no token id of the tokenizer uses it' }, PADDING_NOTE)] : []),
        ),
      ),
    );
  }
}
