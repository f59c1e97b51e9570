/**
 * What the panel and the sidebar inspect (a piece of a document) and how they run an inspection in the
 * engine worker: with a channel so newer requests supersede older ones, cancellable, with a progress
 * notification once the work takes long enough to notice.
 */
import * as vscode from 'vscode';
import type { EmbeddingSettings } from '../shared/embeddingTypes';
import { toViewResult, type PanelState } from '../shared/webviewProtocol';
import type { CallOptions } from '../shared/rpc';
import type { PaintPreviewRequest } from '../shared/paintPreview';
import type { Configuration } from './config';
import type { Engine } from './engine';
import { progressWhileSlow } from './progress';

export interface InspectionSource {
  documentUri: string;
  documentLabel: string;
  /** Document version at inspection time (reveal warns if the document changed since). */
  documentVersion: number;
  /** UTF-16 offset of `text` inside the document. */
  textOffset: number;
  text: string;
}

export function sourceFromEditor(editor: vscode.TextEditor): InspectionSource {
  const doc = editor.document;
  const sel = editor.selection;
  // Nothing selected: the whole document.
  const range = sel.isEmpty ? new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)) : sel;
  return sourceFromRange(doc, range);
}

export function sourceFromRange(doc: vscode.TextDocument, range: vscode.Range): InspectionSource {
  return {
    documentUri: doc.uri.toString(),
    documentLabel: labelOf(doc),
    documentVersion: doc.version,
    textOffset: doc.offsetAt(range.start),
    text: doc.getText(range),
  };
}

export function labelOf(doc: vscode.TextDocument): string {
  const name = doc.isUntitled ? doc.uri.path : doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
  return name || doc.uri.toString();
}

/** Special-token text such as `<|endoftext|>`, which is plain text unless allowSpecialTokens is on. */
const SPECIAL_TOKEN_TEXT = /<\|[a-z_]+\|>/;

export interface InputNote {
  text: string;
  /** The note's fix, offered as its button: turn tokenEmbeddings.allowSpecialTokens on. */
  offersSpecialTokens?: true;
}

/** Notes worth telling the user about the inspected text (never blocking: nothing is dropped). */
export function inputNotes(text: string, settings: EmbeddingSettings): InputNote[] {
  const notes: InputNote[] = [];
  if (text.includes('\u0000')) {
    notes.push({ text: 'The text contains NUL bytes (a binary file?). It is tokenized byte-exactly as the editor decoded it.' });
  }
  const special = text.match(SPECIAL_TOKEN_TEXT);
  if (special && !settings.allowSpecial) {
    notes.push({
      text: `The text contains ${special[0]}, which is tokenized as plain text. Turn on "tokenEmbeddings.allowSpecialTokens" to read it as the special token (one ID).`,
      offersSpecialTokens: true,
    });
  }
  return notes;
}

const TURN_ON_SPECIAL = 'Turn On Special Tokens';

/** Shows a note; the special-token one offers to turn the setting on (every view then reads it as one ID). */
export async function showInputNote(note: InputNote, config: Configuration): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`Token Embeddings: ${note.text}`, ...(note.offersSpecialTokens ? [TURN_ON_SPECIAL] : []));
  if (choice === TURN_ON_SPECIAL) await config.updateGroup({ allowSpecialTokens: true });
}

/**
 * Runs `inspect` in the worker. With `progressTitle`, a cancellable progress notification shows if the work is still
 * running after `progressDelayMs` (progress.ts; short jobs flash nothing); cancelling it aborts the call.
 */
export async function runInspection(
  engine: Engine,
  source: InspectionSource,
  settings: EmbeddingSettings,
  page: { firstToken: number; maxTokens: number; selectedRow: number | null; preview?: PaintPreviewRequest },
  options: { channel: string; controller: AbortController; progressTitle?: string; progressDelayMs?: number },
): Promise<PanelState> {
  const call: CallOptions = { channel: options.channel, signal: options.controller.signal };
  const preview = page.preview ? { preview: page.preview } : {};
  const work = engine.call('inspect', { text: source.text, settings, firstToken: page.firstToken, maxTokens: page.maxTokens, ...preview }, call);
  if (options.progressTitle !== undefined) progressWhileSlow(work, options.progressTitle, () => options.controller.abort(), options.progressDelayMs);
  const result = toViewResult(await work);
  return {
    documentUri: source.documentUri,
    documentLabel: source.documentLabel,
    textOffset: source.textOffset,
    textLength: source.text.length,
    settings,
    result,
    selectedRow: page.selectedRow !== null && page.selectedRow < result.tokens.length ? page.selectedRow : null,
  };
}

/** Opens the document (in its existing editor if visible) and selects `[start, end)` document offsets. */
export async function revealInDocument(uri: string, start: number, end: number, expectedVersion: number | undefined): Promise<void> {
  const target = vscode.Uri.parse(uri);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  const doc = visible?.document ?? (await vscode.workspace.openTextDocument(target));
  const length = doc.getText().length;
  if (end > length) {
    void vscode.window.showWarningMessage(
      'Token Embeddings: that token is beyond the end of the document (it changed since it was inspected). Inspect again to refresh.',
    );
    return;
  }
  if (expectedVersion !== undefined && doc.version !== expectedVersion) {
    void vscode.window.showWarningMessage(
      'Token Embeddings: the document changed since it was inspected; the selected range may be off. Inspect again to refresh.',
    );
  }
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
