/**
 * The Getting Started walkthrough's one action: "Open the sample and inspect it" opens the packaged opening of
 * The Verdict (public domain) as an untitled document — the user's to edit, nothing in the install folder
 * changes — selects its first line and runs the first inspection.
 */
import * as vscode from 'vscode';

export const OPEN_SAMPLE_COMMAND = 'tokenEmbeddings.openSample';

export function registerWalkthrough(extensionUri: vscode.Uri, inspectSelection: (editor: vscode.TextEditor) => Promise<void>): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_SAMPLE_COMMAND, async () => {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', 'walkthrough', 'sample.txt'));
    const doc = await vscode.workspace.openTextDocument({ content: new TextDecoder().decode(bytes), language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const firstLine = doc.lineAt(0).range;
    editor.selection = new vscode.Selection(firstLine.start, firstLine.end);
    editor.revealRange(firstLine);
    await inspectSelection(editor);
  });
}
