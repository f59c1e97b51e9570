/**
 * Extra worker methods served only by the test worker (test/support/hookedWorker.ts → dist/worker-test-hooks.js,
 * never built into production bundles). They let tests cause REAL failures in a real worker thread: a
 * process.exit, an uncaught exception, a CPU-bound handler that never yields.
 */
import type { EngineStats } from '../../src/engine/service';
import { CancellationFlag, yieldToEventLoop, type Handlers } from '../../src/shared/rpc';

export interface HookStats {
  engine: EngineStats;
  /** `__work` runs that began / finished / stopped because they were cancelled. */
  workStarted: number;
  workCompleted: number;
  workCancelled: number;
  /** The worker's thread id (changes when the client restarts the worker). */
  threadId: number;
}

export interface TestHookMethods {
  /** Ends the worker thread with this exit code (a crash, as far as the client can tell). */
  __crash: { params: { code: number }; result: never };
  /** Throws an uncaught exception from a timer. */
  __throw: { params: { message: string }; result: null };
  /** Busy-loops without yielding (a stuck, CPU-bound worker). */
  __spin: { params: { ms: number }; result: number };
  /** Busy-loops in 1 ms chunks, yielding and checking for cancellation between chunks. */
  __work: { params: { ms: number }; result: number };
  __stats: { params: null; result: HookStats };
  /** Echoes a Float32Array back (transfer round trip). */
  __echo: { params: { data: Float32Array }; result: Float32Array };
}

export function testHookHandlers(engineStats: () => EngineStats, threadId: number, exit: (code: number) => never): Handlers<TestHookMethods> {
  let workStarted = 0;
  let workCompleted = 0;
  let workCancelled = 0;
  return {
    __crash: ({ code }) => exit(code),
    __throw: ({ message }) => {
      setTimeout(() => {
        throw new Error(message);
      }, 0);
      return null;
    },
    __spin: ({ ms }) => {
      const end = performance.now() + ms;
      let n = 0;
      while (performance.now() < end) n++;
      return n;
    },
    __work: async ({ ms }, cancel: CancellationFlag) => {
      const end = performance.now() + ms;
      let chunks = 0;
      workStarted++;
      try {
        // At least one chunk: on a loaded machine the thread can be descheduled past `end` before the first
        // check, and a caller asserting that work ran would then see 0 chunks.
        do {
          const chunkEnd = Math.min(end, performance.now() + 1);
          while (performance.now() < chunkEnd);
          chunks++;
          await yieldToEventLoop();
          cancel.throwIfCancelled();
        } while (performance.now() < end);
      } catch (e) {
        workCancelled++;
        throw e;
      }
      workCompleted++;
      return chunks;
    },
    __stats: () => ({ engine: engineStats(), workStarted, workCompleted, workCancelled, threadId }),
    __echo: ({ data }) => data,
  };
}
