// EngineClient against the REAL bundled engine worker plus test hooks (dist/worker-test-hooks.js, built by
// `npm run test:unit`): real threads, real crashes (process.exit / uncaught exceptions in the worker), real
// CPU-bound work for time limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient, type EngineClientClock, type EngineClientOptions, type EngineClientState } from '../../src/host/engineClient';
import { nodeWorkerStarter } from '../../src/host/nodeWorkerPort';
import { RpcError } from '../../src/shared/rpc';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import { BOOK_SETTINGS, fixtureDir, reference } from '../support/reference';
import { hookedClient, rpcErrorOf as kind, statsWhen, type HookedMethods as Methods } from '../support/hookedClient';

const verdict = readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8');
const book: EmbeddingSettings = BOOK_SETTINGS;

function client(options: Partial<EngineClientOptions> = {}): EngineClient<Methods> {
  return hookedClient(options);
}

test('the worker starts lazily on the first request and is terminated on dispose', async () => {
  const c = client();
  const states: EngineClientState[] = [];
  c.onDidChangeState((s) => states.push(s));
  assert.equal(c.state, 'idle');
  assert.equal(c.startCount, 0);
  const stats = await c.call('__stats', null);
  assert.equal(c.startCount, 1);
  assert.notEqual(stats.threadId, 0, 'answered from a worker thread, not the main thread');
  const pending = assert.rejects(c.call('__work', { ms: 10_000 }), kind('workerUnavailable'));
  await c.dispose();
  await pending;
  await assert.rejects(c.call('__stats', null), kind('workerUnavailable', /shut down/));
  assert.deepEqual(states, ['running', 'disposed']);
});

test('Float32Array params and results are transferred, not copied', async () => {
  const c = client();
  try {
    const data = Float32Array.from([1.5, -2.25, 3]);
    const back = await c.call('__echo', { data });
    assert.equal(data.byteLength, 0, 'the sent buffer was transferred (detached here)');
    assert.ok(back instanceof Float32Array);
    assert.deepEqual(Array.from(back), [1.5, -2.25, 3]);
  } finally {
    await c.dispose();
  }
});

test('invalid input is reported as a typed invalidInput error across the thread boundary', async () => {
  const c = client();
  try {
    await assert.rejects(
      c.call('inspect', { text: 'hi', settings: { ...book, dim: 0 }, firstToken: 0, maxTokens: 1 }),
      kind('invalidInput', /dim must be between 1 and 4096/),
    );
    await assert.rejects(
      c.call('inspect', { text: 'hi', settings: { ...book, weights: { kind: 'random', seed: '18446744073709551616' } }, firstToken: 0, maxTokens: 1 }),
      kind('invalidInput', /2\^64−1/),
    );
  } finally {
    await c.dispose();
  }
});

test('a crash (process.exit) fails every pending request with workerCrashed; the next request restarts the worker', async () => {
  const c = client();
  try {
    const before = await c.call('__stats', null);
    const busy = c.call('__work', { ms: 10_000 });
    const crash = c.call('__crash', { code: 1 });
    await assert.rejects(crash, kind('workerCrashed', /exit code 1/));
    await assert.rejects(busy, kind('workerCrashed'));
    assert.equal(c.state, 'backoff');
    const after = await c.call('__stats', null);
    assert.notEqual(after.threadId, before.threadId);
    assert.equal(c.startCount, 2);
    assert.equal(c.state, 'running');
  } finally {
    await c.dispose();
  }
});

test('an uncaught exception in the worker is a crash too, reported with its message', async () => {
  const c = client();
  try {
    const busy = c.call('__work', { ms: 10_000 });
    await c.call('__throw', { message: 'kaboom in the engine' });
    await assert.rejects(busy, kind('workerCrashed', /kaboom in the engine/));
    assert.deepEqual((await c.call('__work', { ms: 1 })) >= 1, true);
  } finally {
    await c.dispose();
  }
});

test('after 3 crashes within a minute the worker stays down with one clear workerUnavailable error', async () => {
  const c = client();
  try {
    for (let i = 0; i < 3; i++) await assert.rejects(c.call('__crash', { code: 3 }), kind('workerCrashed'));
    assert.equal(c.state, 'unavailable');
    const err = await c.call('__stats', null).then(
      () => assert.fail('should not start again'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RpcError && err.kind === 'workerUnavailable');
    assert.match(err.message, /crashed 3 times within 60 s and was stopped \(last: exit code 3\)/);
    assert.equal(c.startCount, 3, 'no fourth worker was started');
    c.reset();
    assert.equal((await c.call('__stats', null)).workCompleted, 0);
    assert.equal(c.startCount, 4);
  } finally {
    await c.dispose();
  }
});

test('restarts back off: a crash loop waits longer between attempts (150, 300, 600 ms scheduled)', async () => {
  // A stopped clock: every crash happens "at" t = 1000, so each scheduled wait is exactly the backoff.
  const sleeps: number[] = [];
  const clock: EngineClientClock = { now: () => 1000, sleep: async (ms) => void sleeps.push(ms) };
  const c = client({ restartBackoffMs: 150, maxCrashes: 5, clock });
  try {
    await c.call('__stats', null);
    assert.deepEqual(sleeps, [], 'the first start does not wait');
    for (let i = 0; i < 3; i++) await assert.rejects(c.call('__crash', { code: 1 }), kind('workerCrashed'));
    assert.deepEqual(sleeps, [150, 300], 'each restart after a crash waited twice as long as the previous one');
    assert.equal(c.state, 'backoff');
    await c.call('__stats', null);
    assert.deepEqual(sleeps, [150, 300, 600]);
    assert.equal(c.startCount, 4);
  } finally {
    await c.dispose();
  }
});

test('a request that exceeds its time limit on a CPU-bound worker: the worker is restarted, later requests run', async () => {
  const c = client({ stuckGraceMs: 100 });
  try {
    const { threadId } = await c.call('__stats', null);
    await assert.rejects(c.call('__spin', { ms: 20_000 }, { timeoutMs: 150 }), kind('timeout', /__spin took longer than 150 ms/));
    const after = await c.call('__stats', null);
    assert.notEqual(after.threadId, threadId, 'a fresh worker answered');
    assert.equal(c.startCount, 2);
    assert.equal(c.state, 'running', 'a stuck restart is not counted as a crash');
  } finally {
    await c.dispose();
  }
});

test('a call that waited for the worker to start cannot supersede a newer call on its channel', async () => {
  const c = client();
  try {
    const first = c.call('__work', { ms: 1 }, { channel: 'panel' }); // waits for the worker to boot
    const second = c.call('__work', { ms: 1 }, { channel: 'panel' });
    await assert.rejects(first, kind('cancelled', /superseded/));
    assert.ok((await second) >= 1);
  } finally {
    await c.dispose();
  }
});

test('a timed-out cooperative request is cancelled in the worker, which keeps running', async () => {
  const c = client({ stuckGraceMs: 2000 });
  try {
    const { threadId } = await c.call('__stats', null);
    await assert.rejects(c.call('__work', { ms: 20_000 }, { timeoutMs: 100 }), kind('timeout'));
    // On a loaded machine the cancel can reach the worker before the work began (the server then never starts
    // it); otherwise the work stops at its next chunk. Either way nothing keeps running: a work that was not
    // cancelled would run 20 s and fail this wait.
    const after = await statsWhen(c, (s) => s.workStarted === s.workCancelled && s.workCompleted === 0, 'no __work left running');
    assert.equal(after.threadId, threadId, 'same worker');
    assert.ok((await c.call('__work', { ms: 5 })) >= 1, 'the worker answers the next request');
    assert.equal(c.startCount, 1);
  } finally {
    await c.dispose();
  }
});

test('a newer request on the same channel supersedes the older one, and the worker stops the older work', async () => {
  const c = client();
  try {
    const older = assert.rejects(c.call('__work', { ms: 20_000 }, { channel: 'panel' }), kind('cancelled', /superseded/));
    await statsWhen(c, (s) => s.workStarted === 1, 's.workStarted === 1'); // the older work is running in the worker
    const other = c.call('__work', { ms: 30 }, { channel: 'hover' });
    const newer = c.call('__work', { ms: 30 }, { channel: 'panel' });
    await older;
    assert.ok((await newer) >= 1);
    assert.ok((await other) >= 1, 'other channels are unaffected');
    const stats = await statsWhen(c, (s) => s.workCancelled === 1, 's.workCancelled === 1');
    assert.equal(stats.workCancelled, 1);
    assert.equal(stats.workCompleted, 2);
  } finally {
    await c.dispose();
  }
});

test('an AbortSignal cancels a request in the worker', async () => {
  const c = client();
  try {
    const ac = new AbortController();
    const p = assert.rejects(c.call('__work', { ms: 20_000 }, { signal: ac.signal }), kind('cancelled'));
    await statsWhen(c, (s) => s.workStarted === 1, 's.workStarted === 1');
    ac.abort();
    await p;
    assert.equal((await statsWhen(c, (s) => s.workCancelled === 1, 's.workCancelled === 1')).workCancelled, 1);
  } finally {
    await c.dispose();
  }
});

test('a missing worker script counts as crashes and ends in workerUnavailable', async () => {
  const c = new EngineClient<Methods>({ startWorker: nodeWorkerStarter(join(__dirname, 'no-such-worker.js')), restartBackoffMs: 5 });
  try {
    for (let i = 0; i < 3; i++) await assert.rejects(c.call('__stats', null), kind('workerCrashed', /no-such-worker|Cannot find module/));
    await assert.rejects(c.call('__stats', null), kind('workerUnavailable'));
  } finally {
    await c.dispose();
  }
});

// ── real engine work through the worker (needs the real tokenizer + random tables in the build) ──

test('inspect in the worker returns the book first batch and PyTorch-exact vectors as Float32Arrays', async () => {
  const c = client();
  try {
    const r = await c.call('inspect', { text: verdict, settings: book, firstToken: 0, maxTokens: 4 });
    assert.deepEqual(r.shapes.combined, [8, 4, 256]);
    assert.deepEqual(Array.from(r.firstBatch.inputs.subarray(28, 32)), [284, 3285, 326, 11]);
    assert.ok(r.tokenEmbeddings instanceof Float32Array);
    const expected = reference.book_50257x256.tok_rows!['367'];
    const got = Array.from(r.tokenEmbeddings.subarray(256, 512));
    got.forEach((v, d) => assert.ok(Math.abs(v - expected[d]) <= 1e-5, `dim ${d}: ${v} vs ${expected[d]}`));
  } finally {
    await c.dispose();
  }
});

test('tokenize and rows in the worker: typed arrays across the boundary, real ids and PyTorch rows', async () => {
  const c = client();
  try {
    const t = await c.call('tokenize', { text: 'Hello, world', options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
    assert.ok(t.ids instanceof Int32Array && t.spans instanceof Int32Array);
    assert.deepEqual(Array.from(t.ids), [15496, 11, 995]);
    assert.deepEqual(Array.from(t.spans), [0, 5, 5, 6, 6, 12]);
    const r = await c.call('rows', { settings: { ...book, dim: 3 }, vocabSize: 6, tokenRows: [5], positionRows: [2] });
    assert.equal(r.vocabSize, 6);
    const doc = reference.seed_doc_6x3;
    Array.from(r.token).forEach((v, d) => assert.ok(Math.abs(v - doc.tok_full![5][d]) <= 1e-5));
    Array.from(r.position).forEach((v, d) => assert.ok(Math.abs(v - doc.pos_full![2][d]) <= 1e-5));
  } finally {
    await c.dispose();
  }
});

test('a superseded inspect is cancelled in the worker (it stops, it does not just lose its reply)', async () => {
  const c = client();
  try {
    const big = verdict.repeat(40); // ~200k tokens, page of 20k rows at dim 768
    const settings = { ...book, dim: 768, contextLength: 1024, stride: 1024 };
    const older = c.call('inspect', { text: big, settings, firstToken: 0, maxTokens: 20_000 }, { channel: 'panel' });
    // Supersede only once the older request is at work in the worker (not merely queued).
    await statsWhen(c, (s) => s.engine.started === 1, 's.engine.started === 1');
    const newer = c.call('inspect', { text: 'I HAD always', settings, firstToken: 0, maxTokens: 3 }, { channel: 'panel' });
    await assert.rejects(older, kind('cancelled'));
    assert.equal((await newer).tokens.length, 3);
    const stats = await statsWhen(c, (s) => s.engine.cancelled === 1, 's.engine.cancelled === 1');
    assert.equal(stats.engine.cancelled, 1);
    assert.equal(stats.engine.completed, 1);
  } finally {
    await c.dispose();
  }
});
