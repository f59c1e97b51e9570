/**
 * Token highlighting: alternating backgrounds (theme colours `tokenEmbeddings.tokenBackground.even/odd`)
 * over the tokens of the visible lines only, so a 5 MB file costs what its viewport costs. Spans come
 * from the worker's cached whole-document tokenization (they agree with hovers and the status bar).
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { Configuration } from './config';
import { DocumentTooLargeError, type DocumentSync } from './documentSync';
import { describeEngineError, isCancellation } from './engine';
import { isFollowable, snapshot } from './editors';
import { LatestOnly } from './latest';
import { tokenizeOptionsOf } from './settings';

const DEBOUNCE_MS = 100;
/** Lines highlighted beyond the viewport, so small scrolls do not show unhighlighted text. */
const MARGIN_LINES = 20;

type Painted = { editor: vscode.TextEditor; even: vscode.Range[]; odd: vscode.Range[] }[];

export class TokenHighlighter extends Disposable {
  private enabled = false;
  private readonly even = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('tokenEmbeddings.tokenBackground.even'),
    borderRadius: '2px',
  });
  private readonly odd = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('tokenEmbeddings.tokenBackground.odd'),
    borderRadius: '2px',
  });
  private readonly latest: LatestOnly<Painted>;

  constructor(
    private readonly documents: DocumentSync,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.latest = new LatestOnly<Painted>(
      DEBOUNCE_MS,
      (painted) => {
        for (const p of painted) {
          p.editor.setDecorations(this.even, p.even);
          p.editor.setDecorations(this.odd, p.odd);
        }
      },
      (e) => {
        // A document too large to tokenize says so in its hover and status bar; nothing to paint here.
        if (!isCancellation(e) && !(e instanceof DocumentTooLargeError)) this.log.error(`highlighting: ${describeEngineError(e)}`);
      },
    );
    this._register(this.even);
    this._register(this.odd);
    this._register(this.latest);
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()));
    this._register(vscode.window.onDidChangeTextEditorVisibleRanges(() => this.refresh()));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) this.refresh();
      }),
    );
    this._register(config.onDidChange(() => this.refresh()));
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  toggle(): boolean {
    this.enabled = !this.enabled;
    void vscode.commands.executeCommand('setContext', 'tokenEmbeddings.highlighting', this.enabled);
    if (this.enabled) this.refresh();
    else this.clear();
    return this.enabled;
  }

  private clear(): void {
    this.latest.cancel();
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.even, []);
      editor.setDecorations(this.odd, []);
    }
  }

  private refresh(): void {
    if (!this.enabled) return;
    const editors = vscode.window.visibleTextEditors.filter((e) => isFollowable(e.document) && e.visibleRanges.length > 0);
    const options = tokenizeOptionsOf(this.config.settings);
    this.latest.schedule(async (signal) => {
      const painted: Painted = [];
      for (const editor of editors) {
        const doc = editor.document;
        const first = editor.visibleRanges[0].start.line;
        const last = editor.visibleRanges[editor.visibleRanges.length - 1].end.line;
        const start = doc.offsetAt(new vscode.Position(Math.max(0, first - MARGIN_LINES), 0));
        const end = doc.offsetAt(doc.lineAt(Math.min(doc.lineCount - 1, last + MARGIN_LINES)).rangeIncludingLineBreak.end);
        const result = await this.documents.call('tokenSpans', snapshot(doc), (document) => ({ document, start, end, options }), {
          channel: `highlight:${doc.uri.toString()}`,
          signal,
        });
        const even: vscode.Range[] = [];
        const odd: vscode.Range[] = [];
        const spans = result.spans;
        for (let i = 0; i < spans.length / 2; i++) {
          const s = spans[2 * i];
          const e = spans[2 * i + 1];
          if (e <= s) continue; // byte fragment sharing a character with its neighbour
          ((result.firstIndex + i) % 2 === 0 ? even : odd).push(new vscode.Range(doc.positionAt(s), doc.positionAt(e)));
        }
        painted.push({ editor, even, odd });
      }
      return painted;
    });
  }
}
