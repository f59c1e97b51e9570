/**
 * Test worker entry (bundled to dist/worker-test-hooks.js by non-production builds only): the real engine worker
 * plus the failure-injection methods of workerTestHooks.ts, for tests and benchmarks of EngineClient.
 */
import { threadId } from 'node:worker_threads';
import { serveEngine } from '../../src/worker/serveEngine';
import { testHookHandlers, type TestHookMethods } from './workerTestHooks';

serveEngine<TestHookMethods>((service) =>
  testHookHandlers(
    () => service.stats(),
    threadId,
    (code) => process.exit(code),
  ),
);
