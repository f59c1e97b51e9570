import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSize as formatTorchSize, formatTorchTensor, pyExp as pyFormatExp, pyFixed as pyFormatFixed } from '../../../src/engine/torchFormat';
import { bookBatch, f32, reference } from './fixtures';

test('every repr printed by real PyTorch is reproduced character for character', () => {
  assert.ok(reference.repr.length >= 25);
  for (const c of reference.repr) {
    const got = formatTorchTensor(f32(c.data), c.shape, {
      parameter: c.parameter,
      requiresGrad: c.requiresGrad,
      gradFn: c.gradFn,
    });
    assert.equal(got, c.repr, `case ${c.name}`);
  }
});

test("the book's 6×3 weight prints as in the book", () => {
  const c = reference.repr.find((r) => r.name === 'parameter_6x3')!;
  const got = formatTorchTensor(f32(c.data), [6, 3], { parameter: true, requiresGrad: true });
  assert.equal(
    got,
    'Parameter containing:\n' +
      'tensor([[ 0.3374, -0.1778, -0.1690],\n' +
      '        [ 0.9178,  1.5810,  1.3010],\n' +
      '        [ 1.2753, -0.2010, -0.1606],\n' +
      '        [-0.4015,  0.9666, -1.1481],\n' +
      '        [-1.1589,  0.3255, -0.6315],\n' +
      '        [-2.8400, -0.7849, -1.4096]], requires_grad=True)',
  );
});

test("the book's batch (8, 4, 256): token, positional and combined embeddings print like PyTorch", () => {
  const b = bookBatch();
  assert.equal(formatTorchTensor(b.tok, [8, 4, 256], { gradFn: 'EmbeddingBackward0' }), reference.book.tokenRepr);
  assert.equal(formatTorchTensor(b.pos, [4, 256], { gradFn: 'EmbeddingBackward0' }), reference.book.posRepr);
  assert.equal(formatTorchTensor(b.comb, [8, 4, 256], { gradFn: 'AddBackward0' }), reference.book.combinedRepr);
  assert.equal(formatTorchSize([8, 4, 256]), reference.book.tokenShape);
  assert.equal(formatTorchTensor(b.ids, [8, 4], { dtype: 'int64' }), reference.book.inputsRepr);
});

test('Python rounding: exact binary value, ties to even (unlike Number#toFixed)', () => {
  assert.equal(pyFormatFixed(0.03125, 4), '0.0312');
  assert.equal((0.03125).toFixed(4), '0.0313'); // why the BigInt path exists
  assert.equal(pyFormatFixed(0.09375, 4), '0.0938');
  assert.equal(pyFormatFixed(2.5, 0), '2');
  assert.equal(pyFormatFixed(3.5, 0), '4');
  assert.equal(pyFormatFixed(-0, 4), '-0.0000');
  assert.equal(pyFormatFixed(1.00005, 4), '1.0001'); // the double 1.00005 is just above the tie
  assert.equal(pyFormatFixed(Math.fround(1.00005), 4), '1.0000'); // its float32 is just below
  assert.equal(pyFormatFixed(123456789.123, 2), '123456789.12');
  assert.equal(pyFormatExp(0, 4), '0.0000e+00');
  assert.equal(pyFormatExp(9.99995e-5, 4), '9.9999e-05'); // double just below the tie
  assert.equal(pyFormatExp(99999.5, 4), '1.0000e+05');
  assert.equal(pyFormatExp(-1234.5, 4), '-1.2345e+03'); // exact tie, 4 is even
  assert.equal(pyFormatExp(1e100, 4), '1.0000e+100');
  assert.equal(pyFormatExp(5e-324, 2), '4.94e-324');
  assert.equal(pyFormatExp(NaN, 4), 'nan');
  assert.equal(pyFormatFixed(-Infinity, 4), '-inf');
});

test('shape and data length must agree', () => {
  assert.throws(() => formatTorchTensor(new Float32Array(5), [2, 3]), /needs 6 values, got 5/);
  assert.throws(() => formatTorchTensor(new Float32Array(0), [-1]), /bad tensor shape/);
});
