// The WebAssembly random-init kernel (src/engine/torchNormals.ts + .wat) against the JS reference generator of
// torchRandom.ts (itself checked against PyTorch in torchRandom.test.ts / randomTables.test.ts): bit for bit on
// every possible uniform input and along real streams, with the generator left exactly where JS leaves it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { torchNormalsKernel } from '../../src/engine/torchNormals';
import { TORCH_NORMALS_WASM_BASE64 } from '../../src/engine/torchNormalsWasm';
import { MT19937, floatUniform, normalFill16 } from '../../src/engine/torchRandom';

const kernel = torchNormalsKernel();

test('the shipped wasm bytes are the committed torchNormals.wat, assembled', async () => {
  const { assembleTorchNormals, torchNormalsModuleSource } = (await import('../../scripts/wasm/build-torch-normals.mjs')) as {
    assembleTorchNormals(): Promise<Buffer>;
    torchNormalsModuleSource(bytes: Buffer): string;
  };
  const bytes = await assembleTorchNormals();
  assert.equal(TORCH_NORMALS_WASM_BASE64, bytes.toString('base64'), 'run node scripts/wasm/build-torch-normals.mjs');
  assert.ok(torchNormalsModuleSource(bytes).includes(TORCH_NORMALS_WASM_BASE64));
});

test('Node has WebAssembly SIMD, so the kernel runs here', () => {
  assert.notEqual(kernel, null);
});

test('every possible float uniform gives the radius, cos and sin of normalFill16, bit for bit', () => {
  // Uniforms are k·2^-24 for k < 2^24. Pair (j, j+8) takes its radius from u[j] and its angle from u[j+8]: blocks
  // whose both halves hold the same run of k cover every radius and every angle.
  const total = 1 << 24;
  const per = 1 << 20;
  let inJs = 0;
  const uniforms = new Float32Array(per * 2);
  const out = new Float32Array(per * 2);
  const expected = new Float32Array(per * 2);
  for (let first = 0; first < total; first += per) {
    for (let k = 0; k < per; k++) {
      const block = k >> 3;
      const u = (first + k) * 2 ** -24;
      uniforms[block * 16 + (k & 7)] = u;
      uniforms[block * 16 + 8 + (k & 7)] = u;
    }
    expected.set(uniforms);
    for (let i = 0; i < expected.length; i += 16) normalFill16(expected, i);
    inJs += kernel!.fromUniforms(uniforms, out);
    for (let i = 0; i < out.length; i++) {
      if (!Object.is(out[i], expected[i])) assert.fail(`uniform block ${first}+${i >> 4}, element ${i & 15}: ${out[i]} vs ${expected[i]}`);
    }
  }
  // The pairs whose float32 rounding the kernel cannot be sure of are computed in JS: some always are.
  assert.ok(inJs > 0 && inJs < total / 1000, `${inJs} pairs in JS`);
});

test('streams from any position equal floatUniform + normalFill16, and leave the generator where JS leaves it', () => {
  for (const [seed, skip, blocks] of [
    [42, 0, 20_000], // more than one kernel call (8,192 blocks each)
    [1, 5, 3_000],
    [7, 623, 8],
    [2 ** 32 - 1, 624, 100],
    [123, 300, 9_001],
  ] as const) {
    const js = new MT19937(seed);
    const wasm = new MT19937(seed);
    for (let i = 0; i < skip; i++) {
      js.nextU32();
      wasm.nextU32();
    }
    const expected = new Float32Array(blocks * 16);
    for (let i = 0; i < expected.length; i++) expected[i] = floatUniform(js.nextU32());
    for (let i = 0; i < expected.length; i += 16) normalFill16(expected, i);
    const out = new Float32Array(blocks * 16 + 3).fill(7);
    kernel!.fill(wasm, blocks, out, 3);
    assert.deepEqual(out.subarray(3), expected, `seed ${seed} from ${skip}`);
    assert.deepEqual(out.subarray(0, 3), new Float32Array([7, 7, 7]));
    assert.equal(wasm.position, js.position);
    assert.equal(wasm.index, js.index);
    assert.equal(wasm.twists, js.twists);
    assert.deepEqual(wasm.state, js.state);
    assert.equal(wasm.nextU32(), js.nextU32(), 'the next output agrees');
  }
});
