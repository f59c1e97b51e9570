/** Previous / next page of a text with more tokens than one page (the host computes the page asked for). */
import type { ViewInspectResult } from '../../src/shared/webviewProtocol';
import type { WebviewToHost } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { pageText } from '../shared/format';

export class Pager {
  private readonly info = h('span', { class: 'page-info' });
  private readonly prev = h('button', { type: 'button', class: 'secondary' }, '◀ Previous');
  private readonly next = h('button', { type: 'button', class: 'secondary' }, 'Next ▶');
  private readonly jumpInput = h('input', {
    type: 'number',
    min: '0',
    step: '1',
    name: 'jumpToken',
    'aria-label': 'Token index to jump to',
    placeholder: 'token #',
  });
  private readonly jumpButton = h('button', { type: 'button', class: 'secondary' }, 'Go to token');
  private readonly nav = h('nav', { class: 'pager', 'aria-label': 'Token pages' }, this.prev, this.info, this.next);
  readonly element = h('div', { class: 'pager-row', hidden: true }, this.nav, h('span', { class: 'pager-jump' }, this.jumpInput, this.jumpButton));
  private result: ViewInspectResult | null = null;

  constructor(post: (m: WebviewToHost) => void) {
    this.prev.addEventListener('click', () => {
      const r = this.result;
      if (r) post({ type: 'page', firstToken: Math.max(0, r.firstToken - r.tokens.length) });
    });
    // A long document has hundreds of pages: jump straight to the page that starts at a token index.
    const jump = () => {
      const r = this.result;
      const n = Number((this.jumpInput as HTMLInputElement).value);
      if (!r || !Number.isInteger(n) || n < 0 || n >= r.totalTokens) {
        this.jumpInput.setAttribute('aria-invalid', 'true');
        return;
      }
      this.jumpInput.removeAttribute('aria-invalid');
      post({ type: 'page', firstToken: n });
    };
    this.jumpButton.addEventListener('click', jump);
    this.jumpInput.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') jump();
    });
    this.next.addEventListener('click', () => {
      const r = this.result;
      if (r) post({ type: 'page', firstToken: r.firstToken + r.tokens.length });
    });
  }

  show(r: ViewInspectResult): void {
    this.result = r;
    this.element.hidden = r.tokens.length >= r.totalTokens;
    this.info.textContent = pageText(r);
    this.jumpInput.setAttribute('max', String(Math.max(0, r.totalTokens - 1)));
    this.prev.disabled = r.firstToken === 0;
    this.next.disabled = r.firstToken + r.tokens.length >= r.totalTokens;
  }
}
