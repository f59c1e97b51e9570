// The fused (relaxed SIMD) row-dot kernel gives today's results bit for bit: the same float64 dots and norms as the
// JS kernel (and so as the plain SIMD kernel, rowDots.test.ts) for float32 rows and a float32-valued vector, at every
// row count around its four-row passes, any first row, extreme magnitudes and subnormals; a vector that is not
// float32-valued (where fusing would change the rounding) runs the plain kernel; nearest-token scans agree across all
// three kernels, first and repeat scans alike; and the shipped bytes are the committed .wat.
// Node 20 has relaxed SIMD behind a V8 flag (Electron and Chrome have it on): set here, before the kernel compiles.
// node --test runs each file in its own process, so the flag stays in this file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { nearestTokens } from '../../src/engine/nearestTokens';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import { RowDots, RowDots64, defaultRowDotsBackend } from '../../src/engine/scan/rowDots';
import { ROW_DOTS_FUSED_WASM_BASE64 } from '../../src/engine/scan/rowDotsFusedWasm';
import { base64ToBytes } from '../../src/shared/base64';
import { randomFloats } from './helpers/randomFloats';

setFlagsFromString('--experimental-wasm-relaxed-simd');

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Dots (and norms) of `rows` rows from `firstRow` with one backend; both arrays copied out. */
function run(backend: 'wasm-relaxed-simd' | 'js', data: Float32Array, vector: ArrayLike<number>, dim: number, rows: number, firstRow: number) {
  const k = new RowDots(dim, firstRow + rows, backend);
  k.load(data.subarray(0, (firstRow + rows) * dim));
  k.setVector(vector);
  k.dotsOf(rows, firstRow);
  const dots = k.dots.slice(0, rows);
  let norms: Float64Array | null = null;
  if (firstRow === 0) {
    k.dotsAndNormsOf(rows);
    assert.deepEqual(k.dots.slice(0, rows), dots, `${backend}: dots alone = dots with norms`);
    norms = k.norms.slice(0, rows);
  }
  return { dots, norms };
}

test('with relaxed SIMD, float32 rows default to the fused kernel and float64 rows keep the plain one', () => {
  assert.equal(defaultRowDotsBackend(), 'wasm-relaxed-simd');
  assert.equal(new RowDots(8, 4).backend, 'wasm-relaxed-simd');
  assert.equal(new RowDots64(8, 4).backend, 'wasm-simd');
});

test('fused and JS kernels agree bit for bit: every row count around the four-row passes, any first row', () => {
  for (const dim of [1, 2, 3, 4, 5, 7, 8, 17, 256, 769]) {
    const data = randomFloats(48 * dim, dim);
    const vector = randomFloats(dim, 1000 + dim);
    for (const rows of [1, 2, 3, 4, 5, 6, 7, 8, 9, 37, 38, 39, 40]) {
      for (const firstRow of [0, 3]) {
        const fused = run('wasm-relaxed-simd', data, vector, dim, rows, firstRow);
        const js = run('js', data, vector, dim, rows, firstRow);
        assert.deepEqual(fused, js, `dim ${dim}, rows ${rows} from ${firstRow}`);
      }
    }
  }
});

test('extreme magnitudes, subnormals and signed zeros: fused = JS bit for bit', () => {
  const dim = 67;
  const specials = [3.4e38, -3.4e38, 1.4e-45, -1.4e-45, 1.1754942e-38, 0, -0, 1e-20, -7e15, 2 ** -126, 1 - 2 ** -24];
  const data = randomFloats(24 * dim, 5);
  for (let i = 0; i < data.length; i += 3) data[i] = specials[i % specials.length]!;
  const vector = Float32Array.from(randomFloats(dim, 6), (v, j) => (j % 5 === 0 ? specials[j % specials.length]! : v * 1e-10));
  for (const rows of [21, 22, 23, 24]) {
    const fused = run('wasm-relaxed-simd', data, vector, dim, rows, 0);
    const js = run('js', data, vector, dim, rows, 0);
    // Compare the float64 bit patterns (deepEqual would let +0 and -0 or NaN payloads pass as equal).
    const bits = (r: { dots: Float64Array; norms: Float64Array | null }) =>
      [...new BigUint64Array(r.dots.buffer)].concat([...new BigUint64Array(r.norms!.buffer)]);
    assert.deepEqual(bits(fused), bits(js), `rows ${rows}`);
  }
});

test('a vector that is not float32-valued runs the plain kernel, where fusing would round differently', () => {
  const dim = 96;
  const rows = 40;
  const data = randomFloats(rows * dim, 11);
  const vector = Float64Array.from(randomFloats(dim, 12), (v) => v / 3);
  const js = run('js', data, vector, dim, rows, 0);
  assert.deepEqual(run('wasm-relaxed-simd', data, vector, dim, rows, 0), js);
  // The guard matters: the fused module itself, given this vector, differs from the JS kernel in some row.
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const memory = new wasm.Memory({ initial: 1 });
  const fused = new wasm.Instance(new wasm.Module(base64ToBytes(ROW_DOTS_FUSED_WASM_BASE64)), { env: { memory } }).exports as {
    dots(block: number, rows: number, dim: number, vector: number, out: number): void;
  };
  new Float64Array(memory.buffer, 0, dim).set(vector);
  new Float32Array(memory.buffer, 2048, rows * dim).set(data);
  fused.dots(2048, rows, dim, 0, 1024);
  const unguarded = new Float64Array(memory.buffer, 1024, rows);
  assert.ok(
    unguarded.some((d, r) => d !== js.dots[r]),
    'fused dots of a float64 vector should differ somewhere',
  );
  assert.ok(unguarded.every((d, r) => Math.abs(d - js.dots[r]!) < 1e-12));
});

test('nearest tokens: fused, plain SIMD and JS kernels give identical answers, first and repeat scans', async () => {
  for (const dim of [7, 64, 130, 768]) {
    const make = () => new RandomEmbeddingTables({ seed: '42', vocabSize: 3000, dim, contextLength: 4, materializeLimit: 0 });
    const answers = [];
    for (const backend of ['wasm-relaxed-simd', 'wasm-simd', 'js'] as const) {
      const tables = make();
      const first = await nearestTokens(tables, 17, { k: 15, backend });
      const repeat = await nearestTokens(tables, 17, { k: 15, backend });
      assert.deepEqual(repeat, first, `dim ${dim} ${backend}: repeat scan (norms cached) = first scan`);
      answers.push(first);
    }
    assert.deepEqual(answers[0], answers[2], `dim ${dim}: fused = JS`);
    assert.deepEqual(answers[1], answers[2], `dim ${dim}: plain SIMD = JS`);
  }
});

test('the shipped fused wasm bytes are the committed rowDotsFused.wat, assembled', async () => {
  const { assembleRowDotsFused, rowDotsFusedModuleSource } = await import('../../scripts/wasm/build-row-dots.mjs');
  const bytes = await assembleRowDotsFused();
  assert.equal(ROW_DOTS_FUSED_WASM_BASE64, bytes.toString('base64'), 'run node scripts/wasm/build-row-dots.mjs');
  assert.ok(rowDotsFusedModuleSource(bytes).includes(ROW_DOTS_FUSED_WASM_BASE64));
});
