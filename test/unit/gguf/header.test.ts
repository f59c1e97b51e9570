// The GGUF header reader: every value type, nesting, tensor layout, and every hostile-file rule from the
// parser CVE history, each refused with its own GgufError code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GgufError, parseGgufBytes, type GgufArray, type GgufErrorCode } from '../../../src/engine/gguf';
import { f32s, str, strs, u32, writeGguf, type WriterTensor } from './ggufWriter';

function refuses(bytes: Uint8Array, code: GgufErrorCode, message?: RegExp): void {
  assert.throws(
    () => parseGgufBytes(bytes, 'test.gguf'),
    (e: unknown) => {
      assert.ok(e instanceof GgufError, `expected GgufError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

const f32Tensor = (name: string, dims: number[], extra: Partial<WriterTensor> = {}): WriterTensor => ({
  name,
  dims,
  typeId: 0,
  data: new Uint8Array(dims.reduce((a, b) => a * b, 1) * 4),
  ...extra,
});

/** Patch a little-endian u64 at the first occurrence of `after` + `skip` bytes. */
function patchU64After(file: Uint8Array, marker: string, skip: number, value: bigint): Uint8Array {
  const out = file.slice();
  const m = new TextEncoder().encode(marker);
  const at = Buffer.from(out).indexOf(Buffer.from(m));
  assert.ok(at >= 0, `marker ${marker} not found`);
  new DataView(out.buffer).setBigUint64(at + m.length + skip, value, true);
  return out;
}

describe('GGUF header', () => {
  test('reads all 13 value types, nested arrays and tensor infos (v3)', () => {
    const file = writeGguf({
      kvs: [
        ['a.u8', { type: 'u8', value: 250 }],
        ['a.i8', { type: 'i8', value: -5 }],
        ['a.u16', { type: 'u16', value: 65535 }],
        ['a.i16', { type: 'i16', value: -32768 }],
        ['a.u32', u32(4294967295)],
        ['a.i32', { type: 'i32', value: -2147483648 }],
        ['a.f32', { type: 'f32', value: 0.1 }],
        ['a.bool', { type: 'bool', value: true }],
        ['a.string', str('héllo ✓')],
        ['a.u64', { type: 'u64', value: 2n ** 64n - 1n }],
        ['a.i64', { type: 'i64', value: -(2n ** 63n) }],
        ['a.f64', { type: 'f64', value: 0.1 }],
        ['a.strings', strs(['x', '', 'Ġthe'])],
        ['a.scores', f32s([-1.5, 0, 2])],
        [
          'a.nested',
          {
            type: 'array',
            elementType: 'array',
            items: [
              { type: 'array', elementType: 'i32', items: [1, 2] },
              { type: 'array', elementType: 'string', items: ['q'] },
            ],
          },
        ],
        ['a.bools', { type: 'array', elementType: 'bool', items: [true, false] }],
      ],
      tensors: [f32Tensor('token_embd.weight', [4, 3]), f32Tensor('output_norm.weight', [4])],
    });
    const g = parseGgufBytes(file);
    assert.equal(g.version, 3);
    assert.equal(g.alignment, 32);
    const v = (k: string) => g.metadata.get(k)!.value;
    assert.equal(v('a.u8'), 250);
    assert.equal(v('a.i8'), -5);
    assert.equal(v('a.u16'), 65535);
    assert.equal(v('a.i16'), -32768);
    assert.equal(v('a.u32'), 4294967295);
    assert.equal(v('a.i32'), -2147483648);
    assert.equal(v('a.f32'), Math.fround(0.1));
    assert.equal(v('a.bool'), true);
    assert.equal(v('a.string'), 'héllo ✓');
    assert.equal(v('a.u64'), 2n ** 64n - 1n);
    assert.equal(v('a.i64'), -(2n ** 63n));
    assert.equal(v('a.f64'), 0.1);
    assert.deepEqual((v('a.strings') as GgufArray).items, ['x', '', 'Ġthe']);
    assert.deepEqual([...((v('a.scores') as GgufArray).items as Float32Array)], [-1.5, 0, 2]);
    const nested = v('a.nested') as GgufArray;
    assert.equal(nested.elementType, 'array');
    assert.deepEqual([...((nested.items[0] as GgufArray).items as Int32Array)], [1, 2]);
    assert.deepEqual((nested.items[1] as GgufArray).items, ['q']);
    assert.deepEqual((v('a.bools') as GgufArray).items, [true, false]);
    const t = g.tensors.get('token_embd.weight')!;
    assert.deepEqual(t.dims, [4, 3]);
    assert.equal(t.type.name, 'F32');
    assert.equal(t.byteLength, 48);
    assert.equal(t.fileOffset % 32, 0);
    assert.equal(g.tensors.get('output_norm.weight')!.offset, 64);
    assert.equal(t.fileOffset + 64 + 16, file.length - 16);
  });

  test('reads version 2 and honours general.alignment', () => {
    const g = parseGgufBytes(
      writeGguf({ version: 2, alignment: 64, kvs: [['general.alignment', u32(64)]], tensors: [f32Tensor('a', [2]), f32Tensor('b', [2])] }),
    );
    assert.equal(g.version, 2);
    assert.equal(g.alignment, 64);
    assert.equal(g.dataStart % 64, 0);
    assert.equal(g.tensors.get('b')!.offset, 64);
  });

  test('a file without tensors or keys is valid', () => {
    const g = parseGgufBytes(writeGguf({}));
    assert.equal(g.tensors.size, 0);
    assert.equal(g.metadata.size, 0);
  });

  describe('hostile files are refused with one clear error', () => {
    const good = writeGguf({
      kvs: [
        ['general.architecture', str('llama')],
        ['tokenizer.ggml.tokens', strs(['a', 'b'])],
      ],
      tensors: [f32Tensor('token_embd.weight', [4, 2])],
    });

    test('truncated anywhere', () => {
      for (let n = 0; n < good.length - 32; n++) {
        // Cutting inside the tensor data is caught by the tensor extent check; in the header by the reads.
        assert.throws(
          () => parseGgufBytes(good.subarray(0, n)),
          (e: unknown) => e instanceof GgufError && ['truncated', 'countTooLarge', 'tensorBeyondFile'].includes(e.code),
          `cut at ${n}`,
        );
      }
    });
    test('bad magic and versions', () => {
      const m = good.slice();
      m[0] = 0x47 ^ 1;
      refuses(m, 'badMagic', /does not start with "GGUF"/);
      refuses(writeGguf({ version: 1 }), 'unsupportedVersion', /version 1/);
      refuses(writeGguf({ version: 4 }), 'unsupportedVersion', /version 4/);
    });
    test('counts beyond the file', () => {
      const f = good.slice();
      new DataView(f.buffer).setBigUint64(8, 2n ** 63n, true);
      refuses(f, 'countTooLarge', /tensor count/);
      const g = good.slice();
      new DataView(g.buffer).setBigUint64(16, 1000n, true);
      refuses(g, 'countTooLarge', /key\/value count/);
      // array length: the u64 after the element type of tokenizer.ggml.tokens
      refuses(patchU64After(good, 'tokenizer.ggml.tokens', 8, 2n ** 62n), 'countTooLarge', /array "tokenizer.ggml.tokens"/);
    });
    test('strings of 2^63 bytes and strings past the end', () => {
      refuses(patchU64After(good, 'general.architecture', 4, 2n ** 63n), 'stringTooLong', /9223372036854775808 bytes/);
      refuses(patchU64After(good, 'general.architecture', 4, 10_000n), 'truncated', /claims 10000 bytes/);
    });
    test('invalid UTF-8 and duplicate keys', () => {
      const bad = good.slice();
      const at = Buffer.from(bad).indexOf(Buffer.from('llama'));
      bad[at] = 0xff;
      refuses(bad, 'invalidUtf8');
      // A real U+FFFD in a string is text, not an error.
      assert.equal(parseGgufBytes(writeGguf({ kvs: [['k', str('a\uFFFDb')]] })).metadata.get('k')!.value, 'a\uFFFDb');
      refuses(
        writeGguf({
          kvs: [
            ['k', u32(1)],
            ['k', u32(2)],
          ],
        }),
        'duplicateKey',
        /"k" twice/,
      );
    });
    test('unknown value types, bools other than 0/1, nesting too deep', () => {
      const f = writeGguf({ kvs: [['k', u32(1)]] });
      new DataView(f.buffer).setUint32(24 + 8 + 1, 13, true);
      refuses(f, 'unknownValueType', /is 13/);
      const b = writeGguf({ kvs: [['k', { type: 'bool', value: true }]] });
      b[b.length - 1] = 2;
      refuses(b, 'invalidBool');
      const deep = (n: number): { type: 'array'; elementType: 'array' | 'u8'; items: never[] } =>
        n === 1 ? { type: 'array', elementType: 'u8', items: [] } : ({ type: 'array', elementType: 'array', items: [deep(n - 1)] } as never);
      assert.doesNotThrow(() => parseGgufBytes(writeGguf({ kvs: [['k', deep(3)]] })));
      refuses(writeGguf({ kvs: [['k', deep(4)]] }), 'nestingTooDeep', /3 levels/);
      refuses(writeGguf({ kvs: [['k', deep(2_000)]] }), 'nestingTooDeep');
    });
    test('alignment 0, not a power of two, or not a u32', () => {
      refuses(writeGguf({ kvs: [['general.alignment', u32(0)]] }), 'invalidAlignment', /power of two/);
      refuses(writeGguf({ kvs: [['general.alignment', u32(48)]] }), 'invalidAlignment', /48/);
      refuses(writeGguf({ kvs: [['general.alignment', { type: 'u64', value: 32n }]] }), 'invalidAlignment', /u32/);
    });
    test('dimension products that overflow 64 bits, and more than 4 dims', () => {
      refuses(writeGguf({ tensors: [{ name: 't', dims: [2 ** 42 + 1, 2 ** 22], typeId: 0, data: new Uint8Array(0) }] }), 'sizeOverflow', /overflows 64 bits/);
      const f = writeGguf({ tensors: [f32Tensor('t', [1, 1])] });
      refuses(patchU64After(f, 't', 4, 2n ** 64n - 1n), 'sizeOverflow', /beyond int64/);
      refuses(writeGguf({ tensors: [{ name: 't', dims: [1, 1, 1, 1, 1], typeId: 0, data: new Uint8Array(4) }] }), 'invalidTensorInfo', /5 dimensions/);
    });
    test('unknown, removed and mis-sized ggml types', () => {
      refuses(writeGguf({ tensors: [f32Tensor('t', [4], { typeId: 99 })] }), 'unknownGgmlType', /unknown ggml type id 99/);
      refuses(writeGguf({ tensors: [f32Tensor('t', [4], { typeId: 31 })] }), 'unknownGgmlType', /Q4_0_4_4/);
      refuses(writeGguf({ tensors: [{ name: 't', dims: [33], typeId: 2, data: new Uint8Array(36) }] }), 'invalidTensorInfo', /multiple of the 32-value block/);
    });
    test('misaligned, overlapping, past EOF, duplicate names', () => {
      refuses(writeGguf({ tensors: [f32Tensor('a', [4], { offset: 4n })] }), 'misalignedTensor', /alignment 32/);
      refuses(writeGguf({ tensors: [f32Tensor('a', [16]), f32Tensor('b', [4], { offset: 32n })] }), 'overlappingTensors', /"a".*"b"/);
      refuses(writeGguf({ tensors: [f32Tensor('a', [4], { offset: 2n ** 40n })] }), 'tensorBeyondFile');
      refuses(writeGguf({ tensors: [f32Tensor('a', [4], { offset: 2n ** 64n - 32n })] }), 'tensorBeyondFile');
      const cut = writeGguf({ tensors: [f32Tensor('a', [64])] });
      refuses(cut.subarray(0, cut.length - 4), 'tensorBeyondFile', /truncated/);
      refuses(writeGguf({ tensors: [f32Tensor('a', [4]), f32Tensor('a', [4])] }), 'duplicateTensor');
      refuses(writeGguf({ tensors: [f32Tensor('x'.repeat(64), [4])] }), 'invalidTensorInfo', /longer than/);
    });
  });
});
