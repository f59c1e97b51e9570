// EngineService with its real parts (the engine tokenizer, PyTorch-exact random tables), checked against
// oracles: OpenAI's tiktoken (WASM) for ids and PyTorch's own numbers (fixture rows from torch-embedding-init.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineService, firstBatch, type EngineDependencies } from '../../src/engine/service';
import { normalizeSeed } from '../../src/engine/serviceValidation';
import { CancellationFlag, RpcError } from '../../src/shared/rpc';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { InspectParams } from '../../src/shared/engineProtocol';
import { get_encoding } from 'tiktoken';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import { BOOK_SETTINGS, assertClose, countingDependencies, fixtureDir, reference } from '../support/reference';
import { assertMatchesTorchSinusoidal, torchSinusoidalRows } from './analysis/fixtures';

const verdict = readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8');
const book: EmbeddingSettings = BOOK_SETTINGS;
const bookRows = reference.book_50257x256;

function isInvalid(pattern: RegExp) {
  return (e: unknown) => e instanceof RpcError && e.kind === 'invalidInput' && pattern.test(e.message);
}

function rowOf(flat: Float32Array, i: number, dim: number): number[] {
  return Array.from(flat.subarray(i * dim, (i + 1) * dim));
}

test('tokenize returns real gpt2 ids and UTF-16 spans that tile the text', async () => {
  const service = new EngineService(countingDependencies());
  const r = await service.tokenize({ text: verdict, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
  assert.deepEqual(r.tokenizer, { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 });
  assert.equal(r.ids.length, 5145);
  assert.deepEqual(Array.from(r.ids), Array.from(get_encoding('gpt2').encode_ordinary(verdict)));
  let joined = '';
  for (let i = 0; i < r.ids.length; i++) joined += verdict.slice(r.spans[2 * i], r.spans[2 * i + 1]);
  assert.equal(joined, verdict);
});

test('allowSpecial decides whether <|endoftext|> is one special token or plain text', async () => {
  const service = new EngineService(countingDependencies());
  const text = 'Hi<|endoftext|>';
  const special = await service.tokenize({ text, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: true } });
  const plain = await service.tokenize({ text, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
  assert.deepEqual(Array.from(special.ids), [17250, 50256]);
  assert.ok(plain.ids.length > 2 && !Array.from(plain.ids).includes(50256));
});

test('inspect gives the book first batch, shapes, and PyTorch-exact vectors for the page', async () => {
  const service = new EngineService(countingDependencies());
  const r = await service.inspect({ text: verdict, settings: book, firstToken: 0, maxTokens: 8 });
  assert.equal(r.totalTokens, 5145);
  assert.deepEqual(r.shapes, { inputs: [8, 4], tokenEmbeddings: [8, 4, 256], positional: [4, 256], combined: [8, 4, 256] });
  const fb = r.firstBatch;
  assert.deepEqual(Array.from(fb.inputs.subarray(0, 4)), [40, 367, 2885, 1464]);
  assert.deepEqual(Array.from(fb.inputs.subarray(28, 32)), [284, 3285, 326, 11]);
  assert.deepEqual(Array.from(fb.targets.subarray(28, 32)), [3285, 326, 11, 287]);
  assert.equal(fb.windows, Math.ceil((5145 - 4) / 4));
  assert.equal(fb.batches, Math.ceil(fb.windows / 8));

  assert.deepEqual(Array.from(r.positions), [0, 1, 2, 3, 0, 1, 2, 3]);
  assert.deepEqual(
    r.tokens.map((t) => t.id),
    [40, 367, 2885, 1464, 1807, 3619, 402, 271],
  );
  assert.equal(r.tokens[1].text, ' H');
  assert.deepEqual([r.tokens[1].start, r.tokens[1].end], [1, 3]);
  for (let i = 0; i < 8; i++) {
    const id = r.tokens[i].id;
    assertClose(rowOf(r.tokenEmbeddings, i, 256), bookRows.tok_rows![String(id)], `token ${id}`);
    const tok = rowOf(r.tokenEmbeddings, i, 256);
    const pos = rowOf(r.positionalEmbeddings, i % 4, 256);
    assert.deepEqual(
      rowOf(r.combinedEmbeddings, i, 256),
      tok.map((t, d) => Math.fround(t + pos[d])),
      'float32 token + position',
    );
  }
  for (let p = 0; p < 4; p++) assertClose(rowOf(r.positionalEmbeddings, p, 256), bookRows.pos_rows![String(p)], `position ${p}`);
});

test('a later page keeps each token at slot index mod contextLength', async () => {
  const service = new EngineService(countingDependencies());
  const r = await service.inspect({ text: verdict, settings: book, firstToken: 29, maxTokens: 3 });
  assert.equal(r.firstToken, 29);
  assert.deepEqual(
    r.tokens.map((t) => t.id),
    [3285, 326, 11],
  );
  assert.deepEqual(Array.from(r.positions), [1, 2, 3]);
  assertClose(rowOf(r.tokenEmbeddings, 0, 256), bookRows.tok_rows!['3285'], 'token 3285');
  const pos1 = rowOf(r.positionalEmbeddings, 1, 256);
  assertClose(pos1, bookRows.pos_rows!['1'], 'position 1');
  assert.deepEqual(
    rowOf(r.combinedEmbeddings, 0, 256),
    rowOf(r.tokenEmbeddings, 0, 256).map((t, d) => Math.fround(t + pos1[d])),
  );
});

test('positional "none" adds zeros: combined equals the token rows', async () => {
  const service = new EngineService(countingDependencies());
  const r = await service.inspect({ text: verdict, settings: { ...book, positional: 'none' }, firstToken: 0, maxTokens: 4 });
  assert.ok(r.positionalEmbeddings.every((v) => v === 0));
  assert.deepEqual(Array.from(r.combinedEmbeddings), Array.from(r.tokenEmbeddings));
});

test('fewer windows than one batch: the batch dim is the number of windows (drop_last=False)', () => {
  const ids = [1, 2, 3, 4, 5, 6, 7];
  const b = firstBatch(ids, 4, 1, 8); // starts range(0, 3, 1) = 0, 1, 2
  assert.equal(b.batch, 3);
  assert.equal(b.windows, 3);
  assert.deepEqual(Array.from(b.inputs), [1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(b.targets), [2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7]);
  const none = firstBatch([1, 2, 3, 4], 4, 4, 8); // range(0, 0, 4) is empty, as in the book's dataset
  assert.equal(none.batch, 0);
  assert.equal(none.inputs.length, 0);
});

test('rows returns the PyTorch 6×3 table for seed 123 with an explicit vocabulary size', async () => {
  const service = new EngineService(countingDependencies());
  const doc = reference.seed_doc_6x3;
  const r = await service.rows({
    settings: { ...book, dim: 3, contextLength: 4 },
    vocabSize: 6,
    tokenRows: [0, 1, 2, 3, 4, 5],
    positionRows: [0, 3],
  });
  assert.equal(r.dim, 3);
  assert.equal(r.vocabSize, 6);
  assertClose(r.token, doc.tok_full!.flat(), 'token table');
  assertClose(r.position, [...doc.pos_full![0], ...doc.pos_full![3]], 'positions 0 and 3');
  assert.deepEqual(
    Array.from(r.token.subarray(0, 3), (v) => v.toFixed(4)),
    ['0.3374', '-0.1778', '-0.1690'],
  );
});

test('bad input is rejected with invalidInput and a message that names the field', async () => {
  const service = new EngineService(countingDependencies());
  const inspect = (patch: Partial<EmbeddingSettings>, extra: Partial<InspectParams> = {}) =>
    service.inspect({ text: 'Hello world', settings: { ...book, ...patch }, firstToken: 0, maxTokens: 10, ...extra });
  await assert.rejects(inspect({ dim: 0 }), isInvalid(/dim must be between 1 and 4096, got 0/));
  await assert.rejects(inspect({ dim: 4097 }), isInvalid(/dim must be between 1 and 4096/));
  await assert.rejects(inspect({ dim: 2.5 }), isInvalid(/dim must be a whole number/));
  await assert.rejects(inspect({ contextLength: 0 }), isInvalid(/contextLength/));
  await assert.rejects(inspect({ stride: 0 }), isInvalid(/stride/));
  await assert.rejects(inspect({ tokenizer: { kind: 'encoding', encoding: 'gpt5' as 'gpt2' } }), isInvalid(/encoding must be one of gpt2/));
  await assert.rejects(inspect({ positional: 'rotary' as 'none' }), isInvalid(/positional must be one of/));
  await assert.rejects(inspect({ weights: { kind: 'random', seed: '-1' } }), isInvalid(/seed must be a decimal string/));
  await assert.rejects(inspect({ weights: { kind: 'random', seed: '18446744073709551616' } }), isInvalid(/at most 18446744073709551615/));
  await assert.rejects(inspect({}, { firstToken: 99 }), isInvalid(/firstToken 99 is past the end of the text \(2 tokens\)/));
  await assert.rejects(
    service.rows({ settings: { ...book, dim: 3 }, vocabSize: 6, tokenRows: [6], positionRows: [] }),
    isInvalid(/row 6 is outside the 6-row token table/),
  );
  await assert.rejects(
    service.rows({ settings: { ...book, dim: 3 }, vocabSize: 6, tokenRows: [], positionRows: [4] }),
    isInvalid(/row 4 is outside the 4-row positional table/),
  );
  assert.equal(service.stats().completed, 0);
});

test('token ids that do not fit a smaller table are reported, not read out of bounds', async () => {
  // Like a weights file with fewer rows than the encoding has tokens: the factory decides the table's shape.
  const real = defaultEngineDependencies();
  const service = new EngineService({
    tokenizer: real.tokenizer,
    tables: (spec) => new RandomEmbeddingTables({ seed: '123', vocabSize: 6, dim: spec.dim, contextLength: spec.contextLength }),
  });
  await assert.rejects(
    service.inspect({ text: 'Hello', settings: { ...book, dim: 3 }, firstToken: 0, maxTokens: 5 }),
    isInvalid(/token id 15496 does not fit the 6-row token table/),
  );
});

test('seeds are decimal strings up to 2^64−1, normalised', () => {
  assert.equal(normalizeSeed('18446744073709551615'), '18446744073709551615');
  assert.equal(normalizeSeed('007'), '7');
  assert.throws(() => normalizeSeed('1e3'), RpcError);
  assert.throws(() => normalizeSeed(123), RpcError);
});

test('tokenizations and tables are cached; results never share (transferable) buffers with the cache', async () => {
  const deps = countingDependencies();
  const service = new EngineService(deps);
  const a = await service.tokenize({ text: verdict, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } });
  a.ids.fill(0);
  const b = await service.inspect({ text: verdict, settings: book, firstToken: 0, maxTokens: 2 });
  await service.inspect({ text: verdict, settings: book, firstToken: 2, maxTokens: 2 });
  assert.deepEqual(
    b.tokens.map((t) => t.id),
    [40, 367],
  );
  const s = service.stats();
  assert.equal(s.tokenizations, 1);
  assert.equal(s.tokenizationCacheHits, 2);
  assert.equal(s.tablesCreated, 1);
  assert.equal(deps.created.length, 1);
});

test('a cancelled inspect stops between chunks instead of finishing its work', async () => {
  const deps = countingDependencies();
  // Chunks of one row with a yield after every chunk, so the cancel lands mid-page.
  const service = new EngineService(deps, { rowsPerChunk: 1, sliceMs: 0 });
  const flag = new CancellationFlag();
  const pending = service.inspect({ text: verdict, settings: book, firstToken: 0, maxTokens: 32 }, flag);
  // Cancel once the page is under way (5 of its 32 one-row chunks gathered).
  const cancelMidway = (): void => void ((deps.created[0]?.gatherCalls ?? 0) >= 5 ? flag.cancel() : setImmediate(cancelMidway));
  cancelMidway();
  await assert.rejects(pending, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
  const tables = deps.created[0];
  assert.ok(tables.gatherCalls >= 5 && tables.gatherCalls < 32, `gathered ${tables.gatherCalls} of 32 chunks after cancel`);
  assert.deepEqual({ cancelled: service.stats().cancelled, completed: service.stats().completed }, { cancelled: 1, completed: 0 });
});

test('a tables factory failure is reported and not cached', async () => {
  let calls = 0;
  const real = defaultEngineDependencies();
  const deps: EngineDependencies = {
    tokenizer: real.tokenizer,
    tables: (spec) => {
      calls++;
      if (calls === 1) throw new RangeError('table too large');
      return real.tables(spec);
    },
  };
  const service = new EngineService(deps);
  await assert.rejects(service.inspect({ text: 'I HAD', settings: book, firstToken: 0, maxTokens: 2 }), isInvalid(/table too large/));
  const r = await service.inspect({ text: 'I HAD', settings: book, firstToken: 0, maxTokens: 2 });
  assert.deepEqual(
    r.tokens.map((t) => t.id),
    [40, 367],
  );
});

test("switching the positional scheme reuses the token table; sinusoidal rows are PyTorch's", async () => {
  const deps = countingDependencies();
  const service = new EngineService(deps);
  const learned = await service.inspect({ text: verdict, settings: book, firstToken: 0, maxTokens: 4 });
  const sin = await service.inspect({ text: verdict, settings: { ...book, positional: 'sinusoidal' }, firstToken: 0, maxTokens: 4 });
  assert.equal(deps.created.length, 1);
  assert.deepEqual(Array.from(sin.tokenEmbeddings), Array.from(learned.tokenEmbeddings));
  // positions 0…3 of a 256-dim table, against the float32 table real PyTorch computed
  assertMatchesTorchSinusoidal(sin.positionalEmbeddings, torchSinusoidalRows([0, 1, 2, 3], 256), [0, 1, 2, 3], 256, 'inspect');
  assert.equal(sin.positional, 'sinusoidal');
});
