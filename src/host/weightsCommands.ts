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
import { keepModelTokenizer, tokenizerSourceOf, type HostSettings } from './settings';
import { baseName, pathName, tokenizerName } from './sourceNames';
import { OPEN_MODEL_COMMAND, SELECT_TOKENIZER_COMMAND } from './sourceCommands';
import { switchSources } from './sourceSwitch';
import { candidatesFor } from './weightsChoice';
import type { HostPlatform } from './platform';

export const LOAD_WEIGHTS_COMMAND = 'tokenEmbeddings.loadWeights';
export const USE_RANDOM_INIT_COMMAND = 'tokenEmbeddings.useRandomInit';
const USE_RANDOM_INIT = 'Use Random Init';
const LOAD_OTHER = 'Load Other Weights…';
const OPEN_OTHER_MODEL = 'Open Another Model…';
const SELECT_TOKENIZER = 'Select Tokenizer…';

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
      tensors = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Token Embeddings: reading ${baseName(path)}` }, () =>
        this.engine.call('tensors', { path }, { channel: 'weightsTensors' }),
      );
    } catch (e) {
      const message = describeEngineError(e);
      // The user's file, not our failure: a warning in the log, the reason in the notification.
      this.log.warn(`load weights ${path}: ${message}`);
      void vscode.window.showErrorMessage(`Token Embeddings: cannot use ${baseName(path)} — ${message}`);
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
    // An open model would take precedence over the file: close it, keeping its tokenizer.
    const chosen: Partial<HostSettings> = { weightsPath: path, tokenTensor, positionTensor, ...keepModelTokenizer(this.config.settings) };
    // Load the new source in the worker before touching the settings: a file that cannot be used (wrong
    // vocabulary, rank, dtype…) is reported there and the previous, working source stays active.
    if (!(await switchSources({ engine: this.engine, config: this.config, log: this.log }, chosen, baseName(path)))) return false;
    this.log.info(
      `weights: ${path} (token tensor ${tokenTensor || tensors.detected.tokenTensor}, position tensor ${positionTensor || tensors.detected.positionTensor || 'none'})`,
    );
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
        `Token Embeddings: ${baseName(tensors.path)} has no readable 2-D tensor (F32, F16, BF16 or F64) to use as the token embedding table.`,
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
      title: `Token Embeddings: ${role === 'token' ? 'token' : 'positional'} embedding tensor of ${baseName(tensors.path)}`,
      placeHolder: role === 'token' ? 'Which tensor holds one row per vocabulary token?' : 'Which tensor holds one row per position?',
      matchOnDescription: true,
    });
    return picked === undefined ? undefined : picked.tensor;
  }

  /**
   * Back to the seeded random tables. The tokenizer stays: an open model's own tokenizer is kept by naming the
   * model as the tokenizer path (its tokenizer.json folder, or the .gguf), and the message says so.
   */
  async useRandomInit(): Promise<void> {
    const s = this.config.settings;
    if (s.weightsPath === '' && s.modelPath === '') return;
    const change: Partial<HostSettings> = { weightsPath: '', tokenTensor: '', positionTensor: '', ...keepModelTokenizer(s) };
    if (!(await switchSources({ engine: this.engine, config: this.config, log: this.log }, change, `the random init (seed ${s.seed})`))) return;
    const tokenizer = tokenizerName(tokenizerSourceOf(this.config.settings));
    void vscode.window.showInformationMessage(`Token Embeddings: the tables are the random init (seed ${s.seed}) now; the tokenizer stays ${tokenizer}.`);
  }
}

/**
 * An inspection with a user's source failed (a weights file of the wrong vocabulary size, rank or dtype, a
 * missing file, a broken model or tokenizer.json…): an error notification naming the source, with the ways
 * back — the random init, another file, another tokenizer. False when the built-in sources were in use.
 */
export function reportWeightsError(settings: EmbeddingSettings, message: string): boolean {
  const { weights, tokenizer } = settings;
  const ways: [string, string][] = [];
  let what: string;
  if (weights.kind === 'model') {
    what = `the model ${pathName(weights.path)} cannot be used`;
    ways.push([USE_RANDOM_INIT, USE_RANDOM_INIT_COMMAND], [OPEN_OTHER_MODEL, OPEN_MODEL_COMMAND]);
  } else if (weights.kind === 'file') {
    what = `the weights in ${baseName(weights.path)} cannot be used`;
    ways.push([USE_RANDOM_INIT, USE_RANDOM_INIT_COMMAND], [LOAD_OTHER, LOAD_WEIGHTS_COMMAND]);
    if (tokenizer.kind !== 'encoding') ways.push([SELECT_TOKENIZER, SELECT_TOKENIZER_COMMAND]);
  } else if (tokenizer.kind !== 'encoding') {
    what = `the tokenizer ${pathName(tokenizer.path)} cannot be used`;
    ways.push([SELECT_TOKENIZER, SELECT_TOKENIZER_COMMAND]);
  } else return false;
  void vscode.window.showErrorMessage(`Token Embeddings: ${what} — ${message}`, ...ways.map(([label]) => label)).then((choice) => {
    const command = ways.find(([label]) => label === choice)?.[1];
    if (command) void vscode.commands.executeCommand(command);
  });
  return true;
}
