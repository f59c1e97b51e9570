/**
 * The inspector panel's analysis tabs and take-away actions, on the host side. Everything is computed by the
 * worker (`analysis`, `exportData`, `pytorchSnippet`) from the same inspect parameters the panel shows; the host
 * only forwards results, writes files the user chose, and fills the clipboard.
 */
import * as vscode from 'vscode';
import type { AnalysisKind, ExportFileFormat, ExportMatrix, InspectParams } from '../shared/engineProtocol';
import type { HostToPanel, PanelToHost } from '../shared/webviewProtocol';
import { assertNever } from '../shared/assertNever';
import { describeEngineError, isCancellation, type Engine } from './engine';

/** The webview messages this module answers. */
export type AnalysisMessage = Extract<PanelToHost, { type: 'analysis' | 'export' | 'copyPytorch' }>;

export function isAnalysisMessage(m: PanelToHost): m is AnalysisMessage {
  return m.type === 'analysis' || m.type === 'export' || m.type === 'copyPytorch';
}

const FILTERS: Record<ExportFileFormat, Record<string, string[]>> = {
  csv: { 'CSV': ['csv'] },
  json: { 'JSON': ['json'] },
  npy: { 'NumPy array': ['npy'] },
};

export class AnalysisActions {
  constructor(
    private readonly engine: Engine,
    private readonly log: vscode.LogOutputChannel,
    private readonly post: (m: HostToPanel) => void,
  ) {}

  /** `inspect` = what the panel currently shows (undefined before the first inspection finished). */
  async handle(message: AnalysisMessage, inspect: InspectParams | undefined): Promise<void> {
    if (!inspect) {
      const why = 'Nothing inspected yet: select text and run “Token Embeddings: Inspect Selection”.';
      if (message.type === 'analysis') this.post({ type: 'analysisError', kind: message.kind, message: why });
      else this.post({ type: 'actionDone', action: message.type, ok: false, message: why });
      return;
    }
    switch (message.type) {
      case 'analysis':
        return this.analysis(message.kind, inspect);
      case 'export':
        return this.export(message.what, message.format, inspect);
      case 'copyPytorch':
        return this.copyPytorch(inspect);
      default:
        assertNever(message, 'analysis message');
    }
  }

  private async analysis(kind: AnalysisKind, inspect: InspectParams): Promise<void> {
    try {
      // One channel per kind: a newer request for the same tab supersedes the older one.
      const result = await this.engine.call('analysis', { kind, inspect }, { channel: `panel-analysis-${kind}` });
      this.post({ type: 'analysis', result });
    } catch (e) {
      if (isCancellation(e)) return;
      const message = describeEngineError(e);
      this.log.warn(`panel: ${kind} failed: ${message}`);
      this.post({ type: 'analysisError', kind, message });
    }
  }

  private async export(what: ExportMatrix, format: ExportFileFormat, inspect: InspectParams): Promise<void> {
    try {
      const file = await this.engine.call('exportData', { inspect, what, format });
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: `Export ${file.fileName}`,
        saveLabel: 'Export',
        filters: FILTERS[format],
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, file.fileName) } : {}),
      });
      if (!target) {
        this.post({ type: 'actionDone', action: 'export', ok: false, message: 'Export cancelled.' });
        return;
      }
      await vscode.workspace.fs.writeFile(target, file.bytes);
      const done = `Wrote ${file.bytes.length.toLocaleString('en-US')} bytes to ${target.fsPath}.`;
      this.log.info(`panel: ${done}`);
      this.post({ type: 'actionDone', action: 'export', ok: true, message: done });
    } catch (e) {
      const message = e instanceof vscode.FileSystemError ? `Cannot write the file: ${e.message}` : describeEngineError(e);
      this.log.error(`panel: export failed: ${message}`);
      this.post({ type: 'actionDone', action: 'export', ok: false, message });
      void vscode.window.showErrorMessage(`Token Embeddings: export failed. ${message}`);
    }
  }

  private async copyPytorch(inspect: InspectParams): Promise<void> {
    try {
      const snippet = await this.engine.call('pytorchSnippet', { text: inspect.text, settings: inspect.settings });
      await vscode.env.clipboard.writeText(snippet.code);
      this.post({ type: 'actionDone', action: 'copyPytorch', ok: true, message: 'PyTorch script copied to the clipboard.' });
      const open = 'Open in Editor';
      const choice = await vscode.window.showInformationMessage('Token Embeddings: PyTorch script copied to the clipboard.', open);
      if (choice === open) {
        const doc = await vscode.workspace.openTextDocument({ language: 'python', content: snippet.code });
        await vscode.window.showTextDocument(doc, { preview: false });
      }
    } catch (e) {
      const message = describeEngineError(e);
      this.log.error(`panel: Copy as PyTorch failed: ${message}`);
      this.post({ type: 'actionDone', action: 'copyPytorch', ok: false, message });
      void vscode.window.showErrorMessage(`Token Embeddings: Copy as PyTorch failed. ${message}`);
    }
  }
}
