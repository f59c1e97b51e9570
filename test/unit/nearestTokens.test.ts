// Nearest tokens by cosine similarity: known answers on constructed tables (in memory and from a file,
// through the block fast path and the tokenRows fallback), brute-force agreement, and cancellation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nearestTokens } from '../../src/engine/nearestTokens';
import { FileEmbeddingTables } from '../../src/engine/safetensors';
import type { EmbeddingTables } from '../../src/engine/types';
import type { TableDescription } from '../../src/shared/embeddingTypes';
import { CancellationFlag, RpcError } from '../../src/shared/rpc';
import { buildSafetensors, f32Bytes } from './helpers/safetensorsWriter';

/** A plain in-memory table (no tokenRowsRange, so the fallback path is used). */
class MemoryTables implements EmbeddingTables {
  readonly contextLength = 0;
  rowsRequested = 0;
  constructor(
    readonly vocabSize: number,
    readonly dim: number,
    private readonly data: Float32Array,
  ) {}
  tokenRows(rows: ArrayLike<number>): Float32Array {
    this.rowsRequested += rows.length;
    const out = new Float32Array(rows.length * this.dim);
    for (let i = 0; i < rows.length; i++) out.set(this.data.subarray(rows[i] * this.dim, (rows[i] + 1) * this.dim), i * this.dim);
    return out;
  }
  positionRows(): Float32Array {
    return new Float32Array(0);
  }
  describe(): TableDescription {
    return { kind: 'random', seed: '0', vocabSize: this.vocabSize, dim: this.dim, contextLength: 0 };
  }
}

// Query row 0 = +x. Expected order: 1 and 7 (cos 1, tie → lower id first), 6 (≈0.995), 2 (≈0.707), then 4/5 (0).
const KNOWN = [
  [1, 0, 0],
  [2, 0, 0],
  [1, 1, 0],
  [-1, 0, 0],
  [0, 1, 0],
  [0, 0, 0],
  [1, 0.1, 0],
  [3, 0, 0],
];
const knownTable = () => new MemoryTables(8, 3, Float32Array.from(KNOWN.flat()));

test('known answer: top-k by cosine, ties by id, excludes the token itself', async () => {
  const got = await nearestTokens(knownTable(), 0, { k: 4 });
  assert.deepEqual(
    got.map((n) => n.id),
    [1, 7, 6, 2],
  );
  assert.equal(got[0].score, 1);
  assert.ok(Math.abs(got[2].score - 1 / Math.sqrt(1.01)) < 1e-6);
  assert.ok(Math.abs(got[3].score - Math.SQRT1_2) < 1e-6);
  // All of them: the opposite vector is last, the zero row scores 0.
  const all = await nearestTokens(knownTable(), 0, { k: 100, chunkRows: 3 });
  assert.equal(all.length, 7);
  assert.deepEqual(all.at(-1), { id: 3, score: -1 });
  assert.deepEqual(
    all.find((n) => n.id === 5),
    { id: 5, score: 0 },
  );
  assert.ok(!all.some((n) => n.id === 0));
});

test('same answer from a .safetensors file through the block fast path, any block size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'te-nearest-'));
  try {
    const p = join(dir, 'known.safetensors');
    writeFileSync(p, buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [8, 3], data: f32Bytes(KNOWN.flat()) }]));
    const t = FileEmbeddingTables.open(p);
    for (const chunkRows of [1, 3, 8, 1024]) {
      assert.deepEqual(await nearestTokens(t, 0, { k: 4, chunkRows }), await nearestTokens(knownTable(), 0, { k: 4 }));
    }
    t.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('agrees with a brute-force sort on a random table', async () => {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const V = 3000;
  const D = 16;
  const data = Float32Array.from({ length: V * D }, rand);
  const tables = new MemoryTables(V, D, data);
  for (const id of [0, 1234, V - 1]) {
    const q = data.subarray(id * D, (id + 1) * D);
    const scores: { id: number; score: number }[] = [];
    for (let r = 0; r < V; r++) {
      if (r === id) continue;
      let dot = 0,
        a = 0,
        b = 0;
      for (let j = 0; j < D; j++) {
        dot += q[j] * data[r * D + j];
        a += q[j] * q[j];
        b += data[r * D + j] ** 2;
      }
      scores.push({ id: r, score: dot / Math.sqrt(a) / Math.sqrt(b) });
    }
    scores.sort((x, y) => y.score - x.score || x.id - y.id);
    const got = await nearestTokens(tables, id, { k: 25, chunkRows: 333 });
    assert.deepEqual(
      got.map((n) => n.id),
      scores.slice(0, 25).map((n) => n.id),
    );
    for (let i = 0; i < 25; i++) assert.ok(Math.abs(got[i].score - scores[i].score) < 1e-12);
  }
});

test('NaN rows never rank; bad arguments are RangeErrors', async () => {
  const data = Float32Array.from([1, 0, NaN, 0, 1, 1]);
  const got = await nearestTokens(new MemoryTables(3, 2, data), 0, { k: 5 });
  assert.deepEqual(
    got.map((n) => n.id),
    [2],
  );
  await assert.rejects(nearestTokens(knownTable(), 8), RangeError);
  await assert.rejects(nearestTokens(knownTable(), -1), RangeError);
  await assert.rejects(nearestTokens(knownTable(), 0, { k: 0 }), RangeError);
  await assert.rejects(nearestTokens(knownTable(), 0, { chunkRows: 0 }), RangeError);
  assert.deepEqual(await nearestTokens(new MemoryTables(1, 2, Float32Array.from([1, 1])), 0), []);
});

test('cancellation is checked between blocks and stops the scan', async () => {
  const V = 10_000;
  const tables = new MemoryTables(V, 4, new Float32Array(V * 4).fill(1));
  let checks = 0;
  const cancel = {
    throwIfCancelled() {
      if (++checks === 3) throw new RpcError('cancelled', 'stop');
    },
  };
  await assert.rejects(nearestTokens(tables, 0, { chunkRows: 100, cancel }), (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
  // 1 query row + 2 blocks of 100 before the third check threw.
  assert.equal(tables.rowsRequested, 1 + 200);
});

test('a CancellationFlag set from another task while the scan runs stops it (the scan yields)', async () => {
  const V = 20_000;
  const tables = new MemoryTables(V, 8, new Float32Array(V * 8).fill(0.5));
  const flag = new CancellationFlag();
  const scan = nearestTokens(tables, 0, { chunkRows: 64, cancel: flag, yieldEveryMs: 0 });
  setImmediate(() => flag.cancel());
  await assert.rejects(scan, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
  assert.ok(tables.rowsRequested < V, `scan read ${tables.rowsRequested} rows before stopping`);
});
