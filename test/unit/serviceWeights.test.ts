// The engine service with its real dependencies on .safetensors weights: inspect reads the file's rows,
// rows/neighbors report the file as source, and a neighbours scan is cancellable through the service.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import { EngineService } from '../../src/engine/service';
import { getTokenizer } from '../../src/engine/tokenizer';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import { CancellationFlag, RpcError } from '../../src/shared/rpc';
import { buildSafetensors, f32Bytes } from './helpers/safetensorsWriter';
import { assertMatchesTorchSinusoidal, torchSinusoidalRows } from './analysis/fixtures';

const VOCAB = 50257;
const DIM = 3;
const CTX = 6;
let dir: string;
let file: string;
const tok = Float32Array.from({ length: VOCAB * DIM }, (_, i) => Math.fround(Math.sin(i) / 3));
const pos = Float32Array.from({ length: CTX * DIM }, (_, i) => Math.fround(Math.cos(i) / 7));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'te-service-weights-'));
  file = join(dir, 'gpt2-tiny.safetensors');
  writeFileSync(
    file,
    buildSafetensors([
      { name: 'wte.weight', dtype: 'F32', shape: [VOCAB, DIM], data: f32Bytes(tok) },
      { name: 'wpe.weight', dtype: 'F32', shape: [CTX, DIM], data: f32Bytes(pos) },
    ]),
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const settings = (): EmbeddingSettings => ({
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 256, // ignored for files: the file's table decides
  contextLength: 4, // ignored for a learned file table
  stride: 1,
  batchSize: 2,
  positional: 'learned',
  weights: { kind: 'file', path: file },
});

test('inspect on file weights: token rows, the learned positional table and their float32 sum come from the file', async () => {
  const service = new EngineService(defaultEngineDependencies());
  try {
    const text = 'Hello, world. Embeddings from a file!';
    const r = await service.inspect({ text, settings: settings(), firstToken: 0, maxTokens: 100 });
    const ids = getTokenizer('gpt2').encode(text, { allowSpecial: false }).ids;
    assert.equal(r.dim, DIM);
    assert.equal(r.contextLength, CTX);
    assert.deepEqual(r.source, {
      kind: 'file',
      path: file,
      tokenTensor: 'wte.weight',
      positionTensor: 'wpe.weight',
      dtype: 'F32',
      vocabSize: VOCAB,
      dim: DIM,
      contextLength: CTX,
      tokenizer: { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 },
      paddingRows: 0,
    });
    assert.deepEqual(Array.from(r.positionalEmbeddings), Array.from(pos));
    ids.forEach((id, i) => {
      const expectTok = tok.subarray(id * DIM, (id + 1) * DIM);
      assert.deepEqual(Array.from(r.tokenEmbeddings.subarray(i * DIM, (i + 1) * DIM)), Array.from(expectTok));
      const slot = i % CTX;
      const sum = Array.from(expectTok, (v, d) => Math.fround(v + pos[slot * DIM + d]));
      assert.deepEqual(Array.from(r.combinedEmbeddings.subarray(i * DIM, (i + 1) * DIM)), sum);
    });
  } finally {
    service.dispose();
  }
});

test("sinusoidal positions over a file use the file's context length; the token rows stay the file's", async () => {
  const service = new EngineService(defaultEngineDependencies());
  try {
    const r = await service.rows({ settings: { ...settings(), positional: 'sinusoidal', contextLength: 3 }, tokenRows: [5], positionRows: [1] });
    assert.equal(r.contextLength, CTX);
    assertMatchesTorchSinusoidal(r.position, torchSinusoidalRows([1], 3), [1], 3, 'position 1 of a 3-dim table', 0);
    assert.deepEqual(Array.from(r.token), Array.from(tok.subarray(15, 18)));
  } finally {
    service.dispose();
  }
});

test('neighbors through the service: file source, text of each token, and cancellation', async () => {
  const service = new EngineService(defaultEngineDependencies(), { sliceMs: 0 });
  try {
    const r = await service.neighbors({ settings: settings(), id: 464, k: 5 });
    assert.equal(r.text, 'The');
    assert.equal(r.neighbors.length, 5);
    assert.equal(r.source.kind, 'file');
    assert.ok(r.neighbors.every((n) => n.id !== 464 && typeof n.text === 'string'));

    const flag = new CancellationFlag();
    const scan = service.neighbors({ settings: settings(), id: 464, k: 5 }, flag);
    setImmediate(() => flag.cancel());
    await assert.rejects(scan, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
    assert.equal(service.stats().cancelled, 1);

    await assert.rejects(service.neighbors({ settings: settings(), id: 1, k: 0 }), (e: unknown) => e instanceof RpcError && e.kind === 'invalidInput');
    await assert.rejects(
      service.neighbors({ settings: { ...settings(), weights: { kind: 'file', path: join(dir, 'nope.safetensors') } }, id: 1, k: 1 }),
      (e: unknown) => e instanceof RpcError && e.kind === 'invalidInput' && /no such file/.test(e.message),
    );
  } finally {
    service.dispose();
  }
});

test('a weights file truncated after it was opened gives a clear invalidInput error, not a crash', async () => {
  const p = join(dir, 'shrinks.safetensors');
  writeFileSync(p, buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [VOCAB, DIM], data: f32Bytes(tok) }]));
  const service = new EngineService(defaultEngineDependencies());
  try {
    const s: EmbeddingSettings = { ...settings(), positional: 'none', weights: { kind: 'file', path: p } };
    await service.rows({ settings: s, tokenRows: [0], positionRows: [] });
    writeFileSync(p, new Uint8Array(16)); // same inode, truncated in place
    await assert.rejects(
      service.rows({ settings: s, tokenRows: [VOCAB - 1], positionRows: [] }),
      (e: unknown) => e instanceof RpcError && e.kind === 'invalidInput' && /ended early/.test(e.message),
    );
  } finally {
    service.dispose();
  }
});
