// FileEmbeddingTables against real files written to a temp dir: dtypes, tensor discovery, typed errors,
// lazy positioned reads (bytes counted through a wrapping ByteSource), the LRU, and a GPT-2-sized file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  FileByteSource,
  FileEmbeddingTables,
  listEmbeddingCandidates,
  listEmbeddingCandidatesInFile,
  parseSafetensorsBytes,
  SafetensorsError,
  type ByteSource,
  type SafetensorsErrorCode,
} from '../../src/engine/safetensors';
import { bf16Bits, buildSafetensors, f32Bytes, f64Bytes, gridValue, u16Bytes, writeLargeF32File, type TensorSpec } from './helpers/safetensorsWriter';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'te-safetensors-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function grid(rows: number, cols: number, offset = 0): number[] {
  const v: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) v.push(gridValue(r + offset, c));
  return v;
}

/** f16 bits of small multiples of 1/64 (exact), computed independently of the reader's table. */
function f16Bits(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24); // subnormal
  const e = Math.floor(Math.log2(a));
  const mant = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | mant;
}

function write(name: string, tensors: TensorSpec[], metadata?: Record<string, string>): string {
  const p = join(dir, name);
  writeFileSync(p, buildSafetensors(tensors, metadata));
  return p;
}

function counting(path: string): { source: ByteSource; bytes: () => number; reads: () => number } {
  const inner = new FileByteSource(path);
  let bytes = 0;
  let reads = 0;
  return {
    source: {
      size: inner.size,
      readAt(t, p) {
        bytes += t.length;
        reads++;
        inner.readAt(t, p);
      },
      close: () => inner.close(),
    },
    bytes: () => bytes,
    reads: () => reads,
  };
}

function throwsCode(fn: () => unknown, code: SafetensorsErrorCode, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SafetensorsError, String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const V = 11;
const D = 6;
const C = 5;

test('F32 GPT-2 names: rows are exact, describe() names the tensors, dispose() closes the file', () => {
  const p = write('f32.safetensors', [
    { name: 'wpe.weight', dtype: 'F32', shape: [C, D], data: f32Bytes(grid(C, D, 100)) },
    { name: 'wte.weight', dtype: 'F32', shape: [V, D], data: f32Bytes(grid(V, D)) },
    { name: 'h.0.attn.bias', dtype: 'F32', shape: [D], data: f32Bytes(grid(1, D)) },
  ]);
  const t = FileEmbeddingTables.open(p, { expectedVocabSize: V });
  assert.equal(t.vocabSize, V);
  assert.equal(t.dim, D);
  assert.equal(t.contextLength, C);
  assert.equal(t.hasPositionTable, true);
  assert.deepEqual([...t.tokenRows([3, 0, 10])], [...grid(1, D, 3), ...grid(1, D, 0), ...grid(1, D, 10)]);
  assert.deepEqual([...t.positionRows([4, 1])], [...grid(1, D, 104), ...grid(1, D, 101)]);
  assert.deepEqual([...t.tokenRowsRange(2, 3)], grid(3, D, 2));
  assert.deepEqual(t.describe(), {
    kind: 'file',
    path: p,
    tokenTensor: 'wte.weight',
    positionTensor: 'wpe.weight',
    dtype: 'F32',
    vocabSize: V,
    dim: D,
    contextLength: C,
  });
  assert.throws(() => t.tokenRows([V]), RangeError);
  assert.throws(() => t.tokenRows([-1]), RangeError);
  assert.throws(() => t.tokenRows([1.5]), RangeError);
  assert.throws(() => t.positionRows([C]), RangeError);
  assert.throws(() => t.tokenRowsRange(V - 1, 2), RangeError);
  t.dispose();
  t.dispose(); // idempotent
  throwsCode(() => t.tokenRows([0]), 'io', /closed/);
});

test('F16 and BF16 tables convert exactly to float32 (including negatives, zero, subnormal, inf)', () => {
  const vals = grid(V, D);
  vals[0] = 2 ** -24; // smallest f16 subnormal
  vals[1] = -0;
  vals[2] = 65504; // largest f16
  const special = [Infinity, -Infinity];
  const f16 = [...vals.map(f16Bits)];
  f16[3] = 0x7c00;
  f16[4] = 0xfc00;
  const p16 = write('f16.safetensors', [{ name: 'transformer.wte.weight', dtype: 'F16', shape: [V, D], data: u16Bytes(f16) }]);
  const t16 = FileEmbeddingTables.open(p16);
  const got16 = t16.tokenRows([0]);
  assert.deepEqual([...got16], [2 ** -24, -0, 65504, ...special, vals[5]]);
  assert.ok(Object.is(got16[1], -0));
  assert.deepEqual([...t16.tokenRows([7, 9])], [...vals.slice(7 * D, 8 * D), ...vals.slice(9 * D, 10 * D)]);
  assert.equal(t16.hasPositionTable, false);
  assert.equal(t16.contextLength, 0);
  assert.deepEqual([...t16.positionRows([])], []);
  assert.throws(() => t16.positionRows([0]), RangeError);
  const d16 = t16.describe();
  assert.equal(d16.kind === 'file' ? d16.dtype : null, 'F16');
  t16.dispose();

  const bvals = grid(V, D).map((v, i) => (i % 7 === 0 ? v * 2 ** 100 : v)); // bf16 keeps f32's exponent range
  const pb = write('bf16.safetensors', [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [V, D], data: u16Bytes(bvals.map(bf16Bits)) }]);
  const tb = FileEmbeddingTables.open(pb, { expectedVocabSize: V });
  assert.deepEqual([...tb.tokenRowsRange(0, V)], bvals);
  assert.equal(tb.tokenTensor, 'model.embed_tokens.weight');
  tb.dispose();
});

test('F64 tables round to nearest float32', () => {
  const vals = grid(V, D).map((v) => v + 1e-12);
  const p = write('f64.safetensors', [{ name: 'embeddings.word_embeddings.weight', dtype: 'F64', shape: [V, D], data: f64Bytes(vals) }]);
  const t = FileEmbeddingTables.open(p);
  assert.deepEqual([...t.tokenRows([5])], vals.slice(5 * D, 6 * D).map(Math.fround));
  t.dispose();
});

test('token and position tensors can be chosen by name; mixed dtypes are described', () => {
  const p = write('custom.safetensors', [
    { name: 'my.pos', dtype: 'F16', shape: [C, D], data: u16Bytes(grid(C, D, 50).map(f16Bits)) },
    { name: 'my.tok', dtype: 'F32', shape: [V, D], data: f32Bytes(grid(V, D)) },
    { name: 'wte.weight', dtype: 'F32', shape: [2, D], data: f32Bytes(grid(2, D, 9)) },
  ]);
  const t = FileEmbeddingTables.open(p, { tokenTensor: 'my.tok', positionTensor: 'my.pos', expectedVocabSize: V });
  assert.deepEqual([...t.positionRows([2])], grid(1, D, 52));
  const d = t.describe();
  assert.ok(d.kind === 'file');
  assert.equal(d.tokenTensor, 'my.tok');
  assert.equal(d.positionTensor, 'my.pos');
  assert.equal(d.dtype, 'F32 (token) / F16 (position)');
  t.dispose();
  // positionTensor: null ignores a present table.
  const n = FileEmbeddingTables.open(p, { tokenTensor: 'my.tok', positionTensor: null });
  assert.equal(n.hasPositionTable, false);
  n.dispose();
  // Auto-detection picks wte.weight.
  const a = FileEmbeddingTables.open(p);
  assert.equal(a.tokenTensor, 'wte.weight');
  a.dispose();
});

test('candidate 2-D tensors are listed for a picker', () => {
  const bytes = buildSafetensors([
    { name: 'wte.weight', dtype: 'F32', shape: [3, 2], data: f32Bytes([1, 2, 3, 4, 5, 6]) },
    { name: 'bias', dtype: 'F32', shape: [2], data: f32Bytes([1, 2]) },
    { name: 'q', dtype: 'I8', shape: [2, 2], data: new Uint8Array(4) },
    { name: 'wpe.weight', dtype: 'BF16', shape: [1, 2], data: new Uint8Array(4) },
  ]);
  assert.deepEqual(listEmbeddingCandidates(parseSafetensorsBytes(bytes)), [
    { name: 'wte.weight', dtype: 'F32', rows: 3, cols: 2, readable: true, role: 'token' },
    { name: 'q', dtype: 'I8', rows: 2, cols: 2, readable: false, role: null },
    { name: 'wpe.weight', dtype: 'BF16', rows: 1, cols: 2, readable: true, role: 'position' },
  ]);
  const p = join(dir, 'candidates.safetensors');
  writeFileSync(p, bytes);
  assert.equal(listEmbeddingCandidatesInFile(p).length, 3);
});

test('typed errors for unusable tables', () => {
  const tok = { name: 'wte.weight', dtype: 'F32', shape: [V, D], data: f32Bytes(grid(V, D)) };
  const p = write('errs.safetensors', [
    tok,
    { name: 'wpe.weight', dtype: 'F32', shape: [C, D - 1], data: f32Bytes(grid(C, D - 1)) },
    { name: 'three.d', dtype: 'F32', shape: [1, 2, 3], data: f32Bytes(grid(1, 6)) },
    { name: 'int8', dtype: 'I8', shape: [V, D], data: new Uint8Array(V * D) },
  ]);
  throwsCode(() => FileEmbeddingTables.open(p), 'dimMismatch', /5 columns .* has 6/);
  throwsCode(() => FileEmbeddingTables.open(p, { expectedVocabSize: 50257, positionTensor: null }), 'vocabMismatch', /11 rows .* 50257/);
  throwsCode(() => FileEmbeddingTables.open(p, { expectedVocabSize: V - 1, positionTensor: null }), 'vocabMismatch');
  const padded = FileEmbeddingTables.open(p, { expectedVocabSize: V - 1, allowPaddedVocab: true, positionTensor: null });
  assert.equal(padded.vocabSize, V);
  padded.dispose();
  throwsCode(() => FileEmbeddingTables.open(p, { tokenTensor: 'three.d' }), 'badRank', /\[1, 2, 3\]/);
  throwsCode(() => FileEmbeddingTables.open(p, { tokenTensor: 'int8' }), 'unsupportedDtype', /I8/);
  throwsCode(() => FileEmbeddingTables.open(p, { tokenTensor: 'nope' }), 'tensorNotFound', /"nope"/);
  throwsCode(() => FileEmbeddingTables.open(p, { positionTensor: 'nope' }), 'tensorNotFound');
  const q = write('none.safetensors', [{ name: 'layer.weight', dtype: 'F32', shape: [3, 2], data: f32Bytes([1, 2, 3, 4, 5, 6]) }]);
  throwsCode(() => FileEmbeddingTables.open(q), 'noEmbeddingTensor', /layer\.weight \[3, 2\]/);
  throwsCode(() => FileEmbeddingTables.open(join(dir, 'missing.safetensors')), 'io', /no such file/);
  throwsCode(() => FileEmbeddingTables.open(dir), 'io', /not a regular file/);
  const junk = join(dir, 'junk.safetensors');
  writeFileSync(junk, 'PK\u0003\u0004 this is a zip, not safetensors');
  throwsCode(() => FileEmbeddingTables.open(junk), 'headerTooLarge');
});

test('a failed open closes the file it opened', () => {
  const p = write('closes.safetensors', [{ name: 'x', dtype: 'F32', shape: [1, 1], data: f32Bytes([1]) }]);
  const c = counting(p);
  let closed = 0;
  const source: ByteSource = { size: c.source.size, readAt: c.source.readAt, close: () => (closed++, c.source.close()) };
  throwsCode(() => FileEmbeddingTables.open(p, { source }), 'noEmbeddingTensor');
  assert.equal(closed, 1);
});

test('rows are read lazily and cached in a bounded LRU', () => {
  const p = write('lru.safetensors', [{ name: 'wte.weight', dtype: 'F32', shape: [V, D], data: f32Bytes(grid(V, D)) }]);
  const c = counting(p);
  // Room for exactly 3 rows.
  const t = FileEmbeddingTables.open(p, { source: c.source, cacheBytes: 3 * D * 4 });
  const afterOpen = c.reads();
  t.tokenRows([2, 1, 3]); // no consecutive runs: three reads
  assert.equal(c.reads() - afterOpen, 3);
  assert.deepEqual([...t.tokenRows([3, 2, 1])], [...grid(1, D, 3), ...grid(1, D, 2), ...grid(1, D, 1)]);
  assert.equal(c.reads() - afterOpen, 3, 'cached rows are not read again');
  t.tokenRows([1]); // refresh 1; LRU order now 3, 2, 1
  t.tokenRows([4]); // evicts 3
  const before4 = c.reads();
  t.tokenRows([2, 1, 4]);
  assert.equal(c.reads(), before4, '2, 1, 4 still cached');
  assert.deepEqual([...t.tokenRows([3])], grid(1, D, 3));
  assert.equal(c.reads(), before4 + 1, '3 was evicted and re-read');
  // A run of consecutive uncached rows is one read, and its values are right.
  const beforeRun = c.reads();
  assert.deepEqual([...t.tokenRows([6, 7, 8, 9, 10, 5])], [...grid(5, D, 6), ...grid(1, D, 5)]);
  assert.equal(c.reads() - beforeRun, 2, 'rows 6-10 in one read, row 5 in another');
  // A returned array is a copy: mutating it does not poison the cache.
  t.tokenRows([4]).fill(99);
  assert.deepEqual([...t.tokenRows([4])], grid(1, D, 4));
  t.dispose();
});

test('GPT-2-sized file (50,257 x 768 wte + 1,024 x 768 wpe, ~158 MB): reads only the requested rows', { timeout: 120_000 }, () => {
  const p = join(dir, 'gpt2-shaped.safetensors');
  const value = (r: number, c: number) => ((r * 7 + c * 13) % 251) / 256 - 0.5;
  const size = writeLargeF32File(p, [
    { name: 'wpe.weight', rows: 1024, cols: 768, value: (r, c) => -value(r, c) },
    { name: 'wte.weight', rows: 50257, cols: 768, value },
  ]);
  try {
    assert.equal(size % 8, 0);
    assert.ok(size > (50257 + 1024) * 768 * 4, `file is ${size} bytes`);
    const c = counting(p);
    const t = FileEmbeddingTables.open(p, { source: c.source, expectedVocabSize: 50257 });
    assert.equal(t.contextLength, 1024);
    assert.equal(t.dim, 768);
    const headerBytes = c.bytes();
    assert.ok(headerBytes < 1024, `header read ${headerBytes} bytes`);
    const rows = t.tokenRows([0, 50256, 31373, 50256]);
    for (const [i, r] of [0, 50256, 31373, 50256].entries()) {
      for (const col of [0, 1, 767]) assert.equal(rows[i * 768 + col], Math.fround(value(r, col)));
    }
    const pos = t.positionRows([0, 1023]);
    assert.equal(pos[768 + 5], Math.fround(-value(1023, 5)));
    // 3 distinct token rows + 2 position rows, 768 float32 each; nothing else was read from the 158 MB file
    // (every byte goes through the counting source, so this bounds what the tables can hold).
    assert.equal(c.bytes() - headerBytes, 5 * 768 * 4);
    t.dispose();
  } finally {
    rmSync(p, { force: true });
  }
});
