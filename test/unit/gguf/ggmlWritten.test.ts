// A GGUF file written by ggml's own writer (gguf.cpp, see scripts/ggml/gen-gguf-fixture.sh): our reader must see
// exactly what ggml's reader saw — every key, type and value, every tensor's type, shape, offset and size — and the
// token table's rows must be ggml's dequantized values; the tokenizer metadata must convert.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GgufEmbeddingTables, ggufTokenizerJson, isGgufArray, parseGgufBytes, type GgufValue } from '../../../src/engine/gguf';
import { MemoryByteSource } from '../../../src/engine/safetensors';

const dir = join(__dirname, '../../fixtures/gguf');
const file = new Uint8Array(readFileSync(join(dir, 'ggml-written.gguf')));
const ggml = JSON.parse(readFileSync(join(dir, 'ggml-written.json'), 'utf8')) as {
  version: number;
  alignment: number;
  dataOffset: number;
  kv: { key: string; type: string; value: unknown }[];
  tensors: { name: string; type: string; ne: number[]; nDims: number; offset: number; size: number }[];
  tokenEmbdValues: string;
};

/** ggml's type names (gguf_type_name) → ours. */
const TYPE_NAMES: Record<string, string> = { str: 'string', arr: 'array' };

/** Our value in the dump's JSON form (64-bit integers as decimal strings, floats as numbers). */
function asDumped(v: GgufValue): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (isGgufArray(v)) {
    const items = Array.from(v.items as ArrayLike<unknown>, (x) => (typeof x === 'bigint' ? x.toString() : x));
    return { elementType: v.elementType, items };
  }
  return v;
}

test('our reader sees what ggml’s reader sees in a file ggml wrote', () => {
  const g = parseGgufBytes(file, 'ggml-written.gguf');
  assert.equal(g.version, ggml.version);
  assert.equal(g.alignment, ggml.alignment);
  assert.equal(g.dataStart, ggml.dataOffset);
  assert.deepEqual(
    [...g.metadata.keys()],
    ggml.kv.map((k) => k.key),
  );
  for (const want of ggml.kv) {
    const got = g.metadata.get(want.key)!;
    assert.equal(got.type, TYPE_NAMES[want.type] ?? want.type, want.key);
    const value = asDumped(got.value);
    if (got.type === 'f32') assert.equal(value, Math.fround(want.value as number), want.key);
    else if (isGgufArray(got.value) && got.value.elementType !== 'string') {
      const w = want.value as { elementType: string; items: unknown[] };
      assert.equal(got.value.elementType, w.elementType === 'str' ? 'string' : w.elementType);
      assert.deepEqual(
        (value as { items: unknown[] }).items,
        w.items.map((x) => (typeof x === 'number' ? Math.fround(x) : x)),
        want.key,
      );
    } else if (isGgufArray(got.value)) {
      assert.deepEqual((value as { items: unknown[] }).items, (want.value as { items: unknown[] }).items, want.key);
    } else assert.deepEqual(value, want.value, want.key);
  }
  assert.deepEqual(
    [...g.tensors.keys()],
    ggml.tensors.map((t) => t.name),
  );
  for (const want of ggml.tensors) {
    const t = g.tensors.get(want.name)!;
    assert.equal(t.type.name.toLowerCase(), want.type.toLowerCase(), want.name);
    assert.deepEqual(t.dims, want.ne.slice(0, t.dims.length), want.name);
    assert.ok(want.ne.slice(t.dims.length).every((d) => d === 1));
    assert.ok(t.dims.length >= want.nDims);
    assert.equal(t.offset, want.offset, want.name);
    assert.equal(t.byteLength, want.size, want.name);
  }
});

test('token_embd.weight rows are ggml’s dequantized Q6_K rows; the tokenizer converts', () => {
  const expected = new Float32Array(Uint8Array.from(Buffer.from(ggml.tokenEmbdValues, 'hex')).buffer);
  const t = GgufEmbeddingTables.open('ggml-written.gguf', { source: new MemoryByteSource(file) });
  assert.equal(t.type, 'Q6_K');
  assert.deepEqual([t.dim, t.vocabSize], [256, 4]);
  assert.deepEqual(t.tokenRowsRange(0, 4), expected);
  assert.deepEqual(t.tokenRows([3, 1]), new Float32Array([...expected.subarray(768), ...expected.subarray(256, 512)]));
  const tok = ggufTokenizerJson(parseGgufBytes(file).metadata, 'ggml-written.gguf');
  assert.equal(tok.kind, 'gpt2');
  // Vocabulary and merges come in the tokenizer's prepared form (hfTokenizer/leanJson.ts); as JSON, the file's.
  const model = JSON.parse(JSON.stringify(tok.json.model)) as { merges: unknown; vocab: object };
  assert.deepEqual(model.merges, [['a', 'b']]);
  assert.deepEqual(model.vocab, { a: 0, b: 1, ab: 2, Ġab: 3 });
});
