// A 40 MB document (base64, no whitespace: the input that took the CLI out of memory) open in the editor:
// hover, the status bar count and highlighting all go through DocumentSync, which declines it before anything
// reaches the worker — with a message that says what to do — while the REAL worker (dist/worker-test-hooks.js
// through the real EngineClient) stays free and answers other documents at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentSync, DocumentTooLargeError, type DocumentSnapshot } from '../../src/host/documentSync';
import { MAX_DOCUMENT_CHARS } from '../../src/shared/limits';
import type { Engine } from '../../src/host/engine';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import { BOOK_SETTINGS, fixtureDir } from '../support/reference';
import { hookedClient, rpcErrorOf } from '../support/hookedClient';

const settings: EmbeddingSettings = { ...BOOK_SETTINGS, dim: 8 };
const options = { tokenizer: { kind: 'encoding', encoding: 'o200k_base' }, allowSpecial: false } as const;

function snapshot(uri: string, version: number, text: string): DocumentSnapshot & { reads: number } {
  const doc = { uri, version, reads: 0, getText: () => (doc.reads++, text) };
  return doc;
}

/** 40 MiB of base64 (what `base64 -w0` of 30 MiB of bytes gives), built without 40 MB of random bytes. */
function base64Document(chars: number): string {
  const block = Buffer.from(Array.from({ length: 3 * 4096 }, (_, i) => (i * 2654435761) >>> 24)).toString('base64');
  return block.repeat(Math.ceil(chars / block.length)).slice(0, chars);
}

test('a 40 MB document: hover, count and highlighting are declined with a clear notice; the worker never sees it and stays responsive', async () => {
  const client = hookedClient();
  const sync = new DocumentSync(client as Engine);
  try {
    const before = await client.call('__stats', null);
    const huge = snapshot('file:///huge.b64', 1, base64Document(40 * 1024 * 1024));
    const declined = (e: unknown) =>
      e instanceof DocumentTooLargeError &&
      /This document has 41,943,040 characters, more than the 8,388,608 .*hover, the token count and highlighting are off.*Inspect Selection/.test(e.message);
    await assert.rejects(
      sync.call('tokenAt', huge, (document) => ({ document, offset: 5, settings }), { channel: 'hover' }),
      declined,
    );
    await assert.rejects(
      sync.call('countTokens', huge, (document) => ({ document, options }), { channel: 'statusBar' }),
      declined,
    );
    await assert.rejects(
      sync.call('tokenSpans', huge, (document) => ({ document, start: 0, end: 4000, options })),
      declined,
    );
    assert.equal(huge.reads, 1, 'the 40 MB text was read once, not again on every hover');
    const after = await client.call('__stats', null);
    assert.equal(after.engine.started, before.engine.started, 'nothing was sent to the worker');
    assert.equal(after.engine.tokenizations, before.engine.tokenizations);

    // a caller that skips DocumentSync is refused by the worker itself, before tokenizing
    await assert.rejects(
      client.call('countTokens', { document: { uri: huge.uri, version: 1, text: huge.getText() }, options }),
      rpcErrorOf('invalidInput', /document\.text has 41943040 characters; whole-document methods take at most 8388608/),
    );
    assert.equal((await client.call('__stats', null)).engine.tokenizations, before.engine.tokenizations);

    // the worker answers another document at once (no tokenization is holding it)
    const verdict = snapshot('file:///verdict.txt', 1, readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8'));
    const r = await sync.call('tokenAt', verdict, (document) => ({ document, offset: 0, settings }), { timeoutMs: 10_000 });
    assert.equal(r.status, 'ok');

    // an edit that brings it under the limit: the next call reads the new version and it works again
    const trimmed = snapshot('file:///huge.b64', 2, huge.getText().slice(0, 20_000));
    const count = await sync.call('countTokens', trimmed, (document) => ({ document, options }));
    assert.equal(count.status, 'ok');
    assert.ok(count.count > 2_000, `${count.count} tokens`);
  } finally {
    await client.dispose();
  }
});

test('the limit is on characters: one past it is declined, a document at it is tokenized by the worker', async () => {
  const client = hookedClient();
  const sync = new DocumentSync(client as Engine);
  try {
    // prose-like text at exactly the limit (natural text: the common case near the limit)
    const prose = readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8');
    const text = prose.repeat(Math.ceil(MAX_DOCUMENT_CHARS / prose.length)).slice(0, MAX_DOCUMENT_CHARS);
    const over = snapshot('file:///over', 1, text + 'x');
    await assert.rejects(
      sync.call('countTokens', over, (document) => ({ document, options })),
      DocumentTooLargeError,
    );
    const at = snapshot('file:///at', 1, text);
    const count = await sync.call('countTokens', at, (document) => ({ document, options }), { timeoutMs: 120_000 });
    assert.equal(count.status, 'ok');
    assert.ok(count.count > MAX_DOCUMENT_CHARS / 8, `${count.count} tokens`);
    // forget() (document closed) clears the decision: the next call reads the text again
    sync.forget('file:///over');
    await assert.rejects(
      sync.call('countTokens', over, (document) => ({ document, options })),
      DocumentTooLargeError,
    );
    assert.equal(over.reads, 2);
  } finally {
    await client.dispose();
  }
});
