/**
 * The inspector panel's requests (PanelMethods: analysis tabs, export, Copy as PyTorch, nearest tokens) on the
 * host side, as handlers for the panel's RpcServer. Everything is computed by the worker (`analysis`,
 * `exportData`, `pytorchSnippet`, `neighbors`) from the state the panel shows; the host only forwards
 * results, writes files the user chose, and fills the clipboard. A cancelled request (the panel moved on, or
 * the state changed) aborts the worker call through the handler's cancellation signal.
 */
import * as vscode from 'vscode';
import type { ExportFileFormat, InspectParams } from '../shared/engineProtocol';
import type { ActionOutcome, PanelMethods, PanelState } from '../shared/webviewProtocol';
import { RpcError, type CancellationFlag, type Handlers } from '../shared/rpc';
import { describeEngineError, isCancellation, type Engine } from './engine';
import { neighborsOfRow } from './panelNeighbors';
import { describeApplied, settingsToApply, type PanelChanges } from './panelChanges';
import type { HostSettings } from './settings';

const FILTERS: Record<ExportFileFormat, Record<string, string[]>> = {
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
  npy: { 'NumPy array': ['npy'] },
};

const NOTHING_YET = 'Nothing inspected yet: select text and run “Token Embeddings: Inspect Selection”.';

/** What the panel currently shows (both undefined before the first inspection finished). */
export interface PanelShown {
  state(): PanelState | undefined;
  inspect(): InspectParams | undefined;
  /** The panel's own control changes on top of the user's settings. */
  changes(): PanelChanges;
}

/** The user's settings, and the way to change several of them as one change (src/host/config.ts). */
export interface UserSettings {
  readonly settings: HostSettings;
  updateGroup(values: Partial<HostSettings>): Promise<void>;
}

export function panelRequestHandlers(engine: Engine, log: vscode.LogOutputChannel, shown: PanelShown, user: UserSettings): Handlers<PanelMethods> {
  const current = (): InspectParams => {
    const inspect = shown.inspect();
    if (!inspect) throw new RpcError('invalidInput', NOTHING_YET);
    return inspect;
  };
  /** Engine failures become the panel's error text (and the log's); cancellations stay cancellations. */
  const failed = (what: string, e: unknown, notify: boolean): never => {
    if (e instanceof RpcError && e.kind === 'cancelled') throw e;
    if (isCancellation(e)) throw new RpcError('cancelled', 'cancelled');
    const message = e instanceof vscode.FileSystemError ? `Cannot write the file: ${e.message}` : describeEngineError(e);
    log.warn(`panel: ${what} failed: ${message}`);
    if (notify) void vscode.window.showErrorMessage(`Token Embeddings: ${what} failed. ${message}`);
    throw new RpcError('internal', message);
  };
  return {
    analysis: async ({ kind }, cancel) => {
      const inspect = current();
      try {
        return await engine.call('analysis', { kind, inspect }, { signal: cancel.signal });
      } catch (e) {
        return failed(kind, e, false);
      }
    },
    export: async ({ what, format }, cancel) => exportMatrix(engine, log, current(), what, format, cancel).catch((e: unknown) => failed('export', e, true)),
    copyPytorch: async (_params, cancel) => copyPytorch(engine, current(), cancel).catch((e: unknown) => failed('Copy as PyTorch', e, true)),
    neighbors: async ({ row, id }, cancel) => {
      try {
        return await neighborsOfRow(engine, shown.state(), row, id, cancel.signal);
      } catch (e) {
        return failed(`nearest tokens of ${id}`, e, false);
      }
    },
    applySettings: async () => applySettings(shown.changes(), user, log).catch((e: unknown) => failed('Apply to Settings', e, true)),
  };
}

/**
 * Writes the panel's own changes to the settings as one change (config.updateGroup). The settings change then
 * resets the panel's overrides and re-inspects, so the panel shows the same numbers, now from the settings.
 */
async function applySettings(changes: PanelChanges, user: UserSettings, log: vscode.LogOutputChannel): Promise<ActionOutcome> {
  const values = settingsToApply(changes, user.settings);
  if (Object.keys(values).length === 0) return { ok: false, message: 'Nothing to apply: the panel already uses your settings.' };
  await user.updateGroup(values);
  const done = `Saved to your settings: ${describeApplied(values)}. Hovers, the side view and the status bar use them now.`;
  log.info(`panel: ${done}`);
  return { ok: true, message: done };
}

const REVEAL = 'Reveal in Explorer';

async function exportMatrix(
  engine: Engine,
  log: vscode.LogOutputChannel,
  inspect: InspectParams,
  what: PanelMethods['export']['params']['what'],
  format: ExportFileFormat,
  cancel: CancellationFlag,
): Promise<ActionOutcome> {
  const file = await engine.call('exportData', { inspect, what, format }, { signal: cancel.signal });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${file.fileName}`,
    saveLabel: 'Export',
    filters: FILTERS[format],
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, file.fileName) } : {}),
  });
  if (!target) return { ok: false, message: 'Export cancelled.' };
  await vscode.workspace.fs.writeFile(target, file.bytes);
  const done = `Wrote ${file.bytes.length.toLocaleString('en-US')} bytes to ${target.fsPath}.`;
  log.info(`panel: ${done}`);
  // The panel's status line may be below the fold: say it where the user looks, with the way to the file.
  void vscode.window.showInformationMessage(`Token Embeddings: ${done}`, REVEAL).then((choice) => {
    if (choice === REVEAL) void vscode.commands.executeCommand('revealInExplorer', target);
  });
  return { ok: true, message: done };
}

async function copyPytorch(engine: Engine, inspect: InspectParams, cancel: CancellationFlag): Promise<ActionOutcome> {
  const snippet = await engine.call('pytorchSnippet', { text: inspect.text, settings: inspect.settings }, { signal: cancel.signal });
  await vscode.env.clipboard.writeText(snippet.code);
  void offerToOpen(snippet.code);
  return { ok: true, message: 'PyTorch script copied to the clipboard.' };
}

async function offerToOpen(code: string): Promise<void> {
  const open = 'Open in Editor';
  const choice = await vscode.window.showInformationMessage('Token Embeddings: PyTorch script copied to the clipboard.', open);
  if (choice === open) {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: code });
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}
