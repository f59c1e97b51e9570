/// <reference types="mocha" />
// Integration tests run by @vscode/test-cli inside a downloaded VS Code (`npm run test:integration`,
// needs internet). The extension under development is loaded from this repository's dist/.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'token-embeddings.token-embeddings';
const INSPECT = 'tokenEmbeddings.inspectSelection';

suite('Token Embeddings in VS Code', () => {
  test('the manifest contributes Inspect Selection to the command palette', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string; title: string }[] } }).contributes.commands;
    assert.ok(contributed.some((c) => c.command === INSPECT && c.title === 'Inspect Selection'));
  });

  test('Inspect Selection runs on a selection and activates the extension', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the samples folder is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'the-verdict.txt'));
    const editor = await vscode.window.showTextDocument(document);
    const firstLine = document.lineAt(0);
    editor.selection = new vscode.Selection(firstLine.range.start, firstLine.range.end);
    assert.equal(document.getText(editor.selection).slice(0, 20), 'I HAD always thought');

    await vscode.commands.executeCommand(INSPECT);

    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension?.isActive, 'running the command activated the extension');
    assert.ok((await vscode.commands.getCommands(true)).includes(INSPECT), 'the command is registered');
  });
});
