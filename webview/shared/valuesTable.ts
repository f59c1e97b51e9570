/** Accessible text alternative of the heatmaps: the selected row's values (dim, tok, pos, combined). */
import type { ViewInspectResult } from '../../src/shared/webviewProtocol';
import { h } from './dom';
import { fmt4 } from './format';
import { visibleTokenText } from '../../src/shared/visibleToken';

export function renderValuesTable(target: HTMLElement, r: ViewInspectResult | null, row: number | null): void {
  if (!r || row === null || row >= r.tokens.length) {
    target.replaceChildren(h('p', { class: 'muted' }, 'Select a token to list its values.'));
    return;
  }
  const t = r.tokens[row]!;
  const p = r.positions[row]!;
  const d = r.dim;
  const body = h('tbody');
  const frag = document.createDocumentFragment();
  for (let j = 0; j < d; j++) {
    frag.append(
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, String(j)),
        h('td', {}, fmt4(r.tokenEmbeddings[row * d + j]!)),
        h('td', {}, fmt4(r.positionalEmbeddings[p * d + j]!)),
        h('td', {}, fmt4(r.combinedEmbeddings[row * d + j]!)),
      ),
    );
  }
  body.append(frag);
  const table = h(
    'table',
    { class: 'values' },
    h('caption', {}, `token ${r.firstToken + row} “${visibleTokenText(t.text)}” (id ${t.id}) at position ${p}`),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'dim'), h('th', { scope: 'col' }, 'tok'), h('th', { scope: 'col' }, 'pos'), h('th', { scope: 'col' }, 'combined')),
    ),
    body,
  );
  target.replaceChildren(table);
}
