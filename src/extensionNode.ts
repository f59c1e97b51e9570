/** Desktop entry (package.json `main`, bundled to dist/extension.js): the extension on a Node extension host. */
import type * as vscode from 'vscode';
import { activateWith } from './extension';
import { nodePlatform } from './host/nodePlatform';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(nodePlatform(context.extensionUri), context);
}

export { deactivate } from './extension';
