// Bit-exactness of the dequantizers against ggml's own C reference (fixtures from scripts/ggml/gen-dequant-fixtures.sh:
// quantize_row_*_ref + dequantize_row_* of ggml-quants.c, compiled from the public source).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { dequantize, requireDequantizable } from '../../../src/engine/gguf/dequantize';
import { GgufError } from '../../../src/engine/gguf';
import { DEQUANTIZABLE_TYPES, type DequantizableType } from '../../../src/engine/gguf/ggmlTypes';

interface Case {
  type: string;
  source: string;
  count: number;
  blocks: string;
  values: string;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/gguf/dequant.json'), 'utf8')) as { ggmlCommit: string; cases: Case[] };
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe(`dequantizers match ggml ${fixture.ggmlCommit.slice(0, 12)} bit for bit`, () => {
  const covered = new Set<string>();
  for (const c of fixture.cases) {
    const type = requireDequantizable(c.type.toUpperCase(), c.type) as DequantizableType;
    covered.add(type);
    test(`${type} (${c.source}, ${c.count} values)`, () => {
      const expected = new Uint32Array(hex(c.values).buffer);
      assert.equal(expected.length, c.count);
      // Into the middle of a larger buffer, as the tables do with a row run.
      const out = new Float32Array(c.count + 8).fill(NaN);
      dequantize(type, hex(c.blocks), c.count, out, 4);
      const got = new Uint32Array(out.buffer, 16, c.count);
      const expectedFloats = new Float32Array(expected.buffer);
      for (let i = 0; i < c.count; i++) {
        // NaN halves (exponent 31) stay NaN, but JS engines may quiet or canonicalize a NaN's payload bits,
        // which nothing in the extension can observe; every other value must match to the bit.
        if (Number.isNaN(expectedFloats[i]) && Number.isNaN(out[4 + i])) continue;
        if (got[i] !== expected[i]) {
          assert.fail(
            `${type} value ${i}: got ${out[4 + i]} (0x${got[i].toString(16)}), ggml ${new Float32Array(expected.buffer)[i]} (0x${expected[i].toString(16)})`,
          );
        }
      }
      assert.ok(Number.isNaN(out[3]) && Number.isNaN(out[4 + c.count]), 'wrote outside its range');
      if (type === 'F16' || type === 'BF16') {
        // An odd count from an odd byte offset: the element-by-element path, same bits.
        const odd = new Uint8Array(c.count * 2 + 1);
        odd.set(hex(c.blocks), 1);
        const out2 = new Float32Array(c.count - 1);
        dequantize(type, odd.subarray(1, 1 + (c.count - 1) * 2), c.count - 1, out2, 0);
        for (let i = 0; i < c.count - 1; i++) if (!Number.isNaN(out2[i])) assert.equal(new Uint32Array(out2.buffer)[i], expected[i], `odd path value ${i}`);
      }
      // The fixtures must exercise non-trivial values, or the comparison proves little.
      assert.ok(new Set(expected).size > 32, 'too few distinct values');
    });
  }
  test('every dequantizable type except F32 is covered by a ggml fixture', () => {
    assert.deepEqual([...covered].sort(), DEQUANTIZABLE_TYPES.filter((t) => t !== 'F32').sort());
  });
});

describe('dequantize argument checks', () => {
  test('other ggml types get an error naming the type', () => {
    assert.throws(
      () => requireDequantizable('IQ2_XS', 'token_embd.weight'),
      (e: unknown) => e instanceof GgufError && e.code === 'unsupportedType' && /token_embd.weight is IQ2_XS/.test(e.message),
    );
  });
  test('partial blocks and short input are refused', () => {
    assert.throws(() => dequantize('Q4_0', new Uint8Array(18), 16, new Float32Array(32), 0), RangeError);
    assert.throws(() => dequantize('Q6_K', new Uint8Array(209), 256, new Float32Array(256), 0), RangeError);
  });
});
