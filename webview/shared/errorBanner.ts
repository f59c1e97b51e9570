/** An error banner with a Dismiss button (both webviews): an error stays readable until the user is done with it. */
import { h } from './dom';

export class ErrorBanner {
  private readonly text = h('span', { class: 'error-text' });
  private readonly dismiss = h('button', { type: 'button', class: 'secondary' }, 'Dismiss');
  readonly element = h('div', { class: 'error-banner', role: 'alert', hidden: true }, this.text, this.dismiss);

  constructor() {
    this.dismiss.addEventListener('click', () => this.hide());
  }

  show(message: string): void {
    this.text.textContent = message;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
