/** Previous / next page of a text with more tokens than one page (the host computes the page asked for). */
import type { InspectResult } from '../../src/shared/engineProtocol';
import type { WebviewToHost } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { pageText } from '../shared/format';

export class Pager {
  private readonly info = h('span', { class: 'page-info' });
  private readonly prev = h('button', { type: 'button', class: 'secondary' }, '◀ Previous');
  private readonly next = h('button', { type: 'button', class: 'secondary' }, 'Next ▶');
  readonly element = h('nav', { class: 'pager', 'aria-label': 'Token pages', hidden: true }, this.prev, this.info, this.next);
  private result: InspectResult | null = null;

  constructor(post: (m: WebviewToHost) => void) {
    this.prev.addEventListener('click', () => {
      const r = this.result;
      if (r) post({ type: 'page', firstToken: Math.max(0, r.firstToken - r.tokens.length) });
    });
    this.next.addEventListener('click', () => {
      const r = this.result;
      if (r) post({ type: 'page', firstToken: r.firstToken + r.tokens.length });
    });
  }

  show(r: InspectResult): void {
    this.result = r;
    this.element.hidden = r.tokens.length >= r.totalTokens;
    this.info.textContent = pageText(r);
    this.prev.disabled = r.firstToken === 0;
    this.next.disabled = r.firstToken + r.tokens.length >= r.totalTokens;
  }
}
