import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MT19937, TorchGenerator, parseTorchSeed, torchEmbeddingInit, vectorPathOutputs } from '../../src/engine/torchRandom';
import { KERNELS, assertClose, reference } from './torchReference';

test('mt19937 matches the C++ standard check value (10000th output of the default seed 5489)', () => {
  const mt = new MT19937(5489);
  let last = 0;
  for (let i = 0; i < 10000; i++) last = mt.nextU32();
  assert.equal(last, 4123659995);
  assert.equal(mt.position, 10000);
});

test('parseTorchSeed accepts the integers torch.manual_seed accepts', () => {
  assert.equal(parseTorchSeed(123), 123n);
  assert.equal(parseTorchSeed('18446744073709551615'), 18446744073709551615n);
  assert.equal(parseTorchSeed(' 42 '), 42n);
  assert.equal(parseTorchSeed(2n ** 63n), 2n ** 63n);
  // Python's negative ints become their two's-complement uint64.
  assert.equal(parseTorchSeed(-1), 18446744073709551615n);
  assert.equal(parseTorchSeed('-9223372036854775808'), 2n ** 63n);
  assert.throws(() => parseTorchSeed('18446744073709551616'), /out of range/);
  assert.throws(() => parseTorchSeed(-(2n ** 63n) - 1n), /out of range/);
  assert.throws(() => parseTorchSeed('12.5'), /not a decimal integer/);
  assert.throws(() => parseTorchSeed('0x10'), /not a decimal integer/);
  assert.throws(() => parseTorchSeed(2 ** 60), /decimal string or bigint/);
});

test('manual_seed uses the low 32 bits of the 64-bit seed', () => {
  const a = new TorchGenerator(123).normal_(new Float32Array(40));
  const b = new TorchGenerator(123n + (5n << 32n)).normal_(new Float32Array(40));
  const c = new TorchGenerator(124).normal_(new Float32Array(40));
  assert.deepEqual(b, a);
  assert.notDeepEqual(c, a);
  assert.equal(new TorchGenerator(-1).initialSeed(), 2n ** 64n - 1n);
  assert.deepEqual(new TorchGenerator(-1).normal_(new Float32Array(20)), new TorchGenerator(0xffffffff).normal_(new Float32Array(20)));
});

for (const kernel of KERNELS) {
  test(`normal_ streams equal torch.manual_seed(123); torch.empty(n).normal_() (${kernel} kernel)`, () => {
    const streams = reference.normal_streams[kernel];
    assert.equal(Object.keys(streams).length, 9);
    for (const [name, expected] of Object.entries(streams)) {
      const actual = new TorchGenerator(123).normal_(new Float32Array(expected.length));
      assertClose(actual, expected, `${kernel} ${name}`);
    }
  });
}

test('the scalar path caches the second Box–Muller sample across tensors; manual_seed clears it', () => {
  const pair = reference.normal_streams.default.normal_2!;
  const g = new TorchGenerator(123);
  const first = g.normal_(new Float32Array(1));
  assert.equal(g.hasCachedNormal, true);
  const consumed = g.position;
  const second = g.normal_(new Float32Array(1));
  // The second 1-element tensor is the cached sine half: no new mt19937 output consumed.
  assert.equal(g.position, consumed);
  assertClose([first[0]!, second[0]!], pair, 'two 1-element tensors');
  g.normal_(new Float32Array(1));
  g.manualSeed(123);
  assert.equal(g.hasCachedNormal, false);
  assertClose(g.normal_(new Float32Array(1)), reference.normal_streams.default.normal_1!, 'after reseed');
});

test('vectorised path consumes one output per element plus 16 for a ragged tail', () => {
  for (const n of [16, 17, 31, 32, 33, 100]) {
    const g = new TorchGenerator(7);
    g.normal_(new Float32Array(n));
    assert.equal(g.position, vectorPathOutputs(n), `n=${n}`);
    assert.equal(g.position, n % 16 === 0 ? n : n + 16);
  }
  const g = new TorchGenerator(7);
  g.normal_(new Float32Array(15));
  assert.equal(g.position, 8 * 4, '15 scalar samples = 8 Box–Muller pairs of two 64-bit uniforms');
});

for (const name of ['seed_doc_6x3', 'scalar_3x5', 'exact16_1x16', 'tail_5x7']) {
  test(`torchEmbeddingInit reproduces PyTorch's ${name} tables for both kernels`, () => {
    const shape = reference.configs[name]!.default;
    const { token, position } = torchEmbeddingInit(shape.seed, shape.vocab, shape.dim, shape.ctx);
    for (const kernel of KERNELS) {
      const ref = reference.configs[name]![kernel];
      assertClose(token, ref.tok_full!.flat(), `${name} ${kernel} token`);
      assertClose(position, ref.pos_full!.flat(), `${name} ${kernel} position`);
    }
  });
}

test('seed 123, 6×3 table starts like the documentation', () => {
  const { token } = torchEmbeddingInit(123, 6, 3, 4);
  assertClose(token.subarray(0, 6), [0.3374, -0.1778, -0.169, 0.9178, 1.581, 1.301], 'doc rows', 5e-5);
});

test('full book table 50257×256 (seed 123): sums, first/last elements and sampled rows match PyTorch', () => {
  const ref = reference.configs.book_50257x256!;
  const { token, position } = torchEmbeddingInit(123, 50257, 256, 4);
  let sum = 0;
  let absSum = 0;
  let sqSum = 0;
  for (let i = 0; i < token.length; i++) {
    const v = token[i]!;
    sum += v;
    absSum += Math.abs(v);
    sqSum += v * v;
  }
  let posSum = 0;
  for (let i = 0; i < position.length; i++) posSum += position[i]!;
  // Our elements match the portable kernel to the float32 ulp, so its float64 sums agree up to summation order.
  const d = ref.default;
  assert.ok(Math.abs(sum - d.tok_sum) < 1e-3, `tok_sum ${sum} vs ${d.tok_sum}`);
  assert.ok(Math.abs(absSum - d.tok_abs_sum) < 1e-2, `tok_abs_sum ${absSum} vs ${d.tok_abs_sum}`);
  assert.ok(Math.abs(sqSum - d.tok_sq_sum) < 1e-2, `tok_sq_sum ${sqSum} vs ${d.tok_sq_sum}`);
  assert.ok(Math.abs(posSum - d.pos_sum) < 1e-5, `pos_sum ${posSum} vs ${d.pos_sum}`);
  // The AVX2 kernel's elements differ by ≤ 2e-6 each, so its sums may drift by up to ~1e-6·N.
  assert.ok(Math.abs(sum - ref.avx2.tok_sum) < 1, `avx2 tok_sum ${sum} vs ${ref.avx2.tok_sum}`);
  assert.ok(Math.abs(absSum - ref.avx2.tok_abs_sum) < 1, 'avx2 tok_abs_sum');
  for (const kernel of KERNELS) {
    const r = ref[kernel];
    assertClose(token.subarray(0, 32), r.tok_first32, `${kernel} first32`);
    assertClose(token.subarray(token.length - 32), r.tok_last32, `${kernel} last32`);
    for (const [row, values] of Object.entries(r.tok_rows)) {
      assertClose(token.subarray(Number(row) * 256, Number(row) * 256 + 256), values, `${kernel} token row ${row}`);
    }
    for (const [row, values] of Object.entries(r.pos_rows)) {
      assertClose(position.subarray(Number(row) * 256, Number(row) * 256 + 256), values, `${kernel} pos row ${row}`);
    }
  }
});
