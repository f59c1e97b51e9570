/**
 * Export tab: a page matrix as CSV / JSON / .npy, and Copy as PyTorch. Both are requests to the host
 * (hostChannel.call), which answers with the outcome shown here.
 */
import { EXPORT_FILE_FORMATS, EXPORT_MATRICES, type ExportFileFormat, type ExportMatrix } from '../../../src/shared/engineProtocol';
import type { ActionOutcome } from '../../../src/shared/webviewProtocol';
import { RpcError } from '../../../src/shared/rpc';
import { h } from '../../shared/dom';
import type { CallHost } from '../../shared/hostChannel';

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
  private readonly format = h(
    'select',
    { name: 'exportFormat', id: 'export-format' },
    ...EXPORT_FILE_FORMATS.map((f) => h('option', { value: f }, FORMAT_LABELS[f])),
  );
  private readonly exportButton = h('button', { type: 'button', id: 'export-button' }, 'Export…');
  private readonly copyButton = h('button', { type: 'button', id: 'copy-pytorch', class: 'secondary' }, 'Copy as PyTorch');
  private readonly status = h('p', { class: 'analysis-status', role: 'status', id: 'export-status' });

  constructor(private readonly call: CallHost) {
    const field = (label: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control);
    this.panel = h(
      'div',
      {},
      h('p', { class: 'muted' }, 'Take the page’s tensors away: the same numbers the panel shows, exactly as float32.'),
      h('div', { class: 'controls' }, field('What', this.what), field('Format', this.format), this.exportButton),
      h(
        'div',
        { class: 'controls' },
        this.copyButton,
        h('span', { class: 'muted' }, 'A Python script rebuilding these tables and inputs with torch.manual_seed and nn.Embedding.'),
      ),
      this.status,
    );
    this.exportButton.addEventListener('click', () => {
      const params = { what: this.what.value as ExportMatrix, format: this.format.value as ExportFileFormat };
      void this.run('Exporting…', () => this.call('export', params, { channel: 'export' }));
    });
    this.copyButton.addEventListener(
      'click',
      () => void this.run('Generating the PyTorch script…', () => this.call('copyPytorch', {}, { channel: 'copyPytorch' })),
    );
  }

  private async run(progress: string, action: () => Promise<ActionOutcome>): Promise<void> {
    this.showOutcome(progress, true);
    try {
      const outcome = await action();
      this.showOutcome(outcome.message, outcome.ok);
    } catch (e) {
      const cancelled = e instanceof RpcError && e.kind === 'cancelled';
      this.showOutcome(cancelled ? 'Cancelled: the panel changed meanwhile. Try again.' : e instanceof Error ? e.message : String(e), false);
    }
  }

  private showOutcome(message: string, ok: boolean): void {
    this.status.textContent = message;
    this.status.classList.toggle('error-text', !ok);
  }
}
