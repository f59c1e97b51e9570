/**
 * The panel's nearest-tokens requests and the hover line against the real engine service in-process
 * (PyTorch-exact random tables; the scan is the worker's code): the token itself excluded, scores sorted; a
 * newer selection supersedes (cancels) an older scan; the hover line names real tokens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../src/engine/service';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { PanelMethods, PanelState } from '../../src/shared/webviewProtocol';
import type { Engine } from '../../src/host/engine';
import { CancellationFlag, RpcClient, RpcError, RpcServer } from '../../src/shared/rpc';
import { PANEL_NEIGHBORS_K, neighborsOfRow } from '../../src/host/panelNeighbors';
import { hoverNeighborsLine } from '../../src/host/hoverNeighbors';

const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
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
  return { documentUri: null, documentLabel: 'x', textOffset: 0, textLength: 20, settings, result, selectedRow: null };
}

/**
 * The panel's request path for nearest tokens, as in the extension: the webview's RpcClient ⇄ the host's
 * RpcServer (messages cloned like postMessage does), the host handler asking the engine.
 */
function panelBoundary(engine: Engine, state: () => PanelState | undefined) {
  const cancelled: number[] = [];
  let server: RpcServer<Pick<PanelMethods, 'neighbors'>>;
  const client = new RpcClient<Pick<PanelMethods, 'neighbors'>>({
    post: (m) => {
      if (m.type === 'cancel') cancelled.push(m.id);
      queueMicrotask(() => void server.handle(structuredClone(m)));
    },
  });
  server = new RpcServer(
    { post: (m) => queueMicrotask(() => client.handle(structuredClone(m))) },
    {
      neighbors: ({ row, id }, cancel) => neighborsOfRow(engine, state(), row, id, cancel.signal),
    },
  );
  return { client, server, cancelled };
}

test('a row asked for gets its 10 nearest tokens from the same tables, over the request/reply helper', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const state = await bookPanelState(service);
  const { client } = panelBoundary(inProcessEngine(service), () => state);
  const reply = await client.call('neighbors', { row: 3, id: 1464 }, { channel: 'neighbors' });
  assert.equal(reply.neighbors.length, PANEL_NEIGHBORS_K);
  assert.ok(
    reply.neighbors.every((n) => n.id !== 1464),
    'the token itself is excluded',
  );
  for (let i = 1; i < reply.neighbors.length; i++) assert.ok(reply.neighbors[i - 1]!.score >= reply.neighbors[i]!.score);
  // Same answer as the engine method asked directly (the handler adds nothing of its own).
  const direct = await service.neighbors({ settings, vocabSize: state.result.source.vocabSize, id: 1464, k: PANEL_NEIGHBORS_K });
  assert.deepEqual(reply.neighbors, direct.neighbors);
});

test('a newer selection supersedes the running scan, cancelled in the engine; a row the host no longer shows is refused', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const state = await bookPanelState(service);
  const { client, cancelled } = panelBoundary(inProcessEngine(service), () => state);
  const first = client.call('neighbors', { row: 0, id: state.result.tokens[0]!.id }, { channel: 'neighbors' });
  const second = client.call('neighbors', { row: 2, id: 2885 }, { channel: 'neighbors' });
  await assert.rejects(first, (e) => e instanceof RpcError && e.kind === 'cancelled');
  assert.equal((await second).neighbors.length, PANEL_NEIGHBORS_K);
  assert.deepEqual(cancelled, [1], 'the superseded request was cancelled in the host');
  // The panel asked about a token of a page the host no longer shows (its state changed meanwhile).
  await assert.rejects(
    client.call('neighbors', { row: 2, id: 40 }),
    (e) => e instanceof RpcError && e.kind === 'cancelled' && /row 2 \(id 40\) is not on the page/.test(e.message),
  );
});

test('the hover line lists 5 nearest tokens with their text', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const line = await hoverNeighborsLine(inProcessEngine(service), settings, 1464, new AbortController().signal);
  const direct = await service.neighbors({ settings, id: 1464, k: 5 });
  assert.match(line, /^nearest: /);
  assert.equal(line.split(' · ').length, 5);
  assert.ok(line.includes(direct.neighbors[0]!.score.toFixed(3)));
});
