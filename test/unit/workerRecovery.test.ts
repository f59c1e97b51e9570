// The host's document protocol and cancel path against a REAL engine worker thread (dist/worker-test-hooks.js,
// the production engine plus failure hooks) through the real EngineClient: a worker that really exits in the
// middle of a document's life, and a webview "cancel" that must stop the work in the worker, not just drop it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentSync, type DocumentSnapshot } from '../../src/host/documentSync';
import type { Engine } from '../../src/host/engine';
import { LatestOnly } from '../../src/host/latest';
import { parseWebviewMessage } from '../../src/host/webviewMessages';
import { getTokenizer } from '../../src/engine/tokenizer';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { InspectResult } from '../../src/shared/engineProtocol';
import { BOOK_SETTINGS, fixtureDir } from '../support/reference';
import { hookedClient, rpcErrorOf, statsWhen } from '../support/hookedClient';

const verdict = readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8');
const settings: EmbeddingSettings = { ...BOOK_SETTINGS, dim: 8 };

/** An editor document whose getText calls are counted (each one is a full resend to the worker). */
function snapshot(uri: string, version: number, text: string): DocumentSnapshot & { reads: number } {
  const doc = { uri, version, reads: 0, getText: () => (doc.reads++, text) };
  return doc;
}

test('worker restart mid-document: the next hover gets needText from the new worker, resends once, same answer', async () => {
  const client = hookedClient();
  const sync = new DocumentSync(client as Engine);
  try {
    const doc = snapshot('file:///verdict.txt', 3, verdict);
    const at = (offset: number) => sync.call('tokenAt', doc, (document) => ({ document, offset, settings }));
    const before = await at(1000);
    assert.equal(before.status, 'ok');
    assert.equal((await at(2000)).status, 'ok');
    assert.equal(doc.reads, 1, 'the second hover did not resend the text');
    const first = await client.call('__stats', null);
    assert.equal(first.engine.tokenizations, 1);

    // the worker really dies (process.exit in the thread) while other work is in flight
    const inFlight = client.call('__work', { ms: 10_000 });
    await statsWhen(client, (s) => s.workStarted === 1, 'the work started');
    await assert.rejects(client.call('__crash', { code: 7 }), rpcErrorOf('workerCrashed'));
    await assert.rejects(inFlight, rpcErrorOf('workerCrashed', /exit code 7.*please try again/));

    // the host still believes the worker holds version 3: the new worker says needText, the host resends once
    const after = await at(1000);
    assert.equal(doc.reads, 2, 'exactly one resend after the restart');
    const fresh = await client.call('__stats', null);
    assert.notEqual(fresh.threadId, first.threadId, 'a new worker thread answered');
    assert.equal(fresh.engine.started, 2, 'the new worker answered needText to the text-less call, then the resend');
    assert.equal(fresh.engine.tokenizations, 1, 'the new worker tokenized the document once');
    assert.deepEqual(after, before, 'same token, position and vectors as before the crash');
    assert.equal((await at(2000)).status, 'ok');
    assert.equal(doc.reads, 2);

    // another document's first request after the restart carries its text at once
    const other = snapshot('file:///other.txt', 1, verdict.slice(0, 5000));
    const count = await sync.call('countTokens', other, (document) => ({
      document,
      options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false },
    }));
    assert.deepEqual(count, { status: 'ok', count: getTokenizer('gpt2').encode(verdict.slice(0, 5000), { allowSpecial: false }).ids.length });
    assert.equal(other.reads, 1);
    assert.equal(client.startCount, 2);
  } finally {
    await client.dispose();
  }
});

test("the webview's cancelInspection: the message parses, and LatestOnly.cancel stops the inspect in the worker and delivers nothing", async () => {
  assert.deepEqual(parseWebviewMessage({ type: 'cancelInspection' }), { ok: true, message: { type: 'cancelInspection' } });
  assert.equal(parseWebviewMessage({ type: 'cancelInspection', id: 1 }).ok, false, 'a cancel with unknown fields is refused');

  const client = hookedClient();
  try {
    const delivered: unknown[] = [];
    const errors: unknown[] = [];
    // what the sidebar does: follow the cursor through LatestOnly; its 'cancelInspection' handler calls follow.cancel()
    const follow = new LatestOnly<InspectResult>(
      0,
      (r) => delivered.push(r),
      (e) => errors.push(e),
    );
    const before = await client.call('__stats', null);
    const run = follow.runNow((signal) =>
      client.call('inspect', { text: verdict.repeat(200), settings, firstToken: 0, maxTokens: 100 }, { signal, channel: 'sidebar' }),
    );
    await statsWhen(client, (s) => s.engine.started === before.engine.started + 1, 'the inspect started');
    follow.cancel();
    await run;
    const after = await statsWhen(client, (s) => s.engine.cancelled === before.engine.cancelled + 1, 'the worker cancelled the inspect');
    assert.equal(after.engine.completed, before.engine.completed, 'the inspect did not run to the end');
    assert.deepEqual(delivered, [], 'nothing delivered after cancel');
    assert.deepEqual(errors, [], 'a cancel is not an error');
    // the worker is free: the next request is answered
    const r = await client.call('inspect', { text: 'I HAD', settings, firstToken: 0, maxTokens: 2 });
    assert.deepEqual(
      r.tokens.map((t) => t.id),
      [40, 367],
    );
  } finally {
    await client.dispose();
  }
});

test('a long tokenization yields: a small request is answered while it runs, and both answers are exact', async () => {
  const client = hookedClient();
  try {
    const big = verdict.repeat(400); // ~8 MB: hundreds of milliseconds of tokenizing
    let bigDone = false;
    const bigCount = client
      .call('countTokens', {
        document: { uri: 'file:///big.txt', version: 1, text: big },
        options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false },
      })
      .finally(() => (bigDone = true));
    await statsWhen(client, (s) => s.engine.started === 1, 'the big tokenization started');
    const small = await client.call('tokenize', { text: 'I HAD always', options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
    assert.deepEqual(Array.from(small.ids), [40, 367, 2885, 1464]);
    assert.equal(bigDone, false, 'the small request did not wait for the big tokenization');
    assert.deepEqual(await bigCount, { status: 'ok', count: getTokenizer('gpt2').encode(big, { allowSpecial: false }).ids.length });
  } finally {
    await client.dispose();
  }
});
