import type * as vscode from 'vscode';

/** Schemes whose documents are not the user's text (logs, diffs' internals, the settings UI). */
const IGNORED_SCHEMES = new Set(['output', 'debug', 'vscode-settings', 'git', 'comment', 'vscode-scm']);

/** Whether hovers, the status bar, the sidebar and highlighting should act on this document. */
export function isFollowable(doc: vscode.TextDocument): boolean {
  return !IGNORED_SCHEMES.has(doc.uri.scheme);
}

export function snapshot(doc: vscode.TextDocument): { uri: string; version: number; getText(): string } {
  return { uri: doc.uri.toString(), version: doc.version, getText: () => doc.getText() };
}
