/**
 * Open-model sources: "Select Tokenizer…" (built-in encodings, recent tokenizer.json files and folders, open
 * another), "Select Encoding…" (the built-in ones only) and "Open Model…" (a Hugging Face folder or a .gguf).
 * Each choice is loaded in the worker first and written to the settings as one change (sourceSwitch.ts), so
 * every view follows it and a file that cannot be used leaves the previous source active. Recently used paths
 * are remembered in the global state.
 */
import * as vscode from 'vscode';
import { ENCODINGS } from '../shared/embeddingTypes';
import type { Configuration } from './config';
import { Disposable } from './disposable';
import type { Engine } from './engine';
import type { HostPlatform } from './platform';
import { modelChange, modelItems, tokenizerChange, tokenizerItems, ENCODING_DETAILS, type SourceAction, type SourceItem } from './sourceChoice';
import { pathName, remember } from './sourceNames';
import { switchSources, type SwitchDeps } from './sourceSwitch';

export const SELECT_TOKENIZER_COMMAND = 'tokenEmbeddings.selectTokenizer';
export const SELECT_ENCODING_COMMAND = 'tokenEmbeddings.selectEncoding';
export const OPEN_MODEL_COMMAND = 'tokenEmbeddings.openModel';
/**
 * Context key for the `when` clauses of Open Model…: true where the engine reads model files (the Node extension
 * host). Not `isWeb`: code-server and other browser workbenches with a remote Node extension host are "web" too,
 * yet open models fine; only the browser extension host (vscode.dev, github.dev) cannot.
 */
export const CAN_OPEN_MODELS_CONTEXT = 'tokenEmbeddings.canOpenModels';
const RECENT_TOKENIZERS = 'tokenEmbeddings.recentTokenizers';
const RECENT_MODELS = 'tokenEmbeddings.recentModels';

type Item = vscode.QuickPickItem & { action?: SourceAction };

function quickPickItems(items: readonly SourceItem[]): Item[] {
  return items.map((i) =>
    i.separator
      ? { label: i.label, kind: vscode.QuickPickItemKind.Separator }
      : { label: i.label, description: i.description, detail: i.detail, action: i.action },
  );
}

export class SourceCommands extends Disposable {
  private readonly deps: SwitchDeps;

  constructor(
    engine: Engine,
    private readonly config: Configuration,
    log: vscode.LogOutputChannel,
    private readonly state: vscode.Memento,
    private readonly platform: Pick<HostPlatform, 'kind' | 'weightsPathOf' | 'uriOfWeightsPath'>,
  ) {
    super();
    this.deps = { engine, config, log };
    const uriArg = (uri: unknown) => (uri instanceof vscode.Uri ? uri : undefined);
    this._register(vscode.commands.registerCommand(SELECT_TOKENIZER_COMMAND, (uri?: unknown) => this.selectTokenizer(uriArg(uri))));
    this._register(vscode.commands.registerCommand(SELECT_ENCODING_COMMAND, () => this.selectEncoding()));
    this._register(vscode.commands.registerCommand(OPEN_MODEL_COMMAND, (uri?: unknown) => this.openModel(uriArg(uri))));
    void vscode.commands.executeCommand('setContext', CAN_OPEN_MODELS_CONTEXT, this.desktop);
  }

  private recent(key: string): string[] {
    const list = this.state.get<unknown>(key);
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  }

  /** Folders, .gguf files and ranged reads are the desktop engine's (the web worker gets whole single files through workspace.fs). */
  private get desktop(): boolean {
    return this.platform.kind === 'desktop';
  }

  /** Select Tokenizer… — or, from the Explorer's context menu of a tokenizer.json, that file directly. */
  async selectTokenizer(given?: vscode.Uri): Promise<boolean> {
    const s = this.config.settings;
    let action: SourceAction | undefined;
    if (given) action = { kind: 'path', path: this.pathOf(given) ?? '' };
    else {
      const picked = await vscode.window.showQuickPick(quickPickItems(tokenizerItems(s, this.recent(RECENT_TOKENIZERS), this.platform.kind)), {
        title: 'Token Embeddings: Select Tokenizer',
        placeHolder:
          s.modelPath !== '' ? `The open model ${pathName(s.modelPath)} uses its own tokenizer; another one closes the model` : 'Tokenizer for every view',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      action = picked?.action;
      if (action?.kind === 'openFile' || action?.kind === 'openFolder') action = await this.askPath(action.kind, 'tokenizer');
    }
    if (action?.kind !== 'encoding' && (action?.kind !== 'path' || action.path === '')) return false;
    const change = tokenizerChange(action)!;
    if (Object.entries(change).every(([k, v]) => s[k as keyof typeof s] === v)) return false;
    const name = action.kind === 'encoding' ? action.encoding : pathName(action.path);
    if (!(await switchSources(this.deps, change, `tokenizer ${name}`))) return false;
    if (action.kind === 'path') await this.state.update(RECENT_TOKENIZERS, remember(this.recent(RECENT_TOKENIZERS), action.path));
    if (s.modelPath !== '') {
      void vscode.window.showInformationMessage(`Token Embeddings: tokenizer ${name}; the model ${pathName(s.modelPath)} is closed (tables: the random init).`);
    }
    return true;
  }

  /** The built-in encodings only (kept for the settings' own command link). */
  async selectEncoding(): Promise<boolean> {
    const s = this.config.settings;
    const current = s.modelPath === '' && s.tokenizerPath === '' ? s.encoding : undefined;
    const picked = await vscode.window.showQuickPick(
      ENCODINGS.map((e) => ({ label: e, description: e === current ? '(current)' : undefined, detail: ENCODING_DETAILS[e], encoding: e })),
      { title: 'Token Embeddings: Select Encoding', placeHolder: `Current: ${current ?? 'a tokenizer file (Select Tokenizer…)'}` },
    );
    if (!picked || picked.encoding === current) return false;
    return (await switchSources(this.deps, tokenizerChange({ kind: 'encoding', encoding: picked.encoding })!, `encoding ${picked.encoding}`)) !== undefined;
  }

  /** Open Model… — or, from the Explorer's context menu of a .gguf file, that file directly. */
  async openModel(given?: vscode.Uri): Promise<boolean> {
    if (!this.desktop) {
      void vscode.window.showErrorMessage('Token Embeddings: opening a model needs the desktop VS Code (it reads the model’s files from disk).');
      return false;
    }
    let path: string | undefined;
    if (given) path = this.pathOf(given);
    else {
      const picked = await vscode.window.showQuickPick(quickPickItems(modelItems(this.config.settings, this.recent(RECENT_MODELS))), {
        title: 'Token Embeddings: Open Model',
        placeHolder: 'A Hugging Face model folder or a .gguf file: its tokenizer, token table and positions in every view',
        matchOnDescription: true,
      });
      let action = picked?.action;
      if (action?.kind === 'openFile' || action?.kind === 'openFolder') action = await this.askPath(action.kind, 'model');
      path = action?.kind === 'path' ? action.path : undefined;
    }
    if (!path || path === this.config.settings.modelPath) return false;
    if (!(await switchSources(this.deps, modelChange(path), `model ${pathName(path)}`))) return false;
    await this.state.update(RECENT_MODELS, remember(this.recent(RECENT_MODELS), path));
    return true;
  }

  private pathOf(uri: vscode.Uri): string | undefined {
    const path = this.platform.weightsPathOf(uri);
    if (path === undefined) void vscode.window.showErrorMessage(`Token Embeddings: tokenizers and models must be local files (got ${uri.toString()}).`);
    return path;
  }

  /** The open dialog for a file or a folder (a native dialog cannot offer both on Windows and Linux). */
  private async askPath(kind: 'openFile' | 'openFolder', what: 'tokenizer' | 'model'): Promise<SourceAction | undefined> {
    const folder = kind === 'openFolder';
    const current = what === 'model' ? this.config.settings.modelPath : this.config.settings.tokenizerPath;
    const uri = (
      await vscode.window.showOpenDialog({
        title: what === 'model' ? 'Token Embeddings: Open Model' : 'Token Embeddings: Select Tokenizer',
        openLabel: what === 'model' ? 'Open Model' : 'Use Tokenizer',
        canSelectMany: false,
        canSelectFiles: !folder,
        canSelectFolders: folder,
        filters: folder
          ? undefined
          : what === 'model'
            ? { GGUF: ['gguf'] }
            : this.desktop
              ? { 'Tokenizer (tokenizer.json, .gguf)': ['json', 'gguf'] }
              : { 'tokenizer.json': ['json'] },
        defaultUri: current ? this.platform.uriOfWeightsPath(current) : undefined,
      })
    )?.[0];
    const path = uri && this.pathOf(uri);
    return path ? { kind: 'path', path } : undefined;
  }
}
