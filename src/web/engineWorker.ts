/**
 * Engine worker entry of the browser build (dist/web/worker.js, VS Code for the Web). The same EngineService
 * as the desktop worker (serveEngine.ts); what differs is the port — a Web Worker's global scope — and files:
 * a Web Worker cannot read the extension's rank files or the user's weights, so the engine's file module is
 * files.web.ts (esbuild.mjs swaps it in), which throws FileNeededError for a file it does not hold yet. Each
 * request that hits one asks the extension host for the file over the same port (HostFileMethods), stores it,
 * and runs again.
 */
import { EngineService } from '../engine/service';
import { defaultEngineDependencies } from '../engine/defaultDependencies';
import { withFilesFromHost } from './filesFromHost';
import { RpcClient, RpcServer, type Transport } from '../shared/rpc';
import type { EngineMethods, HostFileMethods } from '../shared/engineProtocol';
import type { RpcMessage } from '../shared/rpc';

interface WorkerScope {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: RpcMessage }) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const transport: Transport = { post: (message, transfer) => scope.postMessage(message, transfer ?? []) };
const host = new RpcClient<HostFileMethods>(transport);
const service = new EngineService(defaultEngineDependencies());

const server = new RpcServer<EngineMethods>(
  transport,
  withFilesFromHost(service.handlers, (file) => host.call('readFile', file)),
);
scope.addEventListener('message', (event) => {
  // One port, two conversations: the host's requests to the engine, and the host's replies to our file requests.
  if (!host.handle(event.data)) void server.handle(event.data);
});
