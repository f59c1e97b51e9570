// The engine service with each tokenizer and weights source: a tokenizer.json (file, folder), a Hugging Face model
// folder (learned positions, padding rows; RoPE), a .gguf model, and built-in encodings next to them. Ids are
// checked against Hugging Face's Rust tokenizers (@anush008/tokenizers), rows against the bytes written to the files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EmbeddingSettings, TokenizerSource, WeightsSource } from '../../src/shared/embeddingTypes';
import { CancellationFlag, RpcError } from '../../src/shared/rpc';
import { EngineService } from '../../src/engine/service';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import { explainPositions } from '../../src/engine/model';
import { buildSafetensors, f32Bytes } from './helpers/safetensorsWriter';
import { rowOf as rowOfTable, seededTable as table, writeGpt2Folder, writeQwenModel } from './helpers/modelFixtures';
import { lenmlPath, readJson, RustOracle } from './hfTokenizer/support';

const root = mkdtempSync(join(tmpdir(), 'te-sources-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TEXT = 'Hello world! Tokenizers differ: naïve café, 東京, 😀 and <|endoftext|> text.\n  def f(x): return x**2';
const DIM = 4;

const rowOf = (t: Float32Array, r: number, cols = DIM) => rowOfTable(t, r, cols);

function settings(tokenizer: TokenizerSource, weights: WeightsSource, extra: Partial<EmbeddingSettings> = {}): EmbeddingSettings {
  return { tokenizer, allowSpecial: false, dim: DIM, contextLength: 8, stride: 8, batchSize: 2, positional: 'sinusoidal', weights, ...extra };
}

const invalid = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof RpcError, String(e));
  assert.equal(e.kind, 'invalidInput', e.message);
  assert.match(e.message, pattern);
  return true;
};

const { dir: gpt2Dir, json: gpt2Json, rows: GPT2_ROWS, wte, wpe } = writeGpt2Folder(root, DIM);
const { dir: qwenDir, gguf: qwenGguf, json: qwenJson, rows: QWEN_ROWS, table: qwenTable } = writeQwenModel(root);

test('tokenizer.json source (a file, and the folder holding it): ids equal Rust tokenizers, random tables take its vocabulary', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const oracle = new RustOracle(readJson(lenmlPath('llama3')));
  for (const path of [lenmlPath('llama3'), dirname(lenmlPath('llama3'))]) {
    const tokenizer: TokenizerSource = { kind: 'tokenizer.json', path };
    for (const allowSpecial of [false, true]) {
      const r = await service.tokenize({ text: TEXT, options: { tokenizer, allowSpecial } });
      assert.deepEqual(Array.from(r.ids), await oracle.ids(TEXT, allowSpecial));
      assert.deepEqual(r.tokenizer, { kind: 'tokenizer.json', name: 'models', path: lenmlPath('llama3'), model: 'BPE', vocabSize: 128256 });
    }
    const bos = await service.tokenize({ text: TEXT, options: { tokenizer, allowSpecial: false, addSpecialTokens: true } });
    assert.deepEqual(Array.from(bos.ids), await oracle.ids(TEXT, false, true));
    const rows = await service.rows({ settings: settings(tokenizer, { kind: 'random', seed: '123' }), tokenRows: [128255], positionRows: [] });
    assert.equal(rows.vocabSize, 128256, 'random table sized highest id + 1');
    assert.equal(rows.source.tokenizer.vocabSize, 128256);
    assert.equal(rows.source.paddingRows, 0);
  }
  service.dispose();
});

test('Hugging Face folder model: its tokenizer, the file rows, learned positions, padding rows marked in neighbours', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const model = { kind: 'model', path: gpt2Dir } as const;
  const s = settings(model, model);
  const r = await service.inspect({ text: TEXT, settings: s, firstToken: 0, maxTokens: 1000 });
  const expectedIds = await new RustOracle(gpt2Json).ids(TEXT, false);
  assert.deepEqual(
    r.tokens.map((t) => t.id),
    expectedIds,
  );
  assert.equal(r.positional, 'learned', "the model's positions, not the settings' sinusoidal");
  assert.equal(r.contextLength, 8);
  r.tokens.forEach((t, i) => {
    assert.deepEqual(Array.from(r.tokenEmbeddings.subarray(i * DIM, (i + 1) * DIM)), rowOf(wte, t.id));
    const pos = rowOf(wpe, i % 8);
    assert.deepEqual(
      Array.from(r.combinedEmbeddings.subarray(i * DIM, (i + 1) * DIM)),
      rowOf(wte, t.id).map((v, d) => Math.fround(v + pos[d])),
    );
  });
  const src = r.source;
  assert.equal(src.kind, 'model');
  assert.ok(src.kind === 'model');
  assert.deepEqual(
    [src.format, src.architecture, src.tokenTensor, src.dtype, src.vocabSize, src.positions.kind],
    ['huggingface', 'gpt2', 'transformer.wte.weight', 'F32', GPT2_ROWS, 'learned'],
  );
  assert.equal(src.paddingRows, GPT2_ROWS - 50257);
  assert.deepEqual(src.tokenizer, { kind: 'model', name: 'nanogpt', path: gpt2Dir, model: 'BPE', vocabSize: 50257 });

  const n = await service.neighbors({ settings: s, id: 7, k: 3 });
  assert.deepEqual(n.neighbors[0], { id: 50300, score: n.neighbors[0].score, text: null, padding: true });
  assert.ok(n.neighbors[0].score > 0.9999);
  assert.ok(n.neighbors.slice(1).every((x) => !x.padding && x.text !== null));
  const fromPadding = await service.neighbors({ settings: s, id: 50300, k: 1 });
  assert.deepEqual([fromPadding.padding, fromPadding.text, fromPadding.neighbors[0].id], [true, null, 7]);
  const padRow = await service.rows({ settings: s, tokenRows: [50303], positionRows: [7] });
  assert.deepEqual(Array.from(padRow.token), rowOf(wte, 50303));
  assert.deepEqual(Array.from(padRow.position), rowOf(wpe, 7));
  service.dispose();
});

test('RoPE models (Hugging Face folder and GGUF): nothing added to the token vector, ids equal Rust tokenizers, rows equal the file', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const expectedIds = await new RustOracle(qwenJson).ids(TEXT, false);
  for (const path of [qwenDir, qwenGguf]) {
    const model = { kind: 'model', path } as const;
    const r = await service.inspect({ text: TEXT, settings: { ...settings(model, model), dim: 2, contextLength: 16 }, firstToken: 0, maxTokens: 1000 });
    assert.deepEqual(
      r.tokens.map((t) => t.id),
      expectedIds,
      path,
    );
    assert.equal(r.positional, 'none');
    assert.equal(r.contextLength, 16, 'the window is the settings’ context length (the model attends over 40,960)');
    assert.deepEqual(Array.from(r.combinedEmbeddings), Array.from(r.tokenEmbeddings), 'combined = token vector');
    r.tokens.forEach((t, i) => assert.deepEqual(Array.from(r.tokenEmbeddings.subarray(i * 2, i * 2 + 2)), rowOf(qwenTable, t.id, 2)));
    const src = r.source;
    assert.ok(src.kind === 'model');
    assert.equal(src.format, path.endsWith('.gguf') ? 'gguf' : 'huggingface');
    assert.deepEqual([src.positions.kind, src.modelContextLength, src.paddingRows, src.tokenizer.vocabSize], ['rope', 40960, QWEN_ROWS - 151669, 151669]);
    // Data only: the views word the scheme (the engine's explainPositions serves the CLI and the positional lab).
    assert.equal('explanation' in src.positions, false);
    assert.match(explainPositions(src.positions), /combined = token vector/);
  }
  service.dispose();
});

test('a table with fewer rows than the tokenizer has ids is refused naming the first id without a row', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const small = join(root, 'small.safetensors');
  writeFileSync(small, buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [50257, 2], data: f32Bytes(table(50257, 2, 4)) }]));
  const llama: TokenizerSource = { kind: 'tokenizer.json', path: lenmlPath('llama3') };
  await assert.rejects(
    service.rows({ settings: { ...settings(llama, { kind: 'file', path: small }), positional: 'none' }, tokenRows: [0], positionRows: [] }),
    invalid(/has 50257 rows but the tokenizer has 128256 ids: id 50257 to 128255 would have no row/),
  );
  // A model's table used with a bigger tokenizer than its own.
  await assert.rejects(
    service.rows({ settings: settings(llama, { kind: 'model', path: gpt2Dir }), tokenRows: [0], positionRows: [] }),
    invalid(/has 50304 rows but the tokenizer has 128256 ids: id 50304 to 128255 would have no row/),
  );
  // The same file with its own (smaller) tokenizer works, and padding rows are counted.
  const ok = await service.rows({
    settings: { ...settings({ kind: 'encoding', encoding: 'gpt2' }, { kind: 'model', path: qwenDir }), dim: 2 },
    tokenRows: [151935],
    positionRows: [],
  });
  assert.equal(ok.source.paddingRows, QWEN_ROWS - 50257);
  service.dispose();
});

test('a failed load is a clear invalidInput and leaves the tokenizers already loaded usable', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const good: TokenizerSource = { kind: 'tokenizer.json', path: lenmlPath('gpt2') };
  const before = await service.tokenize({ text: TEXT, options: { tokenizer: good, allowSpecial: false } });
  const loads = service.stats().tokenizerLoads;

  const malformed = join(root, 'malformed.json');
  writeFileSync(malformed, '{"model": {"type": "BPE", ');
  const unsupported = join(root, 'unigram.json');
  writeFileSync(unsupported, JSON.stringify({ model: { type: 'Unigram', vocab: [['a', 0]] } }));
  const dupes = join(root, 'dupes.json');
  writeFileSync(dupes, JSON.stringify({ ...gpt2Json, model: { ...(gpt2Json.model as object), vocab: { a: 1, b: 1 }, merges: [] }, added_tokens: [] }));
  const huge = join(root, 'huge', 'tokenizer.json');
  mkdirSync(dirname(huge));
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 500 * 1024 * 1024); // sparse: takes no disk
  closeSync(fd);
  for (const [path, message] of [
    [malformed, /malformed\.json is not valid JSON/],
    [unsupported, /Unigram.*not supported/],
    [dupes, /duplicate|id 1/i],
    [dirname(huge), /500 MB; a tokenizer\.json is at most 128 MB/],
    [join(root, 'missing.json'), /does not exist/],
    [join(root, 'missing-model'), /missing-model/],
  ] as const) {
    const kind = path.endsWith('missing-model') ? 'model' : 'tokenizer.json';
    await assert.rejects(service.tokenize({ text: TEXT, options: { tokenizer: { kind, path }, allowSpecial: false } }), invalid(message), path);
  }
  const after = await service.tokenize({ text: TEXT, options: { tokenizer: good, allowSpecial: false } });
  assert.deepEqual(Array.from(after.ids), Array.from(before.ids));
  assert.equal(service.stats().tokenizerLoads, loads + 6, 'the good tokenizer was not loaded again');
  service.dispose();
});

test('a tokenizer load stops when the only request waiting for it is cancelled; the next request loads it', async () => {
  const service = new EngineService(defaultEngineDependencies());
  const tokenizer: TokenizerSource = { kind: 'tokenizer.json', path: lenmlPath('gemma3') };
  const cancel = new CancellationFlag();
  const pending = service.tokenize({ text: TEXT, options: { tokenizer, allowSpecial: false } }, cancel);
  setImmediate(() => cancel.cancel());
  await assert.rejects(pending, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
  const r = await service.tokenize({ text: TEXT, options: { tokenizer, allowSpecial: false } });
  assert.deepEqual(Array.from(r.ids), await new RustOracle(readJson(lenmlPath('gemma3'))).ids(TEXT, false));
  assert.equal(service.stats().tokenizerLoads, 2, 'the cancelled load was not kept');
  service.dispose();
});
