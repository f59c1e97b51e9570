import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tokenEmbeddings.inspectSelection', () => {
      void vscode.window.showInformationMessage('Token Embeddings: not built yet');
    }),
  );
}

export function deactivate(): void {}
