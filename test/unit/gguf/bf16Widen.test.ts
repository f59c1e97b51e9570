// bfloat16 → float32 through WebAssembly SIMD (src/engine/safetensors/bf16Widen.ts): every bit pattern widens to
// exactly bits << 16, at any length and offset; the shipped bytes are the committed .wat assembled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widenBf16 } from '../../../src/engine/safetensors/bf16Widen';
import { BF16_WIDEN_WASM_BASE64 } from '../../../src/engine/safetensors/bf16WidenWasm';
import { decodeToFloat32 } from '../../../src/engine/safetensors/dtypes';

test('every bf16 bit pattern, NaNs included, widens to its bits << 16 (SIMD and the dtype decoder)', () => {
  const count = 65536 * 5 + 7; // every pattern five times, past one 256 K chunk, not a multiple of 8
  const src = new Uint8Array(count * 2);
  for (let i = 0; i < count; i++) {
    src[2 * i] = i & 0xff;
    src[2 * i + 1] = (i >> 8) & 0xff;
  }
  const expected = new Uint32Array(count);
  for (let i = 0; i < count; i++) expected[i] = (i & 0xffff) << 16;
  const out = new Float32Array(count + 3);
  assert.equal(widenBf16(src, count, out, 3), true);
  assert.deepEqual(new Uint32Array(out.buffer, 12, count), expected);
  const viaDtype = new Float32Array(count);
  decodeToFloat32('BF16', src, count, viaDtype, 0);
  assert.deepEqual(new Uint32Array(viaDtype.buffer), expected);
});

test('the shipped wasm bytes are the committed bf16Widen.wat, assembled', async () => {
  const { assembleBf16Widen, bf16WidenModuleSource } = await import('../../../scripts/wasm/build-bf16-widen.mjs');
  const bytes = await assembleBf16Widen();
  assert.equal(BF16_WIDEN_WASM_BASE64, bytes.toString('base64'), 'run node scripts/wasm/build-bf16-widen.mjs');
  assert.match(bf16WidenModuleSource(bytes), /BF16_WIDEN_WASM_BASE64/);
});
