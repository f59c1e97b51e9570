// GgufEmbeddingTables over token_embd.weight: rows equal ggml's dequantized values, only the row's blocks are read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GgufEmbeddingTables, GgufError } from '../../../src/engine/gguf';
import { ggmlTypeByName } from '../../../src/engine/gguf/ggmlTypes';
import { MemoryByteSource } from '../../../src/engine/safetensors';
import { ggmlCase } from './fixtures';
import { writeGguf } from './ggufWriter';

class CountingSource extends MemoryByteSource {
  reads: [number, number][] = [];
  override readAt(target: Uint8Array, position: number): void {
    this.reads.push([position, target.length]);
    super.readAt(target, position);
  }
}

function tableFile(type: string, dim: number): { file: Uint8Array; rows: number; values: Float32Array } {
  const c = ggmlCase(type);
  const rows = c.count / dim;
  const file = writeGguf({ tensors: [{ name: 'token_embd.weight', dims: [dim, rows], typeId: ggmlTypeByName(type).id, data: c.blocks }] });
  return { file, rows, values: c.values };
}

describe('GgufEmbeddingTables', () => {
  for (const [type, dim] of [
    ['Q4_0', 64],
    ['Q4_1', 32],
    ['Q5_0', 128],
    ['Q5_1', 64],
    ['Q8_0', 64],
    ['Q4_K', 256],
    ['Q5_K', 256],
    ['Q6_K', 256],
  ] as const) {
    test(`${type} rows equal ggml's dequantized rows, reading one row's blocks`, () => {
      const { file, rows, values } = tableFile(type, dim);
      const source = new CountingSource(file);
      const t = GgufEmbeddingTables.open('m.gguf', { source });
      assert.equal(t.dim, dim);
      assert.equal(t.vocabSize, rows);
      assert.equal(t.type, type);
      source.reads = [];
      const last = rows - 1;
      assert.deepEqual(t.tokenRows([last]), values.subarray(last * dim, rows * dim));
      const info = ggmlTypeByName(type);
      assert.deepEqual(source.reads, [[t.tensor.fileOffset + (last * dim * info.blockBytes) / info.blockSize, (dim * info.blockBytes) / info.blockSize]]);
      // Cached: no second read; order and repeats kept.
      source.reads = [];
      const got = t.tokenRows([last, 0, last]);
      assert.equal(source.reads.length, 1);
      assert.deepEqual(got.subarray(0, dim), values.subarray(last * dim));
      assert.deepEqual(got.subarray(dim, 2 * dim), values.subarray(0, dim));
      assert.deepEqual(t.tokenRowsRange(0, rows), values);
      const into = new Float32Array(rows * dim + 5);
      assert.equal(t.tokenRowsRange(1, rows - 1, into).buffer, into.buffer);
      assert.deepEqual(into.subarray(0, (rows - 1) * dim), values.subarray(dim));
      t.dispose();
      assert.throws(() => t.tokenRows([0]), GgufError);
    });
  }

  test('bad rows, missing tensors, unsupported types and wrong shapes are clear errors', () => {
    const { file } = tableFile('Q8_0', 64);
    const t = GgufEmbeddingTables.open('m.gguf', { source: new MemoryByteSource(file) });
    assert.throws(() => t.tokenRows([4]), /row 4 is outside 0..3/);
    assert.throws(() => t.tokenRows([-1]), RangeError);
    assert.throws(() => t.tokenRowsRange(3, 2), RangeError);
    assert.throws(() => t.positionRows([0]), /rotary positions/);
    assert.deepEqual(t.positionRows([]), new Float32Array(0));
    const d = t.describe();
    assert.equal(d.kind === 'file' && d.dtype, 'Q8_0');
    const code = (f: () => unknown, c: string, m: RegExp) => assert.throws(f, (e: unknown) => e instanceof GgufError && e.code === c && m.test(e.message));
    code(() => GgufEmbeddingTables.open('m.gguf', { source: new MemoryByteSource(writeGguf({})) }), 'tensorNotFound', /no tensor "token_embd.weight"/);
    const iq = writeGguf({ tensors: [{ name: 'token_embd.weight', dims: [256, 1], typeId: 17, data: new Uint8Array(74) }] });
    code(() => GgufEmbeddingTables.open('m.gguf', { source: new MemoryByteSource(iq) }), 'unsupportedType', /IQ2_XS/);
    const flat = writeGguf({ tensors: [{ name: 'token_embd.weight', dims: [8], typeId: 0, data: new Uint8Array(32) }] });
    code(() => GgufEmbeddingTables.open('m.gguf', { source: new MemoryByteSource(flat) }), 'badShape', /\[8\]/);
    code(() => GgufEmbeddingTables.open('/nonexistent/m.gguf'), 'io', /no such file/);
  });

  test('the LRU keeps at most cacheBytes of rows', () => {
    const { file, values } = tableFile('Q6_K', 256);
    const source = new CountingSource(file);
    const t = GgufEmbeddingTables.open('m.gguf', { source, cacheBytes: 256 * 4 * 2 });
    t.tokenRows([0, 1, 2]); // 2 fits: row 0 evicted
    source.reads = [];
    assert.deepEqual(t.tokenRows([2, 1]), new Float32Array([...values.subarray(512), ...values.subarray(256, 512)]));
    assert.equal(source.reads.length, 0);
    t.tokenRows([0]);
    assert.equal(source.reads.length, 1);
  });
});
