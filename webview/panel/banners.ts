/** The busy bar (with Cancel) and the error banner (with Dismiss) that stay in view above the content. */
import type { WebviewToHost } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';

export class BusyBar {
  private readonly text = h('span', { class: 'busy-text' }, 'Computing…');
  private readonly cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  readonly element = h('div', { class: 'busy', role: 'status', hidden: true }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), this.text, this.cancel);

  constructor(
    post: (m: WebviewToHost) => void,
    /** Where `aria-busy` is announced. */
    private readonly region: HTMLElement,
  ) {
    this.cancel.addEventListener('click', () => post({ type: 'cancelInspection' }));
  }

  show(busy: boolean, message?: string): void {
    this.element.hidden = !busy;
    this.text.textContent = message ?? 'Computing…';
    this.region.setAttribute('aria-busy', String(busy));
  }
}

// Shared with the side panel.
export { ErrorBanner } from '../shared/errorBanner';
