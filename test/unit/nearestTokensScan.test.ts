// The nearest-token scan's fast paths give the answer of the plain computation: random-init tables through their
// sequential range path and row by row, first scans (norms computed) and repeat scans (norms cached), a scan
// after a cancelled one, all identical; and the same ids as a brute-force float64 cosine sort, scores to rounding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestTokens, type NearestToken } from '../../src/engine/nearestTokens';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import type { EmbeddingTables } from '../../src/engine/types';
import { CancellationFlag, RpcError } from '../../src/shared/rpc';

/** The same tables without tokenRowsRange, so the scan reads them row by row (the path scans used before). */
function rowByRow(t: EmbeddingTables): EmbeddingTables {
  return {
    vocabSize: t.vocabSize,
    dim: t.dim,
    contextLength: t.contextLength,
    tokenRows: (r) => t.tokenRows(r),
    positionRows: (r) => t.positionRows(r),
    describe: () => t.describe(),
  };
}

function bruteForce(t: EmbeddingTables, id: number, k: number): NearestToken[] {
  const all = t.tokenRows(Array.from({ length: t.vocabSize }, (_, i) => i));
  const dim = t.dim;
  const norm = (r: number) => Math.sqrt(all.subarray(r * dim, (r + 1) * dim).reduce((s, v) => s + v * v, 0));
  const scored: NearestToken[] = [];
  for (let r = 0; r < t.vocabSize; r++) {
    if (r === id) continue;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += all[r * dim + j]! * all[id * dim + j]!;
    scored.push({ id: r, score: dot / (norm(r) * norm(id)) });
  }
  return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
}

const make = (dim: number) => new RandomEmbeddingTables({ seed: '123', vocabSize: 5000, dim, contextLength: 4, materializeLimit: 0 });

test('random tables: range path, row-by-row path, first and repeat scans give identical results', async () => {
  for (const dim of [7, 64, 130]) {
    const tables = make(dim);
    const first = await nearestTokens(tables, 40, { k: 12 });
    const repeat = await nearestTokens(tables, 40, { k: 12 });
    const rows = await nearestTokens(rowByRow(make(dim)), 40, { k: 12 });
    const smallBlocks = await nearestTokens(make(dim), 40, { k: 12, chunkRows: 33 });
    assert.deepEqual(repeat, first, `dim ${dim}: repeat scan (norms cached)`);
    assert.deepEqual(rows, first, `dim ${dim}: row by row`);
    assert.deepEqual(smallBlocks, first, `dim ${dim}: other block size`);
    const expected = bruteForce(tables, 40, 12);
    assert.deepEqual(
      first.map((n) => n.id),
      expected.map((n) => n.id),
      `dim ${dim}: ids`,
    );
    first.forEach((n, i) => assert.ok(Math.abs(n.score - expected[i]!.score) < 1e-12, `dim ${dim}: score ${i}`));
  }
});

test('a scan cancelled half way leaves the cached norms valid for the next scan', async () => {
  const reference = await nearestTokens(make(64), 7, { k: 5 });
  const tables = make(64);
  const flag = new CancellationFlag();
  let blocks = 0;
  const cancelAfterTwoBlocks = { throwIfCancelled: () => (++blocks === 3 ? flag.cancel() : undefined, flag.throwIfCancelled()) };
  await assert.rejects(
    nearestTokens(tables, 7, { k: 5, chunkRows: 1000, cancel: cancelAfterTwoBlocks }),
    (e: unknown) => e instanceof RpcError && e.kind === 'cancelled',
  );
  assert.deepEqual(await nearestTokens(tables, 7, { k: 5, chunkRows: 700 }), reference);
  assert.deepEqual(await nearestTokens(tables, 3000, { k: 5 }), await nearestTokens(make(64), 3000, { k: 5 }));
});

test('two scans of one table running at once (interleaved at their yields) both get the right answer', async () => {
  const tables = make(64);
  const [a, b] = await Promise.all([
    nearestTokens(tables, 1, { k: 4, chunkRows: 100, yieldEveryMs: 0 }),
    nearestTokens(tables, 2, { k: 4, chunkRows: 150, yieldEveryMs: 0 }),
  ]);
  assert.deepEqual(a, await nearestTokens(make(64), 1, { k: 4 }));
  assert.deepEqual(b, await nearestTokens(make(64), 2, { k: 4 }));
});
