/**
 * Hovers on tokens in any editor. The worker answers `tokenAt` from its cached tokenization of the
 * whole document (per uri + version), so the hover agrees exactly with tokenizing the whole document
 * and costs a binary search after the first one; the document's text crosses to the worker only when
 * it holds a different version. VS Code's cancellation token aborts the request (the `hover` channel
 * also supersedes a previous hover still in flight).
 */
import * as vscode from 'vscode';
import type { Configuration } from './config';
import { DocumentTooLargeError, type DocumentSync } from './documentSync';
import { describeEngineError, isCancellation } from './engine';
import { isFollowable, snapshot } from './editors';
import { INSPECT_TOKEN_COMMAND, renderHoverMarkdown } from './hoverContent';
import { toEmbeddingSettings, tokenizerSourceOf } from './settings';
import { tokenizerName } from './sourceNames';
import type { Engine } from './engine';
import { hoverNeighborsLine } from './hoverNeighbors';

/** The first hover of a large document includes its tokenization. */
const HOVER_TIMEOUT_MS = 60_000;

export class TokenHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: DocumentSync,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
    /** For the optional nearest-tokens line (tokenEmbeddings.hover.neighbors). */
    private readonly engine?: Engine,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const settings = this.config.settings;
    if (!settings.hoverEnabled || !isFollowable(doc) || token.isCancellationRequested) return undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await this.documents.call(
        'tokenAt',
        snapshot(doc),
        (document) => ({ document, offset: doc.offsetAt(position), settings: toEmbeddingSettings(settings) }),
        { channel: 'hover', signal: controller.signal, timeoutMs: HOVER_TIMEOUT_MS },
      );
      if (result.status !== 'ok' || token.isCancellationRequested) return undefined;
      const tokenizer = tokenizerName(tokenizerSourceOf(settings));
      let text = renderHoverMarkdown({ result, tokenizer, documentUri: doc.uri.toString() });
      if (settings.hoverNeighbors && this.engine) {
        try {
          text += `\n\n${await hoverNeighborsLine(this.engine, toEmbeddingSettings(settings), result.token.id, controller.signal)}`;
        } catch (e) {
          if (token.isCancellationRequested) return undefined;
          if (!isCancellation(e)) this.log.warn(`hover: nearest tokens: ${describeEngineError(e)}`);
        }
      }
      const markdown = new vscode.MarkdownString(text);
      // Token text is escaped document content; the only thing trusted is our own command link.
      markdown.isTrusted = { enabledCommands: [INSPECT_TOKEN_COMMAND] };
      markdown.supportHtml = false;
      markdown.supportThemeIcons = false;
      const range = new vscode.Range(doc.positionAt(result.token.start), doc.positionAt(result.token.end));
      return new vscode.Hover(markdown, range);
    } catch (e) {
      if (e instanceof DocumentTooLargeError) return new vscode.Hover(new vscode.MarkdownString().appendText(e.message));
      if (!isCancellation(e)) this.log.error(`hover: ${describeEngineError(e)}`);
      return undefined;
    } finally {
      subscription.dispose();
    }
  }
}
