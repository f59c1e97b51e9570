// Both directions of the analysis messages: the host's validation of what the panel posts, and the panel's
// parsing of the worker's replies (structured-cloned typed arrays, or JSON round-tripped plain data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/host/webviewMessages';
import { parseHostMessage, InvalidMessage } from '../../webview/shared/messages';
import { EngineService } from '../../src/engine/service';
import { countingDependencies } from '../support/reference';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';

test('host accepts analysis, export and copyPytorch messages field by field and refuses anything else', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'analysis', kind: 'projection' }), { ok: true, message: { type: 'analysis', kind: 'projection' } });
  assert.deepEqual(parseWebviewMessage({ type: 'export', what: 'ids', format: 'json' }), { ok: true, message: { type: 'export', what: 'ids', format: 'json' } });
  assert.deepEqual(parseWebviewMessage({ type: 'copyPytorch' }), { ok: true, message: { type: 'copyPytorch' } });
  const bad = (raw: unknown, pattern: RegExp) => {
    const r = parseWebviewMessage(raw);
    assert.ok(!r.ok, JSON.stringify(raw));
    assert.match(r.error, pattern);
  };
  bad({ type: 'analysis', kind: 'attention' }, /kind must be one of similarity, projection, tokenStats, positionalLab/);
  bad({ type: 'analysis' }, /kind must be one of/);
  bad({ type: 'analysis', kind: 'similarity', maxTokens: 1e9 }, /unexpected field\(s\) maxTokens/);
  bad({ type: 'export', what: 'token', format: 'pickle' }, /format must be one of csv, json, npy/);
  bad({ type: 'export', what: '../../etc/passwd', format: 'npy' }, /what must be one of token, positional, combined, ids/);
  bad({ type: 'export', what: 'token', format: 'npy', path: '/tmp/x' }, /unexpected field\(s\) path/);
  bad({ type: 'copyPytorch', code: 'import os' }, /unexpected field\(s\) code/);
});

const settings: EmbeddingSettings = { encoding: 'gpt2', allowSpecial: false, dim: 8, contextLength: 16, stride: 16, batchSize: 2, positional: 'learned', weights: { kind: 'random', seed: '7' } };

test('the panel parses every real analysis reply, structured-cloned or JSON round-tripped', async () => {
  const service = new EngineService(countingDependencies());
  const inspect = { text: 'to be or not to be', settings, firstToken: 0, maxTokens: 100 };
  for (const kind of ['similarity', 'projection', 'tokenStats', 'positionalLab'] as const) {
    const result = await service.analysis({ kind, inspect });
    const cloned = parseHostMessage({ type: 'analysis', result: structuredClone(result) });
    assert.deepEqual(cloned, { type: 'analysis', result });
    const json = parseHostMessage(JSON.parse(JSON.stringify({ type: 'analysis', result })));
    assert.equal(json?.type, 'analysis');
    if (json?.type === 'analysis' && json.result.kind === 'similarity' && result.kind === 'similarity') {
      assert.deepEqual(Array.from(json.result.combined), Array.from(result.combined));
    }
  }
});

test('the panel refuses malformed analysis replies with a clear reason', () => {
  const page = { firstToken: 0, count: 2, totalTokens: 2, capped: false };
  assert.throws(() => parseHostMessage({ type: 'analysis', result: { kind: 'similarity', page, token: [1, 0, 0], combined: [1, 0, 0, 1], repeated: [], pairs: [] } }), (e) => e instanceof InvalidMessage && /token: expected 4 values, got 3/.test(e.message));
  assert.throws(() => parseHostMessage({ type: 'analysis', result: { kind: 'eval', page } }), InvalidMessage);
  assert.throws(() => parseHostMessage({ type: 'actionDone', action: 'rm', ok: true, message: '' }), InvalidMessage);
  assert.deepEqual(parseHostMessage({ type: 'actionDone', action: 'export', ok: false, message: 'Export cancelled.' }), { type: 'actionDone', action: 'export', ok: false, message: 'Export cancelled.' });
  assert.equal(parseHostMessage({ type: 'somethingElse' }), null);
});
