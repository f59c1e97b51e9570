/**
 * The inspector: ONE reusable webview panel beside the editor. Inspecting again retargets it instead
 * of opening another: the heatmaps of several 256-wide tables per panel are heavy, the panel is a
 * "what am I looking at now" view (like the built-in Markdown preview's default), and one panel keeps
 * the worker's `panel` channel meaning "the newest inspection" — older ones are superseded.
 *
 * The panel does not retain its DOM when hidden; it replays its last state when the webview posts
 * `ready` again, which also covers a reload of the webview.
 */
import * as vscode from 'vscode';
import type { EmbeddingSettings } from '../shared/embeddingTypes';
import type { InspectParams } from '../shared/engineProtocol';
import type { PaintPreviewRequest } from '../shared/paintPreview';
import { assertNever } from '../shared/assertNever';
import type { HostToPanel, PanelMethods, PanelState, PanelToHost } from '../shared/webviewProtocol';
import type { Configuration } from './config';
import { describeEngineError, isCancellation, type Engine } from './engine';
import { Disposable, DisposableStore } from './disposable';
import { inputNotes, revealInDocument, runInspection, showInputNote, sourceFromRange, type InspectionSource } from './inspection';
import { parsePanelRestore, restoredOverrides, type RestoredPanel } from './panelRestore';
import { toEmbeddingSettings } from './settings';
import { panelRequestHandlers } from './analysisActions';
import { differsFromSettings, type PanelChanges } from './panelChanges';
import { parsePanelMessage, type ChangeSettings } from './webviewMessages';
import { RpcServer } from '../shared/rpc';
import { WebviewEndpoint, panelHost, webviewOptions } from './webview/webviewEndpoint';
import { LOAD_WEIGHTS_COMMAND, USE_RANDOM_INIT_COMMAND, reportWeightsError } from './weightsCommands';

export const PANEL_VIEW_TYPE = 'tokenEmbeddings.inspector';

type PanelMessage = Exclude<PanelToHost, { type: 'ready' | 'cspViolation' }>;

/** The open panel and what lives as long as it does. */
interface OpenPanel {
  panel: vscode.WebviewPanel;
  endpoint: WebviewEndpoint<PanelToHost, HostToPanel>;
  lifetime: DisposableStore;
}

/** Where the panel's last viewMetrics are remembered (globalState). */
const VIEW_METRICS_KEY = 'tokenEmbeddings.panelViewMetrics';

/** The remembered viewMetrics, checked like the message they came from; a pixel ratio of 1 without colours if none. */
function rememberedViewMetrics(stored: unknown): { pixelRatio: number; lut?: readonly number[] } {
  const parsed = typeof stored === 'object' && stored !== null ? parsePanelMessage({ ...stored, type: 'viewMetrics' }) : undefined;
  return parsed?.ok && parsed.message.type === 'viewMetrics' ? { pixelRatio: parsed.message.pixelRatio, lut: parsed.message.lut } : { pixelRatio: 1 };
}

export class InspectorPanel extends Disposable {
  private open: OpenPanel | undefined;
  private source: InspectionSource | undefined;
  /** Panel-local settings changed from the panel's own controls; reset when the user settings change. */
  private overrides: ChangeSettings = {};
  private seedOverride: string | undefined;
  private firstToken = 0;
  private selectedRow: number | null = null;
  private state: PanelState | undefined;
  /**
   * What the panel last said about its pixels (viewMetrics): each inspection asks the engine for a paint
   * preview planned for its pixel ratio (1 until it said, the common case) and painted with its colours.
   * Remembered across windows (`memory`): a window's first inspection starts before its new panel has loaded and
   * said anything, and would otherwise get no pixels. A remembered one that no longer fits (another theme or
   * screen) is only a preview the panel ignores, and the panel's own report replaces it.
   */
  private paint: { pixelRatio: number; lut?: readonly number[] };
  private running: AbortController | undefined;
  /** The panel's requests: analysis tabs, export, Copy as PyTorch, nearest tokens (src/host/analysisActions.ts). */
  private readonly requests: RpcServer<PanelMethods>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: Engine,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
    private readonly memory: vscode.Memento,
  ) {
    super();
    this.paint = rememberedViewMetrics(memory.get(VIEW_METRICS_KEY));
    this.requests = new RpcServer<PanelMethods>(
      { post: (m) => this.post(m as HostToPanel) },
      panelRequestHandlers(engine, log, { state: () => this.state, inspect: () => this.inspectParams(), changes: () => this.changes() }, config),
    );
    this._register(
      config.onDidChange(() => {
        this.overrides = {};
        this.seedOverride = undefined;
        if (this.open && this.source) void this.recompute();
      }),
    );
    // After a window reload VS Code hands back the panel it had open (activation event onWebviewPanel:…).
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, stored: unknown) => this.restore(panel, stored),
      }),
    );
    this._register({ dispose: () => this.close() });
  }

  /**
   * Takes over a panel VS Code restored after a window reload: the webview repaints its stored state at once,
   * and the host inspects the same range of the same document with the same settings again, so the panel
   * is live (paging, analyses, settings) instead of a picture. Returns once the panel is attached; the
   * inspection runs on. If it cannot be redone (the document is gone or shorter), the panel says so.
   */
  restore(panel: vscode.WebviewPanel, stored: unknown): void {
    if (this.open) {
      panel.dispose(); // one inspector panel: the live one wins
      return;
    }
    this.attach(panel);
    const parsed = parsePanelRestore(stored);
    if (!parsed.ok) {
      this.log.info(`panel: restored without an inspection: ${parsed.error}`);
      this.post({ type: 'error', message: 'This panel was restored without its inspection. Select text and run “Token Embeddings: Inspect Selection”.' });
      return;
    }
    // The restored panel is usable at once (it draws its stored state), long before the host has re-inspected
    // (a source named in the settings may take seconds to load): what the user does in it meanwhile — a page, a
    // row, a control — is newer than the stored state and is kept (see reinspect).
    this.firstToken = parsed.message.restore.firstToken;
    this.selectedRow = parsed.message.selectedRow;
    void this.reinspect(parsed.message);
  }

  private async reinspect({ restore }: RestoredPanel): Promise<void> {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(restore.documentUri, true));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.log.warn(`panel: cannot reopen ${restore.documentUri} after the reload: ${why}`);
      this.post({ type: 'error', message: `The inspected document could not be opened again (${why}). Inspect a selection to refresh the panel.` });
      return;
    }
    const end = restore.textOffset + restore.textLength;
    if (end > doc.getText().length) {
      this.post({
        type: 'error',
        message: 'The inspected document is shorter than it was; the panel shows the old inspection. Inspect a selection to refresh it.',
      });
      return;
    }
    if (!this.open) return; // closed meanwhile
    await this.config.settled(); // a source named in the settings loads first: the overrides are against what the views use
    if (!this.open) return;
    const { overrides, seed } = restoredOverrides(restore.settings, toEmbeddingSettings(this.config.settings));
    this.source = sourceFromRange(doc, new vscode.Range(doc.positionAt(restore.textOffset), doc.positionAt(end)));
    // The stored settings as overrides of today's settings, under the controls changed since the restore.
    this.overrides = { ...overrides, ...this.overrides };
    this.seedOverride ??= seed;
    this.state = undefined;
    await this.recompute();
  }

  /** Shows `source` in the panel (creating it beside the editor if needed). */
  async inspect(source: InspectionSource, selectRow: number | null = null, firstToken = 0): Promise<void> {
    this.source = source;
    this.firstToken = firstToken;
    this.selectedRow = selectRow;
    this.state = undefined;
    this.ensurePanel();
    const settings = this.effectiveSettings();
    for (const note of inputNotes(source.text, settings)) {
      this.log.info(note.text);
      void showInputNote(note, this.config);
    }
    await this.recompute();
  }

  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** The last state shown (for tests and the sidebar's "open panel"). */
  get currentState(): PanelState | undefined {
    return this.state;
  }

  /** The inspect parameters of what the panel shows (what its requests are computed from). */
  private inspectParams(): InspectParams | undefined {
    const s = this.state;
    return s && this.source
      ? { text: this.source.text, settings: s.settings, firstToken: s.result.firstToken, maxTokens: this.config.settings.maxTokens }
      : undefined;
  }

  /** What the panel's own controls changed (the seed counts only while the settings pick the random init). */
  private changes(): PanelChanges {
    const random = toEmbeddingSettings(this.config.settings).weights.kind === 'random';
    return { overrides: this.overrides, seed: random ? this.seedOverride : undefined };
  }

  private effectiveSettings(): EmbeddingSettings {
    const base = toEmbeddingSettings(this.config.settings);
    const seed = this.seedOverride;
    return { ...base, ...this.overrides, weights: seed !== undefined && base.weights.kind === 'random' ? { kind: 'random', seed } : base.weights };
  }

  private ensurePanel(): void {
    if (this.open) {
      this.open.endpoint.reveal();
      return;
    }
    this.attach(
      vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        'Token Embeddings',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
      ),
    );
  }

  /** Makes `panel` (new, or restored by VS Code) this inspector's panel. */
  private attach(panel: vscode.WebviewPanel): void {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    const lifetime = new DisposableStore();
    const endpoint = lifetime.add(
      new WebviewEndpoint<PanelToHost, HostToPanel>(panelHost(panel), {
        extensionUri: this.extensionUri,
        bundle: 'panel',
        title: 'Token Embeddings',
        log: this.log,
        parse: parsePanelMessage,
        onMessage: (m) => this.onMessage(m),
        currentState: () => (this.state ? { type: 'state', state: this.state } : undefined),
        onReadyWithoutState: () => {
          if (this.running) endpoint.post({ type: 'busy', busy: true });
        },
      }),
    );
    lifetime.add(panel.onDidDispose(() => this.close()));
    this.open = { panel, endpoint, lifetime };
  }

  /**
   * The panel closed (or the extension stops): stop its work and forget what it showed, with its own control
   * changes — they were "for this panel only": the next panel starts from the settings (a restored one from its
   * stored settings, see reinspect).
   */
  private close(): void {
    const open = this.open;
    this.open = undefined;
    this.running?.abort();
    this.requests.cancelAll();
    this.state = undefined;
    this.source = undefined;
    this.overrides = {};
    this.seedOverride = undefined;
    open?.lifetime.dispose();
    open?.panel.dispose();
  }

  /** A new request each time: the engine call transfers its typed arrays (the LUT) to the worker. */
  private previewRequest(): PaintPreviewRequest {
    const { pixelRatio, lut } = this.paint;
    return lut ? { pixelRatio, lut: Uint8ClampedArray.from(lut) } : { pixelRatio };
  }

  private post(message: HostToPanel): void {
    this.open?.endpoint.post(message);
  }

  private async recompute(): Promise<void> {
    const source = this.source;
    if (!source || !this.open) return;
    this.running?.abort();
    // The state the panel's requests were computed from is about to change: stop them (the panel asks again).
    this.requests.cancelAll();
    const controller = new AbortController();
    this.running = controller;
    const settings = this.effectiveSettings();
    this.open.panel.title = `Tokens: ${source.documentLabel}`;
    this.post({ type: 'busy', busy: true, message: `Tokenizing ${source.text.length.toLocaleString('en-US')} characters…` });
    try {
      const state = await runInspection(
        this.engine,
        source,
        settings,
        {
          firstToken: this.firstToken,
          maxTokens: this.config.settings.maxTokens,
          selectedRow: this.selectedRow,
          preview: this.previewRequest(),
        },
        { channel: 'panel', controller, progressTitle: `Token Embeddings: inspecting ${source.documentLabel}` },
      );
      if (this.running !== controller) return;
      state.panelOnly = differsFromSettings(this.changes(), this.config.settings);
      this.state = state;
      this.firstToken = state.result.firstToken;
      this.post({ type: 'state', state });
      const r = state.result;
      if (r.totalTokens > r.tokens.length) {
        this.log.info(
          `${source.documentLabel}: ${r.totalTokens} tokens; showing ${r.firstToken + 1}–${r.firstToken + r.tokens.length} (tokenEmbeddings.maxTokens = ${this.config.settings.maxTokens}); page through the rest in the panel.`,
        );
      }
    } catch (e) {
      if (this.running !== controller) return;
      if (isCancellation(e)) {
        this.post({ type: 'busy', busy: false, message: 'Cancelled' });
        return;
      }
      const message = describeEngineError(e);
      this.post({ type: 'error', message });
      // An unusable weights file is the user's input, not our failure: a warning plus a notification with the way back.
      if (reportWeightsError(settings, message)) this.log.warn(`inspect failed (weights file): ${message}`);
      else {
        this.log.error(`inspect failed: ${message}`);
        void vscode.window.showErrorMessage(`Token Embeddings: ${message}`);
      }
    } finally {
      if (this.running === controller) {
        this.running = undefined;
        this.post({ type: 'busy', busy: false });
      }
    }
  }

  private async onMessage(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'request':
      case 'cancel':
        await this.requests.handle(message);
        return;
      case 'revealToken': {
        const source = this.source;
        if (!source) return;
        if (message.end > source.text.length) {
          this.log.warn(`panel: revealToken ${message.start}–${message.end} is outside the inspected text`);
          return;
        }
        await revealInDocument(source.documentUri, source.textOffset + message.start, source.textOffset + message.end, source.documentVersion);
        return;
      }
      case 'changeSettings':
        this.overrides = { ...this.overrides, ...message.settings };
        if (message.settings.tokenizer !== undefined || message.settings.allowSpecial !== undefined) this.firstToken = 0;
        await this.recompute();
        return;
      case 'changeSeed':
        this.seedOverride = message.seed;
        await this.recompute();
        return;
      case 'page': {
        const total = this.state?.result.totalTokens;
        if (total !== undefined && message.firstToken >= Math.max(1, total)) {
          this.log.warn(`panel: page ${message.firstToken} is past the last token (${total})`);
          return;
        }
        this.firstToken = message.firstToken;
        this.selectedRow = null;
        await this.recompute();
        return;
      }
      case 'cancelInspection':
        this.running?.abort();
        return;
      case 'selectRow':
        if (message.row !== null && this.state && message.row >= this.state.result.tokens.length) return;
        this.selectedRow = message.row;
        if (this.state) this.state = { ...this.state, selectedRow: message.row };
        return;
      case 'useRandomInit':
        await vscode.commands.executeCommand(USE_RANDOM_INIT_COMMAND);
        return;
      case 'loadWeights':
        await vscode.commands.executeCommand(LOAD_WEIGHTS_COMMAND);
        return;
      case 'viewMetrics':
        this.paint = { pixelRatio: message.pixelRatio, lut: message.lut };
        void this.memory.update(VIEW_METRICS_KEY, this.paint);
        return;
      default:
        assertNever(message, 'panel message');
    }
  }
}
