// The worker's whole-document methods (tokenAt / countTokens / tokenSpans / releaseDocument) against real
// parts: the engine's own BPE tokenizer and PyTorch-exact random tables. The hover must agree exactly
// with inspecting the whole document, so every check compares against `inspect` on the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineService } from '../../src/engine/service';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import { DocumentSync } from '../../src/host/documentSync';
import type { Engine } from '../../src/host/engine';

const verdict = readFileSync(join(__dirname, '..', 'fixtures', 'the-verdict.txt'), 'utf8');
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

/** The worker's own parts: the engine tokenizer and PyTorch-exact random tables. */
const deps = () => defaultEngineDependencies();

test('tokenAt agrees with inspecting the whole document, token by token', async () => {
  const service = new EngineService(deps());
  const whole = await service.inspect({ text: verdict, settings, firstToken: 0, maxTokens: 60 });
  const doc = { uri: 'file:///verdict.txt', version: 1 };
  assert.deepEqual(await service.tokenAt({ document: doc, offset: 0, settings }), { status: 'needText' });
  for (let i = 0; i < whole.tokens.length; i++) {
    const t = whole.tokens[i];
    const offset = i === 0 ? 0 : t.end - 1; // first and last character of tokens
    const r = await service.tokenAt({ document: i === 0 ? { ...doc, text: verdict } : doc, offset, settings });
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    assert.equal(r.index, i);
    assert.equal(r.token.id, t.id);
    assert.deepEqual([r.token.start, r.token.end], [t.start, t.end]);
    assert.equal(r.totalTokens, whole.totalTokens);
    assert.equal(r.position, whole.positions[i]);
    assert.equal(r.window, Math.floor(i / 4));
    assert.deepEqual(Array.from(r.tokenVector), Array.from(whole.tokenEmbeddings.subarray(i * 8, i * 8 + 8)));
    assert.deepEqual(Array.from(r.positionVector), Array.from(whole.positionalEmbeddings.subarray(r.position * 8, r.position * 8 + 8)));
    assert.deepEqual(Array.from(r.combinedVector), Array.from(whole.combinedEmbeddings.subarray(i * 8, i * 8 + 8)));
    const w = Math.floor(i / 4) * 4;
    assert.equal(r.windowStart, whole.tokens[w].start);
    assert.equal(r.windowEnd, whole.tokens[Math.min(w + 3, whole.totalTokens - 1)].end);
  }
  // book numbers: "I HAD always thought" → 40, 367, 2885, 1464
  assert.deepEqual(
    whole.tokens.slice(0, 4).map((t) => t.id),
    [40, 367, 2885, 1464],
  );
  const end = await service.tokenAt({ document: doc, offset: verdict.length, settings });
  assert.deepEqual(end, { status: 'none', totalTokens: whole.totalTokens });
  assert.equal(service.stats().tokenizations, 2, 'the document was tokenized once (inspect once, tokenAt once)');
});

test('countTokens: whole document from the cache, a range tokenized on its own', async () => {
  const service = new EngineService(deps());
  const doc = { uri: 'untitled:1', version: 3, text: verdict };
  assert.deepEqual(await service.countTokens({ document: doc, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } }), {
    status: 'ok',
    count: 5145,
  });
  const firstLine = verdict.slice(0, verdict.indexOf('\n'));
  const ranged = await service.countTokens({
    document: { uri: 'untitled:1', version: 3 },
    range: { start: 0, end: firstLine.length },
    options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false },
  });
  const alone = await service.tokenize({ text: firstLine, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
  assert.deepEqual(ranged, { status: 'ok', count: alone.ids.length });
  assert.deepEqual(
    await service.countTokens({
      document: { uri: 'untitled:1', version: 4 },
      options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false },
    }),
    {
      status: 'needText',
    },
  );
  await assert.rejects(
    service.countTokens({
      document: { uri: 'untitled:1', version: 3 },
      range: { start: 5, end: 4 },
      options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false },
    }),
    /range\.end must be between 5/,
  );
});

test('tokenSpans returns the tokens overlapping a range, with their document index', async () => {
  const service = new EngineService(deps());
  const whole = await service.tokenize({ text: verdict, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
  const r = await service.tokenSpans({
    document: { uri: 'a', version: 1, text: verdict },
    start: 1000,
    end: 1100,
    options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false },
  });
  assert.equal(r.status, 'ok');
  if (r.status !== 'ok') return;
  const n = r.spans.length / 2;
  assert.ok(n > 10);
  for (let k = 0; k < n; k++) {
    const i: number = r.firstIndex + k;
    assert.equal(r.spans[2 * k], whole.spans[2 * i]);
    assert.equal(r.spans[2 * k + 1], whole.spans[2 * i + 1]);
  }
  assert.ok(r.spans[1] > 1000 && whole.spans[2 * r.firstIndex - 1] <= 1000, 'starts at the first token reaching into the range');
  assert.ok(r.spans[2 * n - 2] < 1100 && whole.spans[2 * (r.firstIndex + n)] >= 1100, 'ends with the last token starting inside');
});

test('DocumentSync sends the text only when the worker lacks that version, and recovers from eviction', async () => {
  const service = new EngineService(deps());
  const sentText: boolean[] = [];
  const engine: Engine = {
    call: (method, params) => {
      sentText.push((params as { document?: { text?: string } }).document?.text !== undefined);
      return Promise.resolve(service.handlers[method](params as never, undefined as never)) as never;
    },
  };
  const sync = new DocumentSync(engine);
  let version = 1;
  let text = verdict;
  const snap = {
    uri: 'file:///v',
    get version() {
      return version;
    },
    getText: () => text,
  };
  const at = (offset: number) => sync.call('tokenAt', snap, (document) => ({ document, offset, settings }));
  assert.equal((await at(0)).status, 'ok');
  assert.equal((await at(10)).status, 'ok');
  assert.deepEqual(sentText, [true, false]);
  version = 2;
  text = `Hello ${verdict}`;
  const r = await at(0);
  assert.equal(r.status === 'ok' && r.token.id, 15496); // "Hello"
  assert.deepEqual(sentText, [true, false, true]);
  service.releaseDocument({ uri: 'file:///v' }); // e.g. the worker evicted it, or restarted
  assert.equal((await at(0)).status, 'ok');
  assert.deepEqual(sentText, [true, false, true, false, true], 'needText → one retry with the text');
});
