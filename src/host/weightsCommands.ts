/**
 * Real learned embeddings: "Load Embedding Weights…" (file picker, then a tensor pick when the file's
 * tensors are not auto-detected), "Use Random Init", and the error notification that offers the way back
 * when a weights file cannot be used. The choice lives in the settings (`tokenEmbeddings.weightsPath`,
 * machine scope), so every view — panel, sidebar, hover — follows it.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { EmbeddingSettings } from '../shared/embeddingTypes';
import type { TensorsResult } from '../shared/engineProtocol';
import type { Configuration } from './config';
import { describeEngineError, type Engine } from './engine';
import { toEmbeddingSettings } from './settings';
import { candidatesFor } from './weightsChoice';
import type { HostPlatform } from './platform';

export const LOAD_WEIGHTS_COMMAND = 'tokenEmbeddings.loadWeights';
export const USE_RANDOM_INIT_COMMAND = 'tokenEmbeddings.useRandomInit';
const USE_RANDOM_INIT = 'Use Random Init';
const LOAD_OTHER = 'Load Other Weights…';

/** `path` or a tidy summary of it for messages. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export class WeightsCommands extends Disposable {
  constructor(
    private readonly engine: Engine,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
    private readonly paths: Pick<HostPlatform, 'weightsPathOf' | 'uriOfWeightsPath'>,
  ) {
    super();
    this._register(vscode.commands.registerCommand(LOAD_WEIGHTS_COMMAND, (uri?: unknown) => this.load(uri instanceof vscode.Uri ? uri : undefined)));
    this._register(vscode.commands.registerCommand(USE_RANDOM_INIT_COMMAND, () => this.useRandomInit()));
  }

  /** Picks a file (unless given), reads its tensor list in the worker, asks for tensors if needed, saves the settings. */
  async load(given?: vscode.Uri): Promise<boolean> {
    const currentPath = this.config.settings.weightsPath;
    const uri =
      given ??
      (
        await vscode.window.showOpenDialog({
          title: 'Token Embeddings: Load Embedding Weights',
          openLabel: 'Load Weights',
          canSelectMany: false,
          canSelectFolders: false,
          filters: { Safetensors: ['safetensors'] },
          defaultUri: currentPath ? this.paths.uriOfWeightsPath(currentPath) : undefined,
        })
      )?.[0];
    if (!uri) return false;
    const path = this.paths.weightsPathOf(uri);
    if (path === undefined) {
      void vscode.window.showErrorMessage(`Token Embeddings: weights must be a local file (got ${uri.toString()}).`);
      return false;
    }
    let tensors: TensorsResult;
    try {
      tensors = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Token Embeddings: reading ${fileName(path)}` }, () =>
        this.engine.call('tensors', { path }, { channel: 'weightsTensors' }),
      );
    } catch (e) {
      const message = describeEngineError(e);
      // The user's file, not our failure: a warning in the log, the reason in the notification.
      this.log.warn(`load weights ${path}: ${message}`);
      void vscode.window.showErrorMessage(`Token Embeddings: cannot use ${fileName(path)} — ${message}`);
      return false;
    }
    let tokenTensor = '';
    let positionTensor = '';
    if (!tensors.detected.tokenTensor) {
      const picked = await this.pickTensor(tensors, 'token');
      if (picked === undefined) return false;
      tokenTensor = picked ?? '';
      if (!tensors.detected.positionTensor) {
        const pos = await this.pickTensor(tensors, 'position', tokenTensor);
        if (pos === undefined) return false;
        positionTensor = pos ?? '';
      }
    }
    const chosen = { weightsPath: path, tokenTensor, positionTensor };
    // Load the new source in the worker before touching the settings: a file that cannot be used (wrong
    // vocabulary, rank, dtype…) is reported here and the previous, working source stays active.
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Token Embeddings: checking ${fileName(path)}` }, () =>
        this.engine.call(
          'rows',
          { settings: toEmbeddingSettings({ ...this.config.settings, ...chosen }), tokenRows: [0], positionRows: [0] },
          { channel: 'weightsTensors' },
        ),
      );
    } catch (e) {
      const message = describeEngineError(e);
      // The user's file, not our failure: a warning in the log, the reason in the notification.
      this.log.warn(`load weights ${path}: ${message}`);
      const keeping = this.config.settings.weightsPath ? fileName(this.config.settings.weightsPath) : 'the random init';
      void vscode.window.showErrorMessage(`Token Embeddings: cannot use ${fileName(path)} — ${message.replace(/\.?$/, '.')} Still using ${keeping}.`);
      return false;
    }
    this.log.info(
      `weights: ${path} (token tensor ${tokenTensor || tensors.detected.tokenTensor}, position tensor ${positionTensor || tensors.detected.positionTensor || 'none'})`,
    );
    // One change for the path and its tensor names: the views never try the new names on the old file.
    await this.config.updateGroup(chosen);
    return true;
  }

  /**
   * Quick pick of a 2-D tensor for `role`. Resolves to the name, `null` for "no positional table from the
   * file" (position role only), or `undefined` when the user dismissed the pick.
   */
  private async pickTensor(tensors: TensorsResult, role: 'token' | 'position', exclude?: string): Promise<string | null | undefined> {
    const candidates = candidatesFor(tensors, role).filter((c) => c.name !== exclude);
    if (role === 'token' && candidates.length === 0) {
      void vscode.window.showErrorMessage(
        `Token Embeddings: ${fileName(tensors.path)} has no readable 2-D tensor (F32, F16, BF16 or F64) to use as the token embedding table.`,
      );
      return undefined;
    }
    type Item = vscode.QuickPickItem & { tensor: string | null };
    const items: Item[] = candidates.map((c) => ({
      label: c.name,
      description: `${c.rows.toLocaleString('en-US')} × ${c.cols.toLocaleString('en-US')} · ${c.dtype}`,
      detail: c.role === role ? `named like a ${role} embedding table` : undefined,
      tensor: c.name,
    }));
    if (role === 'position') items.unshift({ label: 'No positional table from the file', description: 'use the positional scheme setting', tensor: null });
    const picked = await vscode.window.showQuickPick(items, {
      title: `Token Embeddings: ${role === 'token' ? 'token' : 'positional'} embedding tensor of ${fileName(tensors.path)}`,
      placeHolder: role === 'token' ? 'Which tensor holds one row per vocabulary token?' : 'Which tensor holds one row per position?',
      matchOnDescription: true,
    });
    return picked === undefined ? undefined : picked.tensor;
  }

  async useRandomInit(): Promise<void> {
    if (this.config.settings.weightsPath === '') return;
    await this.config.updateGroup({ weightsPath: '', tokenTensor: '', positionTensor: '' });
  }
}

/**
 * An inspection with file weights failed (wrong vocab size, rank, dtype, missing file…): an error
 * notification with the way back to the random init and a way to pick another file.
 */
export function reportWeightsError(settings: EmbeddingSettings, message: string): boolean {
  if (settings.weights.kind !== 'file') return false;
  const name = fileName(settings.weights.path);
  void vscode.window.showErrorMessage(`Token Embeddings: the weights in ${name} cannot be used — ${message}`, USE_RANDOM_INIT, LOAD_OTHER).then((choice) => {
    if (choice === USE_RANDOM_INIT) void vscode.commands.executeCommand(USE_RANDOM_INIT_COMMAND);
    else if (choice === LOAD_OTHER) void vscode.commands.executeCommand(LOAD_WEIGHTS_COMMAND);
  });
  return true;
}
