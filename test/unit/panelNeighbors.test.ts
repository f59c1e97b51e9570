/**
 * The panel's nearest-tokens feed and the hover line against the real engine service in-process (PyTorch-exact
 * random tables; the scan is the worker's code): loading then ready for the selected row, the token itself
 * excluded, scores sorted; a newer selection supersedes an older scan; the hover line names real tokens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../src/engine/service';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { HostToPanel, PanelState } from '../../src/shared/webviewProtocol';
import type { Engine } from '../../src/host/engine';
import { CancellationFlag } from '../../src/shared/rpc';
import { PANEL_NEIGHBORS_K, PanelNeighbors } from '../../src/host/panelNeighbors';
import { hoverNeighborsLine } from '../../src/host/hoverNeighbors';

const settings: EmbeddingSettings = {
  encoding: 'gpt2',
  allowSpecial: false,
  dim: 8,
  contextLength: 4,
  stride: 4,
  batchSize: 8,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};

/** The service's own handlers behind the host's Engine interface; an abort signal cancels like the worker does. */
function inProcessEngine(service: EngineService): Engine {
  return {
    call(method, params, options) {
      const flag = new CancellationFlag();
      options?.signal?.addEventListener('abort', () => flag.cancel());
      const handler = service.handlers[method] as (p: typeof params, c: CancellationFlag) => Promise<never>;
      return Promise.resolve().then(() => handler(params, flag));
    },
  };
}

async function bookPanelState(service: EngineService): Promise<PanelState> {
  const result = await service.inspect({ text: 'I HAD always thought', settings, firstToken: 0, maxTokens: 10 });
  return { documentUri: null, documentLabel: 'x', textOffset: 0, settings, result, selectedRow: null };
}

test('the selected row gets loading, then its 10 nearest tokens from the same tables', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const engine = inProcessEngine(service);
  const state = await bookPanelState(service);
  const posted: HostToPanel[] = [];
  const feed = new PanelNeighbors(engine, (m) => posted.push(m), (m) => assert.fail(m));
  await feed.show(state, 3);
  assert.equal(posted.length, 2);
  assert.deepEqual(posted[0], { type: 'neighbors', row: 3, id: 1464, status: 'loading', neighbors: [] });
  const ready = posted[1]!;
  assert.ok(ready.type === 'neighbors' && ready.status === 'ready');
  assert.equal(ready.id, 1464);
  assert.equal(ready.neighbors.length, PANEL_NEIGHBORS_K);
  assert.ok(ready.neighbors.every((n) => n.id !== 1464), 'the token itself is excluded');
  for (let i = 1; i < ready.neighbors.length; i++) assert.ok(ready.neighbors[i - 1]!.score >= ready.neighbors[i]!.score);
  // Same answer as the engine method asked directly (the feed adds nothing of its own).
  const direct = await service.neighbors({ settings, vocabSize: state.result.source.vocabSize, id: 1464, k: PANEL_NEIGHBORS_K });
  assert.deepEqual(ready.neighbors, direct.neighbors);

  // No row: nothing is posted.
  await feed.show(state, null);
  assert.equal(posted.length, 2);
});

test('a newer selection supersedes the running scan: only the newest row is answered', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const state = await bookPanelState(service);
  const posted: HostToPanel[] = [];
  const feed = new PanelNeighbors(inProcessEngine(service), (m) => posted.push(m), (m) => assert.fail(m));
  const first = feed.show(state, 0);
  const second = feed.show(state, 2);
  await Promise.all([first, second]);
  const ready = posted.filter((m) => m.type === 'neighbors' && m.status === 'ready');
  assert.equal(ready.length, 1);
  assert.ok(ready[0]!.type === 'neighbors' && ready[0]!.row === 2 && ready[0]!.id === 2885);
});

test('the hover line lists 5 nearest tokens with their text', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const line = await hoverNeighborsLine(inProcessEngine(service), settings, 1464, new AbortController().signal);
  const direct = await service.neighbors({ settings, id: 1464, k: 5 });
  assert.match(line, /^nearest: /);
  assert.equal(line.split(' · ').length, 5);
  assert.ok(line.includes(direct.neighbors[0]!.score.toFixed(3)));
});
