/** VS Code for the Web: the engine in a Web Worker, every file through workspace.fs. */
import * as vscode from 'vscode';
import { isUriString, type HostPlatform } from '../host/platform';
import { webWorkerStarter } from './webWorkerPort';

export function webPlatform(extensionUri: vscode.Uri): HostPlatform {
  // A weights file is named by its URI (vscode-vfs://github/…, file:// in a local folder opened in the browser).
  const uriOfWeightsPath = (path: string): vscode.Uri => (isUriString(path) ? vscode.Uri.parse(path) : vscode.Uri.file(path));
  return {
    kind: 'web',
    startWorker: webWorkerStarter(extensionUri, uriOfWeightsPath),
    homeDir: undefined,
    weightsPathOf: (uri) => uri.toString(),
    uriOfWeightsPath,
  };
}
