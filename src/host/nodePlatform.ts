/** The desktop platform: Node worker threads over dist/worker.js, local files read by the engine itself. */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { nodeWorkerStarter } from './nodeWorkerPort';
import type { HostPlatform } from './platform';

export function nodePlatform(extensionUri: vscode.Uri): HostPlatform {
  return {
    kind: 'desktop',
    startWorker: nodeWorkerStarter(vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath),
    homeDir: homedir(),
    weightsPathOf: (uri) => (uri.scheme === 'file' ? uri.fsPath : undefined),
    uriOfWeightsPath: (path) => vscode.Uri.file(path),
  };
}
