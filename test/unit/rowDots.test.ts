// The dot-product kernels of the nearest-token scan and the similarity matrix: WebAssembly SIMD and JS give
// bit-identical float64 results (same summation order), both agree with a plain float64 loop to rounding, and the
// shipped bytes are what the committed .wat assembles to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RowDots, RowDots64, defaultRowDotsBackend } from '../../src/engine/scan/rowDots';
import { ROW_DOTS_WASM_BASE64 } from '../../src/engine/scan/rowDotsWasm';
import { randomFloats } from './helpers/randomFloats';

test('this runtime runs a WebAssembly SIMD kernel: plain on Node 20, fused where relaxed SIMD is on (V8 ≥ 11.4: Node ≥ 21, Electron)', () => {
  // V8 turned relaxed SIMD on in 11.4 (Node 20 has 11.3).
  const [major, minor] = process.versions.v8.split('.').map(Number);
  const relaxedSimd = major! * 100 + minor! >= 1104;
  assert.equal(defaultRowDotsBackend(), relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd');
  assert.equal(new RowDots64(4, 4).backend, 'wasm-simd');
});

test('SIMD and JS kernels agree bit for bit, and with a plain float64 loop to rounding', () => {
  for (const dim of [1, 2, 3, 4, 5, 7, 8, 17, 256, 769]) {
    const rows = 37;
    const data = randomFloats(rows * dim, dim);
    const vector = randomFloats(dim, 1000 + dim);
    const results = (['wasm-simd', 'js'] as const).map((backend) => {
      const k = new RowDots(dim, 64, backend);
      assert.equal(k.backend, backend);
      k.setVector(vector);
      k.load(data);
      k.dotsOf(rows);
      const dots = k.dots.slice(0, rows);
      k.dotsAndNormsOf(rows);
      assert.deepEqual(k.dots.slice(0, rows), dots, `${backend} ${dim}: dots alone = dots with norms`);
      return { dots, norms: k.norms.slice(0, rows) };
    });
    assert.deepEqual(results[0], results[1], `dim ${dim}`);
    let vv = 0;
    for (let j = 0; j < dim; j++) vv += vector[j]! ** 2;
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      let sq = 0;
      for (let j = 0; j < dim; j++) {
        dot += data[r * dim + j]! * vector[j]!;
        sq += data[r * dim + j]! ** 2;
      }
      // Float64 rounding bound for a sum of `dim` products: a few ulps of |row|·|vector| per term.
      assert.ok(Math.abs(results[0]!.dots[r]! - dot) <= 1e-15 * dim * Math.sqrt(sq * vv), `dim ${dim} row ${r} dot`);
      assert.ok(Math.abs(results[0]!.norms[r]! - Math.sqrt(sq)) <= 1e-12 * Math.sqrt(sq), `dim ${dim} row ${r} norm`);
    }
  }
});

test('rows already in the kernel block are used in place; others are copied in; bad sizes throw', () => {
  const k = new RowDots(3, 4);
  k.setVector([1, 2, 3]);
  k.block.set([1, 0, 0, 0, 1, 0]);
  k.load(k.block.subarray(0, 6));
  k.dotsOf(2);
  assert.deepEqual([...k.dots.subarray(0, 2)], [1, 2]);
  k.load(Float32Array.from([0, 0, 1]));
  k.dotsAndNormsOf(1);
  assert.equal(k.dots[0], 3);
  assert.equal(k.norms[0], 1);
  assert.throws(() => k.dotsOf(5), RangeError);
  assert.throws(() => k.setVector([1, 2]), RangeError);
  assert.throws(() => new RowDots(0, 4), RangeError);
});

test('the shipped wasm bytes are the committed rowDots.wat, assembled', async () => {
  const { assembleRowDots, rowDotsModuleSource } = await import('../../scripts/wasm/build-row-dots.mjs');
  const bytes = await assembleRowDots();
  assert.equal(ROW_DOTS_WASM_BASE64, bytes.toString('base64'), 'run node scripts/wasm/build-row-dots.mjs');
  assert.ok(rowDotsModuleSource(bytes).includes(ROW_DOTS_WASM_BASE64));
});

test('float64 rows (RowDots64): SIMD and JS agree bit for bit, from any first row', () => {
  for (const dim of [1, 3, 4, 6, 9, 64]) {
    const rows = 21;
    const data = Float64Array.from(randomFloats(rows * dim, 7 * dim), (v, i) => v * (1 + i * 1e-9));
    const vector = Float64Array.from(randomFloats(dim, 99 + dim), (v) => v / 3);
    const got = (['wasm-simd', 'js'] as const).map((backend) => {
      const k = new RowDots64(dim, rows, backend);
      k.load(data);
      k.setVector(vector);
      k.dotsOf(rows - 5, 5);
      return k.dots.slice(0, rows - 5);
    });
    assert.deepEqual(got[0], got[1], `dim ${dim}`);
    for (let r = 0; r < rows - 5; r++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += data[(r + 5) * dim + j]! * vector[j]!;
      assert.ok(Math.abs(got[0]![r]! - dot) <= 1e-14 * dim, `dim ${dim} row ${r + 5}`);
    }
    assert.throws(() => new RowDots64(dim, rows).dotsOf(2, rows - 1), RangeError);
  }
});
