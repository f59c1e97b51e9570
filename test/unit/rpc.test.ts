import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcClient, RpcServer, RpcError, type Transport } from '../../src/shared/rpc';
import type { RpcMessage } from '../../src/shared/rpc';

type Methods = {
  add: { params: { a: number; b: number }; result: number };
  slow: { params: { ms: number }; result: string };
  vec: { params: { n: number }; result: Float32Array };
};

function pair() {
  let server!: RpcServer<Methods>;
  const posted: ArrayBuffer[][] = [];
  const client = new RpcClient<Methods>({
    post: (m: RpcMessage) => queueMicrotask(() => void server.handle(structuredClone(m))),
  });
  const serverTransport: Transport = {
    post: (m: RpcMessage, transfer?: ArrayBuffer[]) => {
      posted.push(transfer ?? []);
      queueMicrotask(() => client.handle(m));
    },
  };
  server = new RpcServer<Methods>(serverTransport, {
    add: ({ a, b }) => a + b,
    slow: async ({ ms }, cancel) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 5));
        cancel.throwIfCancelled();
      }
      return 'done';
    },
    vec: ({ n }) => new Float32Array(n).fill(1.5),
  });
  return { client, posted };
}

test('request/reply returns the handler result', async () => {
  const { client } = pair();
  assert.equal(await client.call('add', { a: 2, b: 3 }), 5);
  assert.equal(client.pendingCount, 0);
});

test('typed arrays in results are listed as transferables', async () => {
  const { client, posted } = pair();
  const v = await client.call('vec', { n: 4 });
  assert.deepEqual(Array.from(v), [1.5, 1.5, 1.5, 1.5]);
  assert.equal(posted.at(-1)?.length, 1);
});

test('a newer call on the same channel supersedes the older one', async () => {
  const { client } = pair();
  const first = client.call('slow', { ms: 200 }, { channel: 'view' });
  const second = client.call('slow', { ms: 10 }, { channel: 'view' });
  await assert.rejects(first, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
  assert.equal(await second, 'done');
});

test('time limit rejects with a timeout error', async () => {
  const { client } = pair();
  await assert.rejects(client.call('slow', { ms: 500 }, { timeoutMs: 30 }), (e: unknown) => e instanceof RpcError && e.kind === 'timeout');
});

test('failAll rejects every pending call with the given error', async () => {
  const { client } = pair();
  const p = client.call('slow', { ms: 300 });
  client.failAll(new RpcError('workerCrashed', 'boom'));
  await assert.rejects(p, (e: unknown) => e instanceof RpcError && e.kind === 'workerCrashed');
});

test('a reply that cannot be cloned becomes an internal error instead of a hang', async () => {
  type M = { bad: { params: null; result: unknown } };
  let server!: RpcServer<M>;
  const client = new RpcClient<M>({ post: (m: RpcMessage) => queueMicrotask(() => void server.handle(structuredClone(m))) });
  server = new RpcServer<M>({ post: (m: RpcMessage) => client.handle(structuredClone(m)) }, { bad: () => ({ f: () => 1 }) });
  await assert.rejects(client.call('bad', null), (e: unknown) => e instanceof RpcError && e.kind === 'internal' && /could not be sent/.test(e.message));
});
