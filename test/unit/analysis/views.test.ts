import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNpy } from '../../../src/engine/analysis/npy';
import { exportInspect, projectionView, similarityView, tokenStatsView } from '../../../src/engine/analysis/views';
import type { InspectResult } from '../../../src/shared/engineProtocol';
import { firstBatch } from '../../../src/engine/service';
import { bookBatch, reference } from './fixtures';

const GPT2_TOKENIZER = { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 } as const;

/** An InspectResult for the book's first 32 tokens (8 windows × 4), built from PyTorch's own rows. */
function bookInspect(): InspectResult {
  const b = bookBatch();
  const n = b.ids.length;
  return {
    source: { kind: 'random', seed: '123', vocabSize: 50257, dim: 256, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 },
    positional: 'learned',
    totalTokens: 5145,
    firstToken: 0,
    tokens: b.ids.map((id, i) => ({ id, start: i * 3, end: i * 3 + 3, bytes: [], text: i === 1 ? '=x' : `t${i}` })),
    positions: Int32Array.from({ length: n }, (_, i) => i % 4),
    dim: 256,
    contextLength: 4,
    tokenEmbeddings: b.tok,
    positionalEmbeddings: b.pos,
    combinedEmbeddings: b.comb,
    // The loader over these 32 ids alone (the real text goes on, so its batch has one window more).
    firstBatch: firstBatch(b.ids, 4, 4, 8),
    shapes: { inputs: [8, 4], tokenEmbeddings: [8, 4, 256], positional: [4, 256], combined: [8, 4, 256] },
  };
}

test('views computed from an InspectResult', () => {
  const r = bookInspect();
  const s = similarityView(r);
  assert.equal(s.n, 32);
  assert.equal(s.token.length, 32 * 32);
  assert.equal(s.token[10 * 32 + 15], 1); // ' a' at slots 2 and 3: same token row
  assert.ok(s.combined[10 * 32 + 15]! < 0.9);
  assert.deepEqual(
    s.groups.map((g) => g.id),
    [257, 438, 284],
  );
  // the joint token→combined projection is numpy's SVD of the 64 stacked vectors (first 32 are the tokens)
  const p = projectionView(r);
  const jr = reference.book.pcaJoint;
  assert.equal(p.tokenCoords.length, 64);
  for (let i = 0; i < 32; i++) {
    for (let c = 0; c < 2; c++) {
      assert.ok(Math.abs(p.tokenCoords[i * 2 + c]! - jr.coords[i]![c]!) < 1e-5, `token ${i} axis ${c}`);
      assert.ok(Math.abs(p.combinedCoords[i * 2 + c]! - jr.coords[32 + i]![c]!) < 1e-5, `combined ${i} axis ${c}`);
    }
  }
  for (let c = 0; c < 2; c++) assert.ok(Math.abs(p.explainedVarianceRatio[c]! - jr.ratio[c]!) < 1e-9, `ratio ${c}`);
  assert.deepEqual(p.texts.slice(0, 2), ['t0', '=x']);
  assert.deepEqual(Array.from(p.positions.subarray(0, 6)), [0, 1, 2, 3, 0, 1]);
  // per-token norms and cosines as PyTorch computes them (torch.linalg.norm, cosine_similarity in float64)
  const st = tokenStatsView(r);
  for (const key of ['tokenNorm', 'positionNorm', 'combinedNorm', 'shift', 'cosTokenCombined'] as const) {
    const torch = reference.book.stats[key];
    assert.equal(st[key].length, 32, key);
    st[key].forEach((v, i) => assert.ok(Math.abs(v - torch[i]!) <= 1e-9 * Math.max(1, Math.abs(torch[i]!)), `${key}[${i}]: ${v} vs PyTorch ${torch[i]}`));
  }
});

test('exportInspect: every matrix and the IDs, in every format', () => {
  const r = bookInspect();
  const csv = new TextDecoder().decode(exportInspect(r, 'combined', 'csv').bytes).split('\r\n');
  assert.ok(csv[0]!.startsWith('index,id,token,dim_0,dim_1,') && csv[0]!.endsWith(',dim_255'));
  assert.ok(csv[2]!.startsWith(`1,367,"'=x",`));
  const pos = new TextDecoder().decode(exportInspect(r, 'positional', 'csv').bytes).split('\r\n');
  assert.equal(pos.length, 1 + 4 + 1);
  assert.ok(pos[4]!.startsWith('3,'));
  const npy = decodeNpy(exportInspect(r, 'token', 'npy').bytes);
  assert.deepEqual(npy.shape, [32, 256]);
  assert.deepEqual(npy.data, r.tokenEmbeddings);
  const idsNpy = decodeNpy(exportInspect(r, 'ids', 'npy').bytes);
  assert.deepEqual(
    Array.from(idsNpy.data as BigInt64Array, Number),
    r.tokens.map((t) => t.id),
  );
  const idsJson = JSON.parse(new TextDecoder().decode(exportInspect(r, 'ids', 'json').bytes));
  assert.equal(idsJson.count, 32);
  assert.deepEqual(idsJson.spans[1], [3, 6]);
  const idsCsv = new TextDecoder().decode(exportInspect(r, 'ids', 'csv').bytes).split('\r\n');
  assert.equal(idsCsv[0], 'index,id,start,end,token');
  assert.equal(idsCsv[2], `1,367,3,6,"'=x"`);
  const json = JSON.parse(new TextDecoder().decode(exportInspect(r, 'positional', 'json').bytes));
  assert.deepEqual(json.shape, [4, 256]);
  assert.equal(Math.fround(json.data[3][255]), r.positionalEmbeddings[4 * 256 - 1]);
});
