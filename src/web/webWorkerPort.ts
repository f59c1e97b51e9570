/**
 * Engine workers in VS Code for the Web. The web extension host may not start a Worker from the extension's
 * own URL (microsoft/vscode#168942: "Creating workers from remote extensions is currently not supported"),
 * so the worker bundle (dist/web/worker.js) is read with workspace.fs once and started from a Blob URL.
 *
 * The worker has no file system: it asks for files over the same port (HostFileMethods), and this side answers
 * from workspace.fs — the extension's own rank files, and the user's weights file (whole-file reads, bounded by
 * MAX_WEB_WEIGHTS_FILE_BYTES: workspace.fs has no ranged reads).
 */
import * as vscode from 'vscode';
import type { HostFileMethods, NeededFile } from '../shared/engineProtocol';
import type { RpcMessage } from '../shared/rpc';
import { MAX_WEB_WEIGHTS_FILE_BYTES } from '../shared/limits';
import { RpcError, RpcServer, type Transport } from '../shared/rpc';
import type { WorkerStarter } from '../host/workerPort';

export function webWorkerStarter(extensionUri: vscode.Uri, uriOfWeightsPath: (path: string) => vscode.Uri): WorkerStarter {
  let scriptUrl: Promise<string> | undefined;
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const loadScript = async (): Promise<string> => {
    const code = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dist, 'web', 'worker.js'));
    return URL.createObjectURL(new Blob([code as Uint8Array<ArrayBuffer>], { type: 'text/javascript' }));
  };
  return async (events) => {
    const url = (scriptUrl ??= loadScript());
    url.catch(() => (scriptUrl = undefined)); // read it again on the next start
    const worker = new Worker(await url);
    let running = true;
    const stop = (code: number): void => {
      if (!running) return;
      running = false;
      worker.terminate();
      events.exit(code);
    };
    const transport: Transport = { post: (message, transfer) => worker.postMessage(message, transfer ?? []) };
    const files = new RpcServer<HostFileMethods>(transport, { readFile: (file) => readNeededFile(dist, file, uriOfWeightsPath) });
    worker.onmessage = (event: MessageEvent<RpcMessage>) => {
      const message = event.data;
      // One port, two conversations: replies to the host's engine requests, and the worker's file requests.
      if (message.type === 'response') events.message(message);
      else void files.handle(message);
    };
    // A Web Worker survives an uncaught error; a Node worker thread does not. Make them alike: an uncaught
    // error ends the worker, and EngineClient restarts it as after any crash.
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      events.error(new Error(event.message || 'uncaught error in the engine worker'));
      stop(1);
    };
    return {
      label: 'web worker',
      post: (message, transfer) => worker.postMessage(message, transfer ?? []),
      terminate: async () => stop(0),
    };
  };
}

async function readNeededFile(dist: vscode.Uri, file: NeededFile, uriOfWeightsPath: (path: string) => vscode.Uri): Promise<Uint8Array> {
  if (file.kind === 'bundled') {
    // Only files under dist/: the worker names them, but a path never leaves the extension's folder.
    if (file.path.split('/').some((part) => part === '..' || part === '')) {
      throw new RpcError('invalidInput', `not a file of the extension: ${file.path}`);
    }
    return vscode.workspace.fs.readFile(vscode.Uri.joinPath(dist, ...file.path.split('/')));
  }
  const uri = uriOfWeightsPath(file.path);
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch (e) {
    throw new RpcError('invalidInput', `Cannot open weights file ${file.path}: ${e instanceof Error ? e.message : String(e)}.`);
  }
  if (size > MAX_WEB_WEIGHTS_FILE_BYTES) {
    throw new RpcError(
      'invalidInput',
      `${file.path} is ${(size / 1024 ** 2).toFixed(0)} MB; VS Code for the Web reads weights files of up to ` +
        `${MAX_WEB_WEIGHTS_FILE_BYTES / 1024 ** 2} MB (it cannot read parts of a file). Use the desktop VS Code, which reads only the rows it shows.`,
    );
  }
  return vscode.workspace.fs.readFile(uri);
}
