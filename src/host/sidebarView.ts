/**
 * The activity-bar inspector: follows the active editor's selection (or the cursor's context window
 * when nothing is selected), debounced, latest-only (LatestOnly on the host + the worker's `sidebar`
 * RPC channel, so a superseded request is cancelled in the worker too). Replays its last state when
 * its webview posts `ready` (shown again after being hidden, or reloaded).
 */
import * as vscode from 'vscode';
import { assertNever } from '../shared/assertNever';
import type { HostToSidebar, PanelState, SidebarToHost } from '../shared/webviewProtocol';
import type { Configuration } from './config';
import type { DocumentSync } from './documentSync';
import { describeEngineError, isCancellation, type Engine } from './engine';
import { isFollowable, snapshot } from './editors';
import { Disposable, DisposableStore } from './disposable';
import { revealInDocument, runInspection, sourceFromRange, type InspectionSource } from './inspection';
import type { InspectorPanel } from './inspectorPanel';
import { LatestOnly } from './latest';
import { toEmbeddingSettings } from './settings';
import { parseSidebarMessage } from './webviewMessages';
import { WebviewEndpoint, viewHost } from './webview/webviewEndpoint';

export const SIDEBAR_VIEW_ID = 'tokenEmbeddings.sidebar';
/** The sidebar is narrow: it shows at most this many tokens of a selection. */
const SIDEBAR_MAX_TOKENS = 256;
export const FOLLOW_DEBOUNCE_MS = 150;

interface Shown {
  source: InspectionSource;
  state: PanelState;
}

type SidebarMessage = Exclude<SidebarToHost, { type: 'ready' | 'cspViolation' }>;

export class SidebarView extends Disposable implements vscode.WebviewViewProvider {
  private view: { view: vscode.WebviewView; endpoint: WebviewEndpoint<SidebarToHost, HostToSidebar> } | undefined;
  private shown: Shown | undefined;
  private readonly follow: LatestOnly<Shown | undefined>;
  /** What lives as long as the current webview view. */
  private readonly viewLifetime = this._register(new DisposableStore());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: Engine,
    private readonly documents: DocumentSync,
    private readonly config: Configuration,
    private readonly panel: InspectorPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.follow = new LatestOnly<Shown | undefined>(
      FOLLOW_DEBOUNCE_MS,
      (shown) => {
        if (!shown) return;
        this.shown = shown;
        this.post({ type: 'state', state: shown.state });
      },
      (e) => {
        if (isCancellation(e)) return;
        const message = describeEngineError(e);
        this.log.error(`sidebar: ${message}`);
        this.post({ type: 'error', message });
      },
    );
    this._register(this.follow);
    for (const listener of [
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.schedule(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const editor = vscode.window.activeTextEditor;
        if (editor && e.document === editor.document) this.schedule(editor);
      }),
      config.onDidChange(() => this.schedule(vscode.window.activeTextEditor)),
    ]) {
      this._register(listener);
    }
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewLifetime.clear();
    const endpoint = this.viewLifetime.add(
      new WebviewEndpoint<SidebarToHost, HostToSidebar>(viewHost(view), {
        extensionUri: this.extensionUri,
        bundle: 'sidebar',
        title: 'Token Embeddings Sidebar',
        log: this.log,
        parse: parseSidebarMessage,
        onMessage: (m) => this.onMessage(m),
        currentState: () => (this.shown ? { type: 'state', state: this.shown.state } : undefined),
        onReadyWithoutState: () => this.schedule(vscode.window.activeTextEditor),
      }),
    );
    this.view = { view, endpoint };
    this.viewLifetime.add(
      view.onDidChangeVisibility(() => {
        if (view.visible) this.schedule(vscode.window.activeTextEditor);
      }),
    );
    this.viewLifetime.add(
      view.onDidDispose(() => {
        this.view = undefined;
        this.follow.cancel();
        this.viewLifetime.clear();
      }),
    );
    this.schedule(vscode.window.activeTextEditor);
  }

  private schedule(editor: vscode.TextEditor | undefined): void {
    if (!this.view?.view.visible || !editor || !isFollowable(editor.document)) return;
    // Capture what to inspect now; the work itself runs after the quiet period.
    const doc = editor.document;
    const selection = editor.selection;
    this.follow.schedule((signal) => this.compute(doc, selection, signal));
  }

  private async compute(doc: vscode.TextDocument, selection: vscode.Selection, signal: AbortSignal): Promise<Shown | undefined> {
    const settings = toEmbeddingSettings(this.config.settings);
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort());
    let source: InspectionSource;
    let row: number | null;
    if (!selection.isEmpty) {
      source = sourceFromRange(doc, selection);
      row = null; // resolved below from the active end once the spans are known
    } else {
      // Cursor only: the context window the cursor's token sits in, with that token selected.
      const length = doc.getText().length;
      let offset = doc.offsetAt(selection.active);
      if (offset >= length && length > 0) offset = length - 1;
      const at = await this.documents.call('tokenAt', snapshot(doc), (document) => ({ document, offset, settings }), {
        channel: 'sidebar',
        signal: controller.signal,
      });
      if (at.status !== 'ok') return undefined;
      source = sourceFromRange(doc, new vscode.Range(doc.positionAt(at.windowStart), doc.positionAt(at.windowEnd)));
      row = at.position;
    }
    const state = await runInspection(
      this.engine,
      source,
      settings,
      { firstToken: 0, maxTokens: Math.min(SIDEBAR_MAX_TOKENS, this.config.settings.maxTokens), selectedRow: row },
      { channel: 'sidebar', controller },
    );
    if (row === null) {
      // Focus the token under the selection's active end (where the cursor is).
      const active = doc.offsetAt(selection.active) - source.textOffset;
      const tokens = state.result.tokens;
      const hit = tokens.findIndex((t) => t.start <= active && active < t.end);
      state.selectedRow = hit >= 0 ? hit : active >= source.text.length && tokens.length > 0 ? tokens.length - 1 : 0;
    }
    return { source, state };
  }

  private post(message: HostToSidebar): void {
    this.view?.endpoint.post(message);
  }

  private async onMessage(message: SidebarMessage): Promise<void> {
    switch (message.type) {
      case 'openPanel':
        if (this.shown) await this.panel.inspect(this.shown.source, this.shown.state.selectedRow);
        else await vscode.commands.executeCommand('tokenEmbeddings.inspectSelection');
        return;
      case 'revealToken': {
        const shown = this.shown;
        if (!shown || message.end > shown.source.text.length) return;
        await revealInDocument(
          shown.source.documentUri,
          shown.source.textOffset + message.start,
          shown.source.textOffset + message.end,
          shown.source.documentVersion,
        );
        return;
      }
      case 'selectRow':
        if (this.shown && (message.row === null || message.row < this.shown.state.result.tokens.length)) {
          this.shown = { ...this.shown, state: { ...this.shown.state, selectedRow: message.row } };
        }
        return;
      default:
        assertNever(message, 'side view message');
    }
  }
}
