// The safetensors reader against files it did not write: the reference library's own sample files, and BF16/F16/
// F64/F32 tables whose bytes and float32 values come from real PyTorch (test/fixtures/safetensors/README.md).
// Every other .safetensors in the tests comes from test/unit/helpers/safetensorsWriter.ts, so a misreading shared
// by that writer and the reader would pass there; here it cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileByteSource, listEmbeddingCandidates, readSafetensorsHeader } from '../../src/engine/safetensors';
import { decodeToFloat32, isReadableDtype } from '../../src/engine/safetensors/dtypes';
import { FileEmbeddingTables } from '../../src/engine/safetensors/fileEmbeddingTables';
import { fixtureDir } from '../support/reference';

const dir = join(fixtureDir, 'safetensors');

/** The JSON header as the format documents it, parsed here independently of the module under test. */
function documentedHeader(path: string): {
  metadata?: Record<string, string>;
  tensors: { name: string; dtype: string; shape: number[]; data_offsets: [number, number] }[];
} {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  const { __metadata__: metadata, ...tensors } = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  const entries = Object.entries(tensors as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>);
  return { metadata, tensors: entries.map(([name, t]) => ({ name, ...t })).sort((a, b) => a.data_offsets[0] - b.data_offsets[0]) };
}

function headerOf(path: string) {
  const source = new FileByteSource(path);
  try {
    return readSafetensorsHeader(source);
  } finally {
    source.close();
  }
}

test('files written by the safetensors library: every header entry and metadata read exactly', () => {
  for (const name of ['f', 'd', 'e', 'overall']) {
    const path = join(dir, 'library', `${name}.safetensors`);
    const { metadata, tensors } = documentedHeader(path);
    const header = headerOf(path);
    assert.deepEqual(metadata, { test: 'a' });
    assert.deepEqual(header.metadata && Object.fromEntries(header.metadata), metadata);
    assert.deepEqual(
      [...header.tensors.values()].map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape], data_offsets: [...t.dataOffsets] })),
      tensors,
      `${name}: header`,
    );
    assert.equal(header.dataStart, 8 + header.headerLength);
    assert.equal(header.fileSize, readFileSync(path).length);
  }
  const overall = headerOf(join(dir, 'library', 'overall.safetensors'));
  assert.deepEqual(
    [...overall.tensors.values()].map((t) => t.dtype),
    ['U8', 'U16', 'U32', 'I8', 'F64', 'F16', 'F32', 'I16', 'I32'],
  );
  assert.deepEqual(listEmbeddingCandidates(overall), [], 'no 2-D tensor, nothing to offer as an embedding table');
});

test('files written by the safetensors library: F32, F64 and F16 values (range(-3, 3)), aligned or not', () => {
  for (const [file, names] of [
    ['f', ['f']],
    ['d', ['d']],
    ['e', ['e']],
    ['overall', ['d', 'e', 'f']],
  ] as const) {
    const path = join(dir, 'library', `${file}.safetensors`);
    const header = headerOf(path);
    const bytes = new Uint8Array(readFileSync(path));
    for (const name of names) {
      const t = header.tensors.get(name)!;
      assert.ok(isReadableDtype(t.dtype));
      const out = new Float32Array(6);
      const [start, end] = t.dataOffsets;
      decodeToFloat32(t.dtype, bytes.subarray(header.dataStart + start, header.dataStart + end), 6, out, 0);
      assert.deepEqual(Array.from(out), [-3, -2, -1, 0, 1, 2], `${file}.safetensors ${name} (${t.dtype})`);
    }
  }
});

interface Expected {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
  float32: number[];
  bytes: string;
}
const expected = JSON.parse(readFileSync(join(dir, 'spec', 'expected.json'), 'utf8')) as Record<string, Record<string, Expected>>;

test("BF16 tokens and F16 positions: every row is PyTorch's tensor.float(), subnormals and big values included", () => {
  const want = expected['bf16_f16.safetensors']!;
  const t = FileEmbeddingTables.open(join(dir, 'spec', 'bf16_f16.safetensors'));
  try {
    assert.deepEqual([t.vocabSize, t.dim, t.contextLength], [7, 3, 4]);
    assert.equal(t.header.tensors.get('wte.weight')!.dtype, 'BF16');
    assert.equal(t.header.tensors.get('wpe.weight')!.dtype, 'F16');
    assert.deepEqual(Array.from(t.tokenRows([0, 1, 2, 3, 4, 5, 6])), want['wte.weight']!.float32);
    assert.deepEqual(Array.from(t.positionRows([0, 1, 2, 3])), want['wpe.weight']!.float32);
    assert.deepEqual(Array.from(t.tokenRows([6, 5])), [...want['wte.weight']!.float32.slice(18, 21), ...want['wte.weight']!.float32.slice(15, 18)]);
    assert.ok(Object.is(t.tokenRows([5])[1], -0), 'BF16 -0 stays -0');
    assert.deepEqual(t.header.metadata && Object.fromEntries(t.header.metadata), { format: 'pt' });
  } finally {
    t.dispose();
  }
});

test("F64 tokens and F32 positions: rounded to float32 exactly as PyTorch's .float() rounds them", () => {
  const want = expected['f64_f32.safetensors']!;
  const t = FileEmbeddingTables.open(join(dir, 'spec', 'f64_f32.safetensors'), { positionTensor: 'model.embed_positions.weight' });
  try {
    assert.deepEqual([t.vocabSize, t.dim, t.contextLength], [5, 4, 2]);
    assert.deepEqual(Array.from(t.tokenRows([0, 1, 2, 3, 4])), want['model.embed_tokens.weight']!.float32);
    assert.deepEqual(Array.from(t.positionRows([0, 1])), want['model.embed_positions.weight']!.float32);
    const last = t.tokenRows([4]);
    assert.equal(last[0], Math.fround(1 / 3));
    assert.equal(last[2], 0, '1e-46 is below float32 and becomes 0, as in PyTorch');
  } finally {
    t.dispose();
  }
});
