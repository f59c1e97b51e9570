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

test('a full heap: equal scores keep the lower ids, later rows enter only by beating the worst kept, NaN never', async () => {
  // Query row 0 = (1, 0). Rows 1 and 2 are NaN (seen while the heap is still filling), rows 3–8 and 10–15 score 0.6
  // exactly (the same vector), row 20 scores 0.8, the rest are orthogonal (0). k = 5: row 20, then the four lowest
  // ids scoring 0.6, in id order; the later equal rows lose their ties.
  const rows: number[][] = Array.from({ length: 24 }, () => [0, 1]);
  rows[0] = [1, 0];
  for (const r of [3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15]) rows[r] = [3, 4];
  rows[1] = [NaN, 1];
  rows[2] = [1, NaN];
  rows[20] = [4, 3];
  const data = Float32Array.from(rows.flat());
  const tables: EmbeddingTables = {
    vocabSize: rows.length,
    dim: 2,
    contextLength: 0,
    tokenRows: (ids) => Float32Array.from(Array.from(ids, (id) => rows[id]!).flat()),
    tokenRowsRange: (start, count) => data.slice(start * 2, (start + count) * 2),
    positionRows: () => new Float32Array(0),
    describe: () => ({ kind: 'random', seed: '0', vocabSize: rows.length, dim: 2, contextLength: 0 }),
  };
  for (const chunkRows of [1, 4, 24]) {
    const got = await nearestTokens(tables, 0, { k: 5, chunkRows });
    assert.deepEqual(
      got.map((n) => n.id),
      [20, 3, 4, 5, 6],
      `chunkRows ${chunkRows}`,
    );
    assert.deepEqual(
      got.map((n) => n.score),
      [0.8, 0.6, 0.6, 0.6, 0.6],
    );
  }
});
