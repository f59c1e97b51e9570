/** Export tab: a page matrix as CSV / JSON / .npy, and Copy as PyTorch; the host reports the outcome here. */
import { EXPORT_FILE_FORMATS, EXPORT_MATRICES, type ExportFileFormat, type ExportMatrix, type WebviewToHost } from '../../../src/shared/protocol';
import { h } from '../../shared/dom';

const EXPORT_LABELS: Record<ExportMatrix, string> = {
  token: 'Token embeddings (tokens × dim)',
  positional: 'Positional table (context × dim)',
  combined: 'Combined = token + position (tokens × dim)',
  ids: 'Token IDs and spans',
};
const FORMAT_LABELS: Record<ExportFileFormat, string> = { csv: 'CSV', json: 'JSON', npy: 'NumPy .npy' };

export class ExportTab {
  readonly panel: HTMLElement;
  private readonly what = h('select', { name: 'exportWhat', id: 'export-what' }, ...EXPORT_MATRICES.map((w) => h('option', { value: w }, EXPORT_LABELS[w])));
  private readonly format = h('select', { name: 'exportFormat', id: 'export-format' }, ...EXPORT_FILE_FORMATS.map((f) => h('option', { value: f }, FORMAT_LABELS[f])));
  private readonly exportButton = h('button', { type: 'button', id: 'export-button' }, 'Export…');
  private readonly copyButton = h('button', { type: 'button', id: 'copy-pytorch', class: 'secondary' }, 'Copy as PyTorch');
  private readonly status = h('p', { class: 'analysis-status', role: 'status', id: 'export-status' });

  constructor(post: (m: WebviewToHost) => void) {
    const field = (label: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control);
    this.panel = h(
      'div',
      {},
      h('p', { class: 'muted' }, 'Take the page’s tensors away: the same numbers the panel shows, exactly as float32.'),
      h('div', { class: 'controls' }, field('What', this.what), field('Format', this.format), this.exportButton),
      h('div', { class: 'controls' }, this.copyButton, h('span', { class: 'muted' }, 'A Python script rebuilding these tables and inputs with torch.manual_seed and nn.Embedding.')),
      this.status,
    );
    this.exportButton.addEventListener('click', () => {
      this.showOutcome('Exporting…', true);
      post({ type: 'export', what: this.what.value as ExportMatrix, format: this.format.value as ExportFileFormat });
    });
    this.copyButton.addEventListener('click', () => {
      this.showOutcome('Generating the PyTorch script…', true);
      post({ type: 'copyPytorch' });
    });
  }

  showOutcome(message: string, ok: boolean): void {
    this.status.textContent = message;
    this.status.classList.toggle('error-text', !ok);
  }
}
