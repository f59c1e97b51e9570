/**
 * What EngineClient needs of an engine worker, whatever runs it: a Node `worker_threads` Worker on the desktop
 * (nodeWorkerPort.ts) or a Web Worker in VS Code for the Web (webWorkerPort.ts). Keeping the client on this
 * small interface is what lets one EngineClient — crash restarts, time limits, supersession — serve both builds.
 */
import type { RpcMessage } from '../shared/rpc';

export interface WorkerEvents {
  message(message: RpcMessage): void;
  /** An uncaught error inside the worker; an `exit` follows (the worker is gone). */
  error(error: Error): void;
  /** The worker stopped: on its own (crash, out of memory) or after terminate(). */
  exit(code: number): void;
}

export interface WorkerPort {
  /** For logs: which worker this is (e.g. "thread 3"). */
  readonly label: string;
  post(message: RpcMessage, transfer?: ArrayBuffer[]): void;
  terminate(): Promise<void>;
}

/** Starts one worker and wires its events; throws (or rejects) when it cannot be started. */
export type WorkerStarter = (events: WorkerEvents) => WorkerPort | Promise<WorkerPort>;
