// The panel's analysis methods on the real EngineService (real gpt2 tokenizer, PyTorch-exact random tables):
// every answer is checked against an independent computation on the same service's `inspect` page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../src/engine/service';
import { labGrid } from '../../src/engine/analysis/methods';
import { decodeNpy } from '../../src/engine/analysis/npy';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import { ANALYSIS_MAX_TOKENS, type AnalysisResult, type InspectParams } from '../../src/shared/engineProtocol';
import { RpcError } from '../../src/shared/rpc';
import { get_encoding } from 'tiktoken';
import { countingDependencies } from '../support/reference';

const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 16,
  contextLength: 32,
  stride: 32,
  batchSize: 8,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};
const text = 'the cat sat on the mat and the cat ran';
const params: InspectParams = { text, settings, firstToken: 0, maxTokens: 1000 };

function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return d / Math.sqrt(na * nb);
}

function as<K extends AnalysisResult['kind']>(r: AnalysisResult, kind: K): Extract<AnalysisResult, { kind: K }> {
  assert.equal(r.kind, kind);
  return r as Extract<AnalysisResult, { kind: K }>;
}

test('similarity: a repeated token is identical before positions (1) and different after (< 1)', async () => {
  const service = new EngineService(countingDependencies());
  const page = await service.inspect(params);
  const s = as(await service.analysis({ kind: 'similarity', inspect: params }), 'similarity');
  const n = page.tokens.length;
  assert.equal(s.page.count, n);
  assert.equal(s.page.capped, false);
  assert.equal(s.token.length, n * n);
  const row = (m: Float32Array, i: number) => m.subarray(i * 16, (i + 1) * 16);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      assert.ok(Math.abs(s.token[i * n + j]! - cosine(row(page.tokenEmbeddings, i), row(page.tokenEmbeddings, j))) < 1e-6);
      assert.ok(Math.abs(s.combined[i * n + j]! - cosine(row(page.combinedEmbeddings, i), row(page.combinedEmbeddings, j))) < 1e-6);
    }
  }
  // " cat" (id 3797) occurs twice, " the" (262) twice; the leading "the" (1169) is a different token.
  const ids = page.tokens.map((t) => t.id);
  const cat = ids.indexOf(3797);
  const cat2 = ids.lastIndexOf(3797);
  assert.ok(cat >= 0 && cat2 > cat, `expected " cat" twice in ${ids}`);
  assert.deepEqual(s.repeated.find((g) => g.id === 3797)?.indices, [cat, cat2]);
  assert.equal(s.token[cat * n + cat2], 1);
  assert.ok(s.combined[cat * n + cat2]! < 0.999);
  const pair = s.pairs.find((p) => p.id === 3797)!;
  assert.equal(pair.tokenSimilarity, 1);
  assert.ok(pair.combinedSimilarity < 0.999);
});

test('similarity and projection look at no more than ANALYSIS_MAX_TOKENS tokens and say so', async () => {
  const service = new EngineService(countingDependencies());
  const long = ' word'.repeat(ANALYSIS_MAX_TOKENS + 40);
  const s = as(await service.analysis({ kind: 'similarity', inspect: { ...params, text: long } }), 'similarity');
  assert.equal(s.page.count, ANALYSIS_MAX_TOKENS);
  assert.equal(s.page.totalTokens, ANALYSIS_MAX_TOKENS + 40);
  assert.equal(s.page.capped, true);
  assert.equal(s.token.length, ANALYSIS_MAX_TOKENS ** 2);
  const p = as(await service.analysis({ kind: 'projection', inspect: { ...params, text: long, maxTokens: 10 } }), 'projection');
  assert.equal(p.page.count, 10);
  assert.equal(p.page.capped, false);
});

test('projection: token and combined points in one basis; tokenStats: the shift is the position vector length', async () => {
  const service = new EngineService(countingDependencies());
  const page = await service.inspect(params);
  const n = page.tokens.length;
  const p = as(await service.analysis({ kind: 'projection', inspect: params }), 'projection');
  assert.equal(p.tokenCoords.length, 2 * n);
  assert.equal(p.combinedCoords.length, 2 * n);
  const [a, b] = p.explainedVarianceRatio;
  assert.ok(a >= b && b > 0 && a + b <= 1 + 1e-9);
  // Same token id → same tail point; different positions → different heads.
  const ids = page.tokens.map((t) => t.id);
  const i = ids.indexOf(3797),
    j = ids.lastIndexOf(3797);
  assert.deepEqual([p.tokenCoords[2 * i], p.tokenCoords[2 * i + 1]], [p.tokenCoords[2 * j], p.tokenCoords[2 * j + 1]]);
  assert.notDeepEqual([p.combinedCoords[2 * i], p.combinedCoords[2 * i + 1]], [p.combinedCoords[2 * j], p.combinedCoords[2 * j + 1]]);

  const t = as(await service.analysis({ kind: 'tokenStats', inspect: params }), 'tokenStats');
  assert.equal(t.tokenNorm.length, n);
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs(t.shift[k]! - t.positionNorm[k]!) < 1e-5);
    assert.ok(t.positionNorm[k]! > 0);
  }
});

test('positional lab: RoPE scores depend only on the offset, learned and sinusoidal additive ones do not', async () => {
  const service = new EngineService(countingDependencies());
  for (const positional of ['learned', 'none'] as const) {
    const lab = as(await service.analysis({ kind: 'positionalLab', inspect: { ...params, settings: { ...settings, positional } } }), 'positionalLab');
    const by = Object.fromEntries(lab.series.map((s) => [s.scheme, s]));
    assert.deepEqual(Object.keys(by).sort(), ['learned', 'rope', 'sinusoidal']);
    assert.deepEqual(by.rope!.starts, [0, 8, 16]);
    assert.equal(by.rope!.offsets.length, 16);
    assert.ok(by.rope!.maxSpread < 1e-9, `rope spread ${by.rope!.maxSpread}`);
    assert.ok(by.learned!.maxSpread > 1e-2, `learned spread ${by.learned!.maxSpread}`);
    assert.ok(by.sinusoidal!.maxSpread > 1e-2, `sinusoidal spread ${by.sinusoidal!.maxSpread}`);
    assert.equal(lab.learnedUnavailable, null);
    assert.deepEqual(lab.windowing, { totalTokens: lab.page.totalTokens, stride: params.settings.stride, windows: 0, droppedTokens: 0 });
  }
  assert.deepEqual(labGrid(4), { starts: [0, 1, 2], offsets: [0, 1] });
});

test('exportData: .npy bytes of the combined page matrix and ids JSON with spans', async () => {
  const service = new EngineService(countingDependencies());
  const page = await service.inspect(params);
  const n = page.tokens.length;
  const npy = await service.exportData({ inspect: params, what: 'combined', format: 'npy' });
  assert.equal(npy.fileName, 'input_embeddings.npy');
  assert.deepEqual(Array.from(npy.bytes.subarray(0, 6)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  const decoded = decodeNpy(npy.bytes);
  assert.deepEqual(decoded.shape, [n, 16]);
  assert.deepEqual(Array.from(decoded.data as Float32Array), Array.from(page.combinedEmbeddings));
  const ids = await service.exportData({ inspect: params, what: 'ids', format: 'json' });
  const json = JSON.parse(new TextDecoder().decode(ids.bytes)) as { ids: number[]; spans: [number, number][] };
  assert.deepEqual(
    json.ids,
    page.tokens.map((t) => t.id),
  );
  assert.deepEqual(
    json.spans,
    page.tokens.map((t) => [t.start, t.end]),
  );
  await assert.rejects(
    service.exportData({ inspect: params, what: 'bogus' as never, format: 'npy' }),
    (e) => e instanceof RpcError && e.kind === 'invalidInput',
  );
});

test("pytorchSnippet: the script seeds torch with the panel seed, carries tiktoken's ids and the panel's values", async () => {
  const service = new EngineService(countingDependencies());
  const s = await service.pytorchSnippet({ text, settings });
  const enc = get_encoding('gpt2');
  const ids = Array.from(enc.encode(text));
  enc.free();
  assert.equal(ids.length, 10);
  assert.match(s.code, /^torch\.manual_seed\(123\)$/m);
  assert.match(s.code, /^vocab_size = 50257\noutput_dim = 16\ncontext_length = 32$/m);
  assert.ok(s.code.split('\n').includes(`inputs = torch.tensor([[${ids.join(', ')}]])`), 'the ids tiktoken gives, as one row');
  assert.deepEqual(s.inputsShape, [1, ids.length]);
  // the values it says the extension computed are the panel's: combined row of token 0, first 8 dims
  const page = await service.inspect(params);
  const row = /^expected_first_row = torch\.tensor\(\[(.*)\]\)$/m.exec(s.code)![1]!.split(', ').map(Number);
  assert.deepEqual(row.map(Math.fround), Array.from(page.combinedEmbeddings.subarray(0, 8)));
});
