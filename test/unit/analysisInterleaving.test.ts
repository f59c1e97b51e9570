// The long panel analyses (similarity, projection, CSV export of a 256-token page × 768) on the real EngineService
// leave room for other requests and stop when cancelled: a hover's tokenize issued while one runs completes before
// it, and a cancel stops it at its next slice. The service's time slice is set to 0 so that every cancellation
// point yields: the counts below then do not depend on the machine's speed (no timing in these assertions).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import { EngineService } from '../../src/engine/service';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { InspectParams } from '../../src/shared/engineProtocol';
import { CancellationFlag, RpcError } from '../../src/shared/rpc';
import { fixtureDir } from '../support/reference';

const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 768,
  contextLength: 1024,
  stride: 1024,
  batchSize: 8,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};
const page: InspectParams = { text: readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8'), settings, firstToken: 0, maxTokens: 256 };
const hover = { text: 'a hover', options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' } as const, allowSpecial: false } };
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const cases = [
  ['similarity', (s: EngineService, c?: CancellationFlag) => s.analysis({ kind: 'similarity', inspect: page }, c)],
  ['projection', (s: EngineService, c?: CancellationFlag) => s.analysis({ kind: 'projection', inspect: page }, c)],
  ['CSV export', (s: EngineService, c?: CancellationFlag) => s.exportData({ inspect: page, what: 'combined', format: 'csv' }, c)],
] as const;

async function warmService(): Promise<EngineService> {
  const service = new EngineService(defaultEngineDependencies(), { sliceMs: 0 });
  const warm = await service.inspect(page); // tokenization and tables cached: what remains is the analysis itself
  assert.equal(warm.tokens.length, 256);
  return service;
}

for (const [name, run] of cases) {
  test(`${name}: hover tokenize requests complete while it runs, and it still gives its result`, async () => {
    const service = await warmService();
    let finished = false;
    const work = run(service).then((r) => ((finished = true), r));
    let hoversDuring = 0;
    while (!finished) {
      await turn(); // a new hover arrives as a new message: a new event-loop turn
      const t = await service.tokenize(hover);
      assert.deepEqual(Array.from(t.ids), [64, 20599]);
      if (!finished) hoversDuring++;
    }
    await work;
    // Without cancellation points the analysis runs in one piece after its inspect, which yields a few times
    // at most; with them, every row / Lanczos step / 16 CSV rows lets a request in.
    assert.ok(hoversDuring >= 20, `only ${hoversDuring} hover requests completed while the ${name} ran`);
  });

  test(`${name}: cancel stops it at its next slice`, async () => {
    const service = await warmService();
    const cancel = new CancellationFlag();
    let settled = false;
    const work = run(service, cancel).finally(() => (settled = true));
    const rejected = assert.rejects(work, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
    // Let it get well into its computation (hover requests interleave), then cancel.
    for (let i = 0; i < 10; i++) {
      await turn();
      await service.tokenize(hover);
    }
    assert.equal(settled, false, 'still running when cancelled');
    cancel.cancel();
    let turnsAfterCancel = 0;
    while (!settled) {
      await turn();
      turnsAfterCancel++;
    }
    await rejected;
    assert.ok(turnsAfterCancel <= 3, `took ${turnsAfterCancel} event-loop turns to stop`);
  });
}
