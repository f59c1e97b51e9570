/**
 * An EngineClient on the REAL bundled engine worker plus test hooks (dist/worker-test-hooks.js, built by
 * `npm run build`, which `npm run test:unit` runs), and helpers to wait on the worker's own counters.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient, type EngineClientOptions } from '../../src/host/engineClient';
import { nodeWorkerStarter } from '../../src/host/nodeWorkerPort';
import { RpcError } from '../../src/shared/rpc';
import type { EngineMethods } from '../../src/shared/engineProtocol';
import type { HookStats, TestHookMethods } from './workerTestHooks';

export const hookedWorkerScript = join(__dirname, '..', '..', 'dist', 'worker-test-hooks.js');
export type HookedMethods = EngineMethods & TestHookMethods;

export function hookedClient(options: Partial<EngineClientOptions> = {}): EngineClient<HookedMethods> {
  assert.ok(existsSync(hookedWorkerScript), 'dist/worker-test-hooks.js is missing: run `npm run build` (npm run test:unit does)');
  return new EngineClient<HookedMethods>({ startWorker: nodeWorkerStarter(hookedWorkerScript), restartBackoffMs: 10, ...options });
}

/**
 * Polls the worker's counters until `ok` (the worker notices a cancel at its next chunk boundary). Gives up
 * with an error naming the last counters, so a condition that never comes fails here, not as a vaguer assert.
 */
export async function statsWhen(c: EngineClient<HookedMethods>, ok: (s: HookStats) => boolean, what: string): Promise<HookStats> {
  let last: HookStats | undefined;
  for (let i = 0; i < 1000; i++) {
    last = await c.call('__stats', null);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the worker never reached "${what}"; last counters ${JSON.stringify(last)}`);
}

/** An assert.rejects predicate: an RpcError of this kind, its message matching `pattern` if given. */
export function rpcErrorOf(k: RpcError['kind'], pattern?: RegExp) {
  return (e: unknown) => e instanceof RpcError && e.kind === k && (!pattern || pattern.test(e.message));
}
