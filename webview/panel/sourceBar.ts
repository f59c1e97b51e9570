/**
 * What the panel shows — the seeded random init, a .safetensors file, or a model (Hugging Face folder or GGUF)
 * with its tensor, dtype, padding rows and positions — and which tokenizer made the ids (sourceLines.ts), with the
 * controls to change the tables: "Load weights…" (runs the host's file picker command) and, for a file or a model,
 * "Use random init" (the tokenizer stays). The host owns the choice (it is a setting); this only asks.
 */
import type { SourceDescription } from '../../src/shared/embeddingTypes';
import type { WebviewToHost } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { sourceLines } from '../shared/sourceLines';

export class SourceBar {
  readonly element: HTMLElement;
  private readonly label = h('span', { class: 'source-label', id: 'source-label' });
  private readonly detail = h('span', { class: 'source-detail', id: 'source-detail' });
  private readonly tokenizer = h('span', { class: 'source-tokenizer', id: 'source-tokenizer' });
  private readonly positions = h('p', { class: 'source-positions', id: 'source-positions', hidden: true });
  private readonly randomButton = h('button', { type: 'button', class: 'secondary', id: 'use-random-init', hidden: true }, 'Use random init');
  private readonly loadButton = h('button', { type: 'button', class: 'secondary', id: 'load-weights' }, 'Load weights…');

  constructor(post: (m: WebviewToHost) => void) {
    this.element = h(
      'div',
      { class: 'source-bar', role: 'group', 'aria-label': 'Embedding tables and tokenizer' },
      h('span', { class: 'field-label' }, 'Weights'),
      this.label,
      this.detail,
      this.randomButton,
      this.loadButton,
      this.tokenizer,
      this.positions,
    );
    this.randomButton.addEventListener('click', () => post({ type: 'useRandomInit' }));
    this.loadButton.addEventListener('click', () => post({ type: 'loadWeights' }));
  }

  show(source: SourceDescription): void {
    this.element.dataset.kind = source.kind;
    const lines = sourceLines(source);
    this.label.textContent = lines.label;
    this.label.title = lines.title;
    this.detail.textContent = lines.detail;
    this.tokenizer.textContent = lines.tokenizer;
    this.tokenizer.title = source.tokenizer.path ?? '';
    this.positions.textContent = lines.positions ?? '';
    this.positions.hidden = lines.positions === null;
    this.randomButton.hidden = source.kind === 'random';
  }
}
