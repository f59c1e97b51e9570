// Both directions of the analysis messages: the host's validation of what the panel posts, and the panel's
// parsing of the worker's replies (structured-cloned typed arrays, or JSON round-tripped plain data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/host/webviewMessages';
import { parseHostMessage, InvalidMessage } from '../../webview/shared/messages';
import { REPLY_PARSERS } from '../../webview/shared/replies';
import { EngineService } from '../../src/engine/service';
import { countingDependencies } from '../support/reference';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';

test('host accepts analysis, export, copyPytorch, neighbors and applySettings requests field by field and refuses anything else', () => {
  const request = (method: string, params: unknown, extra: Record<string, unknown> = {}) => ({ type: 'request', id: 3, method, params, ...extra });
  assert.deepEqual(parseWebviewMessage(request('analysis', { kind: 'projection' }, { channel: 'analysis:projection' })), {
    ok: true,
    message: request('analysis', { kind: 'projection' }, { channel: 'analysis:projection' }),
  });
  assert.deepEqual(parseWebviewMessage(request('export', { what: 'ids', format: 'json' })), {
    ok: true,
    message: request('export', { what: 'ids', format: 'json' }),
  });
  assert.deepEqual(parseWebviewMessage(request('copyPytorch', {})), { ok: true, message: request('copyPytorch', {}) });
  assert.deepEqual(parseWebviewMessage(request('neighbors', { row: 2, id: 1464 })), { ok: true, message: request('neighbors', { row: 2, id: 1464 }) });
  const bad = (raw: unknown, pattern: RegExp) => {
    const r = parseWebviewMessage(raw);
    assert.ok(!r.ok, JSON.stringify(raw));
    assert.match(r.error, pattern);
  };
  bad(request('analysis', { kind: 'attention' }), /kind must be one of similarity, projection, tokenStats, positionalLab/);
  bad(request('analysis', {}), /kind must be one of/);
  bad(request('analysis', { kind: 'similarity', maxTokens: 1e9 }), /unexpected field\(s\) maxTokens/);
  bad(request('export', { what: 'token', format: 'pickle' }), /format must be one of csv, json, npy/);
  bad(request('export', { what: '../../etc/passwd', format: 'npy' }), /what must be one of token, positional, combined, ids/);
  bad(request('export', { what: 'token', format: 'npy', path: '/tmp/x' }), /unexpected field\(s\) path/);
  bad(request('copyPytorch', { code: 'import os' }), /unexpected field\(s\) code/);
  assert.deepEqual(parseWebviewMessage(request('applySettings', {})), { ok: true, message: request('applySettings', {}) });
  // The host writes what the panel shows (its own record of the changes), never values the webview sends.
  bad(request('applySettings', { dim: 64 }), /applySettings: unexpected field\(s\) dim/);
  bad(request('applySettings', null), /applySettings: params must be an object/);
  bad(request('neighbors', { row: -1, id: 5 }), /row and id must be non-negative integers/);
  bad(request('eval', {}), /method must be one of analysis, export, copyPytorch, neighbors, applySettings/);
  bad({ ...request('copyPytorch', {}), id: 0 }, /id must be a positive integer/);
  bad(request('copyPytorch', {}, { channel: 'x'.repeat(65) }), /channel must be a short string/);
});

const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 8,
  contextLength: 16,
  stride: 16,
  batchSize: 2,
  positional: 'learned',
  weights: { kind: 'random', seed: '7' },
};

test('the panel parses every real analysis reply, structured-cloned or JSON round-tripped', async () => {
  const service = new EngineService(countingDependencies());
  const inspect = { text: 'to be or not to be', settings, firstToken: 0, maxTokens: 100 };
  for (const kind of ['similarity', 'projection', 'tokenStats', 'positionalLab'] as const) {
    const result = await service.analysis({ kind, inspect });
    assert.deepEqual(REPLY_PARSERS.analysis(structuredClone(result)), result);
    const json = REPLY_PARSERS.analysis(JSON.parse(JSON.stringify(result)));
    assert.equal(json.kind, kind);
    if (json.kind === 'similarity' && result.kind === 'similarity') assert.deepEqual(Array.from(json.combined), Array.from(result.combined));
  }
});

test('the panel refuses malformed replies with a clear reason', () => {
  const page = { firstToken: 0, count: 2, totalTokens: 2, capped: false };
  assert.throws(
    () => REPLY_PARSERS.analysis({ kind: 'similarity', page, token: [1, 0, 0], combined: [1, 0, 0, 1], repeated: [], pairs: [] }),
    (e) => e instanceof InvalidMessage && /token: expected 4 values, got 3/.test(e.message),
  );
  assert.throws(() => REPLY_PARSERS.analysis({ kind: 'eval', page }), InvalidMessage);
  assert.throws(() => REPLY_PARSERS.export({ ok: 'yes', message: '' }), /outcome\.ok: expected a boolean/);
  assert.deepEqual(REPLY_PARSERS.export({ ok: false, message: 'Export cancelled.' }), { ok: false, message: 'Export cancelled.' });
  // The envelope: a reply is matched by id; a failure carries a known error kind.
  assert.deepEqual(parseHostMessage({ type: 'response', id: 7, ok: false, error: { kind: 'cancelled', message: 'cancelled' } }), {
    type: 'response',
    id: 7,
    ok: false,
    error: { kind: 'cancelled', message: 'cancelled' },
  });
  assert.throws(() => parseHostMessage({ type: 'response', id: 7, ok: false, error: { kind: 'boom', message: '' } }), /response\.error\.kind/);
  assert.throws(() => parseHostMessage({ type: 'response', id: -1, ok: true, result: {} }), /response\.id/);
  assert.equal(parseHostMessage({ type: 'somethingElse' }), null);
});
