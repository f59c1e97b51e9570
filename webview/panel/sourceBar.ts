/**
 * Which embedding tables the panel shows — the seeded random init, or a .safetensors file with its tensor
 * names and dtype — with the controls to change that: "Load weights…" (runs the host's file picker command)
 * and, for file weights, "Use random init". The host owns the choice (it is a setting); this only asks.
 */
import type { SourceDescription } from '../../src/shared/embeddingTypes';
import type { WebviewToHost } from '../../src/shared/webviewProtocol';
import { h } from '../shared/dom';
import { fmtInt } from '../shared/format';

export class SourceBar {
  readonly element: HTMLElement;
  private readonly label = h('span', { class: 'source-label', id: 'source-label' });
  private readonly detail = h('span', { class: 'source-detail', id: 'source-detail' });
  private readonly randomButton = h('button', { type: 'button', class: 'secondary', id: 'use-random-init', hidden: true }, 'Use random init');
  private readonly loadButton = h('button', { type: 'button', class: 'secondary', id: 'load-weights' }, 'Load weights…');

  constructor(post: (m: WebviewToHost) => void) {
    this.element = h(
      'div',
      { class: 'source-bar', role: 'group', 'aria-label': 'Embedding weights source' },
      h('span', { class: 'field-label' }, 'Weights'),
      this.label,
      this.detail,
      this.randomButton,
      this.loadButton,
    );
    this.randomButton.addEventListener('click', () => post({ type: 'useRandomInit' }));
    this.loadButton.addEventListener('click', () => post({ type: 'loadWeights' }));
  }

  show(source: SourceDescription): void {
    this.element.dataset.kind = source.kind;
    if (source.kind === 'random') {
      this.label.textContent = `random init · seed ${source.seed}`;
      this.label.title = `torch.manual_seed(${source.seed}); nn.Embedding(${source.vocabSize}, ${source.dim})`;
      this.detail.textContent = `${fmtInt(source.vocabSize)} × ${fmtInt(source.dim)}`;
      this.randomButton.hidden = true;
      return;
    }
    const name = source.path.split(/[\\/]/).pop() || source.path;
    this.label.textContent = name;
    this.label.title = source.path;
    const tensors =
      source.kind === 'model'
        ? `${source.tokenTensor} · positions: ${source.positions.kind}`
        : source.positionTensor
          ? `${source.tokenTensor} + ${source.positionTensor}`
          : `${source.tokenTensor} (no positional tensor)`;
    this.detail.textContent = `${tensors} · ${source.dtype} · ${fmtInt(source.vocabSize)} × ${fmtInt(source.dim)}`;
    this.randomButton.hidden = false;
  }
}
