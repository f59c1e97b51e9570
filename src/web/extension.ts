/**
 * VS Code for the Web entry (package.json `browser`, bundled to dist/web/extension.js by esbuild.mjs with
 * platform 'browser'): vscode.dev, github.dev, and code-server's web worker extension host.
 */
import type * as vscode from 'vscode';
import { activateWith } from '../extension';
import { webPlatform } from './webPlatform';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(webPlatform(context.extensionUri), context);
}

export { deactivate } from '../extension';
