/**
 * Serves the EngineService over the worker thread's parent port. The production entry (engineWorker.ts) serves
 * the engine's methods only; the test worker entry (test/support/hookedWorker.ts, built outside production
 * bundles) adds its failure-injection methods through `extraHandlers`, so no test code ships in dist/worker.js.
 */
import { parentPort } from 'node:worker_threads';
import { EngineService } from '../engine/service';
import { defaultEngineDependencies } from '../engine/defaultDependencies';
import { RpcServer, type Handlers, type MethodMap, type Transport } from '../shared/rpc';
import type { EngineMethods } from '../shared/engineProtocol';
import type { RpcMessage } from '../shared/rpc';

export function serveEngine<X extends MethodMap<X> = Record<never, never>>(extraHandlers?: (service: EngineService) => Handlers<X>): void {
  const port = parentPort;
  if (!port) throw new Error('the engine worker must be started as a worker thread');
  const service = new EngineService(defaultEngineDependencies());
  const transport: Transport = { post: (message, transfer) => port.postMessage(message, transfer ?? []) };
  const handlers = { ...service.handlers, ...extraHandlers?.(service) } as Handlers<EngineMethods & X>;
  const server = new RpcServer<EngineMethods & X>(transport, handlers);
  port.on('message', (message: RpcMessage) => void server.handle(message));
}
