/**
 * Engine worker entry (bundled to dist/worker.js). All tokenization and embedding work of the extension runs
 * here, off the extension host's thread; the host talks to it through EngineClient (src/host/engineClient.ts).
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { EngineService } from '../engine/service';
import { defaultEngineDependencies } from '../engine/defaultDependencies';
import { RpcServer, type Handlers, type Transport } from '../shared/rpc';
import type { EngineMethods, EngineWorkerData, RpcMessage } from '../shared/engineProtocol';
import { testHookHandlers, type TestHookMethods } from './testHooks';

const port = parentPort;
if (!port) throw new Error('engineWorker.js must be started as a worker thread');

const data = (workerData ?? {}) as EngineWorkerData;
const service = new EngineService(defaultEngineDependencies());
const transport: Transport = { post: (message, transfer) => port.postMessage(message, transfer ?? []) };

let handlers: Handlers<EngineMethods> | Handlers<EngineMethods & TestHookMethods> = service.handlers;
if (data.testHooks === true) {
  handlers = { ...service.handlers, ...testHookHandlers(() => service.stats(), threadId, (code) => process.exit(code)) };
}
const server = new RpcServer<EngineMethods & TestHookMethods>(transport, handlers as Handlers<EngineMethods & TestHookMethods>);
port.on('message', (message: RpcMessage) => void server.handle(message));
