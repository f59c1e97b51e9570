/**
 * Status bar: token count of the selection (or of the whole document when nothing is selected) with the
 * active tokenizer, named next to the count ("12 tokens · gpt2"), computed in the worker (the document's count comes from its cached tokenization),
 * debounced and latest-only. Clicking it inspects the selection.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { Configuration } from './config';
import { DocumentTooLargeError, type DocumentSync } from './documentSync';
import { describeEngineError, isCancellation } from './engine';
import { isFollowable, snapshot } from './editors';
import { LatestOnly } from './latest';
import { tokenizeOptionsOf } from './settings';
import { tokenizerName } from './sourceNames';

const DEBOUNCE_MS = 150;

interface Count {
  count: number;
  selection: boolean;
  /** The tokenizer that counted. */
  tokenizer: string;
}

export class TokenCountStatus extends Disposable {
  private readonly item = vscode.window.createStatusBarItem('tokenEmbeddings.tokenCount', vscode.StatusBarAlignment.Right, 100);
  private readonly latest: LatestOnly<Count | undefined>;

  constructor(
    private readonly documents: DocumentSync,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.item.name = 'Token Embeddings: token count';
    this.item.command = 'tokenEmbeddings.inspectSelection';
    this.latest = new LatestOnly<Count | undefined>(
      DEBOUNCE_MS,
      (c) => this.render(c),
      (e) => {
        if (isCancellation(e)) return;
        if (e instanceof DocumentTooLargeError) {
          this.item.text = '$(circle-slash) tokens';
          this.item.tooltip = e.message;
          this.item.show();
          return;
        }
        const message = describeEngineError(e);
        this.log.error(`status bar: ${message}`);
        this.item.text = '$(warning) tokens';
        this.item.tooltip = `Token Embeddings could not count tokens: ${message}`;
      },
    );
    this._register(this.item);
    this._register(this.latest);
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && this.update()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && this.update()));
    this._register(config.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isFollowable(editor.document)) {
      this.latest.cancel();
      this.item.hide();
      return;
    }
    const doc = editor.document;
    const selection = editor.selection;
    const options = tokenizeOptionsOf(this.config.settings);
    this.latest.schedule(async (signal) => {
      const range = selection.isEmpty ? undefined : { start: doc.offsetAt(selection.start), end: doc.offsetAt(selection.end) };
      const result = await this.documents.call('countTokens', snapshot(doc), (document) => ({ document, range, options }), { channel: 'statusBar', signal });
      return { count: result.count, selection: range !== undefined, tokenizer: tokenizerName(options.tokenizer) };
    });
  }

  private render(c: Count | undefined): void {
    if (!c) return;
    const count = `${c.count.toLocaleString('en-US')} ${c.count === 1 ? 'token' : 'tokens'}`;
    this.item.text = `$(symbol-numeric) ${count} · ${c.tokenizer}`;
    this.item.tooltip = `${count} of tokenizer ${c.tokenizer} in the ${c.selection ? 'selection' : 'document'} — click to inspect`;
    this.item.show();
  }
}
