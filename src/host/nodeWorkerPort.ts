/**
 * Engine workers on the desktop: a Node `worker_threads` Worker running the bundled dist/worker.js.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerStarter } from './workerPort';

/**
 * @param workerScript absolute path of the worker bundle (dist/worker.js, or the test build with hooks)
 * @param resourceLimits e.g. a heap cap, so a runaway request crashes the worker instead of the host
 */
export function nodeWorkerStarter(workerScript: string, resourceLimits?: ResourceLimits): WorkerStarter {
  return (events) => {
    const worker = new Worker(workerScript, { resourceLimits });
    worker.on('message', events.message);
    worker.on('error', events.error);
    worker.on('exit', events.exit);
    return {
      label: `thread ${worker.threadId}`,
      post: (message, transfer) => worker.postMessage(message, transfer ?? []),
      terminate: async () => {
        await worker.terminate();
      },
    };
  };
}
