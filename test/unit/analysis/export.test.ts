import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNpy, encodeNpy, npyHeader } from '../../../src/engine/analysis/npy';
import { csvTextField, exportTensor, float32ToString, matrixToCsv, tensorToJson, tensorsToJson, tokensToJson } from '../../../src/engine/analysis/export';
import { bookBatch, reference } from './fixtures';

/** An independent reader written straight from the .npy format spec (not the module's decodeNpy). */
function readNpySpec(bytes: Uint8Array) {
  assert.deepEqual([...bytes.subarray(0, 6)], [0x93, ...Buffer.from('NUMPY')], 'magic');
  assert.equal(bytes[6], 1, 'major version');
  assert.equal(bytes[7], 0, 'minor version');
  const headerLen = bytes[8]! | (bytes[9]! << 8);
  const total = 10 + headerLen;
  assert.equal(total % 64, 0, 'magic + length + header is 64-byte aligned');
  const header = Buffer.from(bytes.subarray(10, total)).toString('latin1');
  assert.ok(header.endsWith('\n'), 'header ends with newline');
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \([0-9, ]*\), \} *\n$/);
  const shapeText = /'shape': \(([^)]*)\)/.exec(header)![1]!;
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const numel = shape.reduce((a, b) => a * b, 1);
  assert.equal(bytes.length, total + numel * 4, 'data is exactly numel float32s');
  const data = Array.from({ length: numel }, (_, i) => Buffer.from(bytes).readFloatLE(total + 4 * i));
  return { shape, data, header };
}

test('.npy files are byte-identical to what numpy.save wrote for 1-D, 2-D, 3-D and edge shapes', () => {
  assert.ok(reference.npy.length >= 5);
  for (const c of reference.npy) {
    const numel = c.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(numel).map((_, i) => i * 0.5 - 1.25);
    const ours = encodeNpy(data, c.shape);
    const numpys = Buffer.from(c.bytes, 'base64');
    assert.deepEqual(Buffer.from(ours), numpys, `shape (${c.shape.join(', ')})`);
  }
});

test('int64 .npy (token IDs) is byte-identical to numpy.save, and reads back exactly, beyond 2^53 too', () => {
  assert.ok(reference.npyInt64.length >= 4);
  for (const c of reference.npyInt64) {
    const numpys = Buffer.from(c.bytes, 'base64');
    const values = BigInt64Array.from(c.values, (v) => BigInt(v));
    assert.deepEqual(Buffer.from(encodeNpy(values, c.shape)), numpys, `${c.name} from BigInt64Array`);
    if (c.values.every((v) => Number.isSafeInteger(Number(v)))) {
      assert.deepEqual(Buffer.from(encodeNpy(c.values.map(Number), c.shape)), numpys, `${c.name} from numbers`);
    }
    const back = decodeNpy(numpys);
    assert.equal(back.descr, '<i8');
    assert.deepEqual(back.shape, c.shape);
    assert.deepEqual(Array.from(back.data as BigInt64Array, String), c.values, `${c.name} read back`);
  }
});

test('.npy read back by the spec: magic, version, aligned header, shape, values — (batch, context, dim)', () => {
  const b = bookBatch();
  const bytes = encodeNpy(b.comb, [b.batch, b.context, b.dim]);
  const r = readNpySpec(bytes);
  assert.deepEqual(r.shape, [8, 4, 256]);
  assert.equal(r.header.includes("'shape': (8, 4, 256), }"), true);
  assert.deepEqual(Float32Array.from(r.data), b.comb);
  for (const shape of [[7], [3, 5], [2, 3, 4], [1, 1, 1, 1], []]) {
    const n = shape.reduce((a, c) => a * c, 1);
    const d = new Float32Array(n).map((_, i) => Math.fround(Math.sin(i + 1)));
    const rr = readNpySpec(encodeNpy(d, shape));
    assert.deepEqual(rr.shape, shape);
    assert.deepEqual(Float32Array.from(rr.data), d);
  }
  // the module's own reader agrees, for float and int64 (token IDs)
  const back = decodeNpy(bytes);
  assert.deepEqual(back.shape, [8, 4, 256]);
  assert.deepEqual(back.data, b.comb);
  const ids = decodeNpy(encodeNpy(b.ids, [8, 4]));
  assert.equal(ids.descr, '<i8');
  assert.deepEqual(Array.from(ids.data as BigInt64Array, Number), b.ids);
});

test('.npy header length is a multiple of 64 for every shape length, and bad input is refused', () => {
  for (let n = 0; n < 200; n += 7) {
    assert.equal(npyHeader('<f4', [n, 3]).length % 64, 0);
    assert.equal(npyHeader('<f4', [n * 1e9, n, 2]).length % 64, 0);
  }
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 3]), /needs 6 values, got 5/);
  assert.throws(() => decodeNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a \.npy file/);
  assert.throws(() => encodeNpy([1.5], [1]), /must be integers/);
});

test('float32 numbers are written as the shortest decimal that reads back to the same float32', () => {
  const b = bookBatch();
  for (let i = 0; i < b.tok.length; i++) {
    const s = float32ToString(b.tok[i]!);
    assert.equal(Math.fround(Number(s)), b.tok[i]);
    const significant = s.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
    assert.ok(significant.length <= 9, s);
  }
  assert.equal(float32ToString(Math.fround(0.1)), '0.1');
  assert.equal(float32ToString(0.3373701870441437), '0.3373702'); // numpy: repr(np.float32(0.3373701870441437)) == '0.3373702'
  assert.equal(float32ToString(-0), '-0');
  assert.equal(float32ToString(Math.fround(1e-40)), '1e-40'); // subnormal float32
});

test('CSV: header dim_0…, label columns, RFC 4180 quoting and CSV-injection guard', () => {
  const csv = matrixToCsv(Float32Array.from([0.5, -1, 2.25, NaN, Infinity, -Infinity]), 2, 3, {
    ids: [40, 367],
    texts: ['=HYPERLINK("x")', ' a, "b"\n'],
    index: [10, 11],
  });
  assert.equal(csv, 'index,id,token,dim_0,dim_1,dim_2\r\n' + `10,40,"'=HYPERLINK(""x"")",0.5,-1,2.25\r\n` + '11,367," a, ""b""\n",NaN,inf,-inf\r\n');
  assert.equal(matrixToCsv(Float32Array.from([1, 2]), 1, 2), 'dim_0,dim_1\r\n1,2\r\n');
  assert.equal(csvTextField('+1'), `"'+1"`);
  assert.equal(csvTextField('-x'), `"'-x"`);
  assert.equal(csvTextField('@sum'), `"'@sum"`);
  assert.equal(csvTextField('\tcmd'), `"'\tcmd"`);
  assert.equal(csvTextField(' the'), '" the"');
  assert.equal(csvTextField('plain'), 'plain');
  assert.throws(() => matrixToCsv(new Float32Array(5), 2, 3), /needs 6 values/);
  assert.throws(() => matrixToCsv(new Float32Array(6), 2, 3, { ids: [1] }), /labels\.ids has 1 entries for 2 rows/);
});

test('CSV of the book batch parses back to the exact float32 values with an RFC 4180 reader', () => {
  const b = bookBatch();
  const file = exportTensor('csv', { name: 'input_embeddings', data: b.comb, shape: [8, 4, 256] }, { ids: b.ids });
  const text = new TextDecoder().decode(file.bytes);
  const lines = text.split('\r\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 1 + 32);
  assert.equal(lines[0]!.split(',').length, 2 + 256);
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(',');
    assert.equal(Number(cells[0]), r);
    assert.equal(Number(cells[1]), b.ids[r]);
    for (let j = 0; j < 256; j++) assert.equal(Math.fround(Number(cells[2 + j])), b.comb[r * 256 + j]);
  });
});

test('JSON: nested arrays in C order, exact float32 values, nulls for non-finite; tokens with spans', () => {
  const t = { name: 'pos', data: Float32Array.from([1, 2, 3, 4, 5, 6, 0.1, NaN, -0.5, 7, 8, 9]), shape: [2, 2, 3] };
  const parsed = JSON.parse(tensorToJson(t));
  assert.deepEqual(parsed, {
    name: 'pos',
    dtype: 'float32',
    shape: [2, 2, 3],
    data: [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [0.1, null, -0.5],
        [7, 8, 9],
      ],
    ],
  });
  const both = JSON.parse(tensorsToJson([t, { name: 'x', data: Float32Array.from([3]), shape: [] }], { seed: '123' }));
  assert.deepEqual(both.meta, { seed: '123' });
  assert.equal(both.tensors.x.data, 3);
  assert.deepEqual(both.tensors.pos.shape, [2, 2, 3]);
  assert.throws(() => tensorToJson({ name: 'bad', data: new Float32Array(3), shape: [2, 2] }), /bad: shape \[2, 2\] needs 4/);

  const tokens = JSON.parse(
    tokensToJson({ kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 }, [
      { id: 40, start: 0, end: 1, text: 'I' },
      { id: 367, start: 1, end: 4, text: ' HA' },
    ]),
  );
  assert.deepEqual(tokens, {
    tokenizer: { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 },
    count: 2,
    ids: [40, 367],
    spans: [
      [0, 1],
      [1, 4],
    ],
    tokens: [
      { id: 40, start: 0, end: 1, text: 'I' },
      { id: 367, start: 1, end: 4, text: ' HA' },
    ],
  });
  const npy = exportTensor('npy', t);
  assert.equal(npy.extension, 'npy');
  assert.deepEqual(decodeNpy(npy.bytes).shape, [2, 2, 3]);
});
