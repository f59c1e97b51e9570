// One crafted file per header rule: each must fail with the right SafetensorsError code, never another error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryByteSource, parseSafetensorsBytes, readSafetensorsHeader, SafetensorsError, type SafetensorsErrorCode } from '../../src/engine/safetensors';
import { buildSafetensors, f32Bytes, rawSafetensors } from './helpers/safetensorsWriter';

function rejects(bytes: Uint8Array, code: SafetensorsErrorCode, messagePart?: RegExp): SafetensorsError {
  try {
    parseSafetensorsBytes(bytes, 'test.safetensors');
  } catch (e) {
    assert.ok(e instanceof SafetensorsError, `expected SafetensorsError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (messagePart) assert.match(e.message, messagePart);
    return e;
  }
  assert.fail(`expected ${code}, but the file parsed`);
}

const info = (dtype: string, shape: number[], offsets: number[]) => ({ dtype, shape, data_offsets: offsets });

test('a well-formed file parses: tensors in offset order, metadata as a Map, exact offsets', () => {
  const bytes = buildSafetensors(
    [
      { name: 'b', dtype: 'F32', shape: [2, 3], data: f32Bytes([1, 2, 3, 4, 5, 6]) },
      { name: 'a', dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 3]) },
    ],
    { format: 'pt' },
  );
  const h = parseSafetensorsBytes(bytes);
  assert.deepEqual([...h.tensors.keys()], ['b', 'a']);
  assert.deepEqual(h.tensors.get('b'), { name: 'b', dtype: 'F32', shape: [2, 3], dataOffsets: [0, 24] });
  assert.deepEqual(h.tensors.get('a')?.dataOffsets, [24, 27]);
  assert.equal(h.metadata?.get('format'), 'pt');
  assert.equal(h.dataStart, 8 + h.headerLength);
  assert.equal(h.headerLength % 8, 0);
});

test('tensors listed out of offset order are sorted; the empty header {} with no data is valid', () => {
  const header = JSON.stringify({ z: info('U8', [2], [2, 4]), y: info('U8', [2], [0, 2]) });
  const h = parseSafetensorsBytes(rawSafetensors(header, 4));
  assert.deepEqual([...h.tensors.keys()], ['y', 'z']);
  assert.equal(parseSafetensorsBytes(rawSafetensors('{}', 0)).tensors.size, 0);
});

test('zero-sized tensors (a 0 in the shape) take zero bytes', () => {
  const header = JSON.stringify({ e: info('F32', [0, 768], [0, 0]), x: info('F32', [1], [0, 4]) });
  const h = parseSafetensorsBytes(rawSafetensors(header, 4));
  assert.equal(h.tensors.size, 2);
});

test('file shorter than the 8-byte length field', () => {
  rejects(new Uint8Array(0), 'fileTooSmall');
  rejects(new Uint8Array(7), 'fileTooSmall');
});

test('header length is read as an unsigned 64-bit value and capped before any allocation', () => {
  rejects(rawSafetensors('{}', 0, { length: 0xffff_ffff_ffff_ffffn }), 'headerTooLarge', /18446744073709551615/);
  rejects(rawSafetensors('{}', 0, { length: 2n ** 63n }), 'headerTooLarge');
  rejects(rawSafetensors('{}', 0, { length: 100_000_001n }), 'headerTooLarge');
  // Exactly at the cap is allowed by the cap, so it fails only because the file is not that long.
  rejects(rawSafetensors('{}', 0, { length: 100_000_000n }), 'headerLengthBeyondFile');
});

test('the source is never asked for more than the checked header length', () => {
  const bytes = rawSafetensors('{}', 0, { length: 99_999_999n });
  const requested: number[] = [];
  const inner = new MemoryByteSource(bytes);
  const counting = { size: bytes.length, readAt: (t: Uint8Array, p: number) => (requested.push(t.length), inner.readAt(t, p)), close() {} };
  assert.throws(
    () => readSafetensorsHeader(counting),
    (e: unknown) => e instanceof SafetensorsError && e.code === 'headerLengthBeyondFile',
  );
  assert.deepEqual(requested, [8]);
});

test('header length beyond the end of the file', () => {
  rejects(rawSafetensors('{}', 0, { length: 9n, pad: false }), 'headerLengthBeyondFile');
});

test('header must be valid UTF-8 (fatal decoding)', () => {
  const bad = new TextEncoder().encode('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}');
  bad[3] = 0xff;
  rejects(rawSafetensors(bad, 1), 'invalidUtf8');
  // An overlong encoding of '"' and a lone continuation byte.
  rejects(rawSafetensors(new Uint8Array([0x7b, 0xc0, 0xa2, 0x7d]), 0), 'invalidUtf8');
  rejects(rawSafetensors(new Uint8Array([0x7b, 0x80, 0x7d]), 0), 'invalidUtf8');
  // Encoded surrogate halves (CESU-8) are not UTF-8.
  rejects(rawSafetensors(new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), 0), 'invalidUtf8');
});

test('a byte order mark is rejected, and the header must start with {', () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{}')]);
  rejects(rawSafetensors(bom, 0), 'invalidHeaderStart', /byte order mark/);
  rejects(rawSafetensors(' {}', 0), 'invalidHeaderStart');
  rejects(rawSafetensors('[]', 0), 'invalidHeaderStart');
  rejects(rawSafetensors('', 0, { pad: false }), 'invalidHeaderStart', /empty/);
});

test('header must be one JSON object (syntax errors, trailing text, but padding spaces are fine)', () => {
  rejects(rawSafetensors('{"a":', 0), 'invalidJson');
  rejects(rawSafetensors('{}x', 0), 'invalidJson', /after the header object/);
  rejects(rawSafetensors('{} {}', 0), 'invalidJson');
  rejects(rawSafetensors('{,}', 0), 'invalidJson');
  rejects(rawSafetensors("{'a':1}", 0), 'invalidJson');
  rejects(rawSafetensors('{"a\u0001":{}}', 0), 'invalidJson', /control character/);
  rejects(rawSafetensors('{"\\ud800":{}}', 0), 'invalidJson', /surrogate/);
  rejects(rawSafetensors('{"\\x41":{}}', 0), 'invalidJson', /escape/);
  assert.equal(parseSafetensorsBytes(rawSafetensors('{}\n\t  \r', 0)).tensors.size, 0);
});

test('duplicate keys are detected at every level (JSON.parse would keep the last silently)', () => {
  const t = '{"dtype":"U8","shape":[1],"data_offsets":[0,1]}';
  rejects(rawSafetensors(`{"w":${t},"w":${t}}`, 1), 'duplicateKey', /"w" twice/);
  rejects(rawSafetensors('{"w":{"dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1]}}', 1), 'duplicateKey');
  rejects(rawSafetensors('{"__metadata__":{"a":"1","a":"2"}}', 0), 'duplicateKey');
  rejects(rawSafetensors('{"__metadata__":{},"__metadata__":{}}', 0), 'duplicateKey');
  // Escapes are decoded before comparing: "w" and "\u0077" are the same key.
  rejects(rawSafetensors(`{"w":${t},"\\u0077":${t}}`, 1), 'duplicateKey');
  // Inside ignored extra fields too.
  rejects(rawSafetensors('{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":{"k":1,"k":2}}}', 1), 'duplicateKey');
});

test('names like __proto__ and constructor are ordinary tensor names', () => {
  const header = JSON.stringify({ __proto__: null, constructor: info('U8', [1], [0, 1]), toString: info('U8', [1], [1, 2]) }).replace(
    '{',
    '{"__proto__":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},',
  );
  const h = parseSafetensorsBytes(rawSafetensors(header, 4));
  assert.deepEqual([...h.tensors.keys()].sort(), ['__proto__', 'constructor', 'toString']);
  assert.deepEqual(h.tensors.get('__proto__')?.shape, [2]);
  assert.equal(({} as Record<string, unknown>).dtype, undefined, 'Object.prototype untouched');
  const meta = parseSafetensorsBytes(rawSafetensors('{"__metadata__":{"__proto__":"x","constructor":"y"}}', 0)).metadata!;
  assert.equal(meta.get('__proto__'), 'x');
  assert.equal(meta.get('constructor'), 'y');
});

test('__metadata__ must map strings to strings', () => {
  rejects(rawSafetensors('{"__metadata__":{"a":1}}', 0), 'invalidMetadata');
  rejects(rawSafetensors('{"__metadata__":["a"]}', 0), 'invalidMetadata');
  rejects(rawSafetensors('{"__metadata__":null}', 0), 'invalidMetadata');
  rejects(rawSafetensors('{"__metadata__":{"a":{"b":"c"}}}', 0), 'invalidMetadata');
});

test('each tensor entry must be an object with dtype (string), shape and data_offsets; extra fields are ignored', () => {
  rejects(rawSafetensors('{"w":[1,2]}', 0), 'invalidTensorInfo');
  rejects(rawSafetensors('{"w":{"shape":[1],"data_offsets":[0,1]}}', 1), 'invalidTensorInfo', /no dtype/);
  rejects(rawSafetensors('{"w":{"dtype":"U8","data_offsets":[0,1]}}', 1), 'invalidTensorInfo', /no shape/);
  rejects(rawSafetensors('{"w":{"dtype":"U8","shape":[1]}}', 1), 'invalidTensorInfo', /no data_offsets/);
  rejects(rawSafetensors('{"w":{"dtype":8,"shape":[1],"data_offsets":[0,1]}}', 1), 'invalidTensorInfo');
  const extra = '{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"note":[{"deep":[true,false,null,-1.5e3]}]}}';
  assert.equal(parseSafetensorsBytes(rawSafetensors(extra, 1)).tensors.size, 1);
});

test('extra fields nested absurdly deep are refused instead of overflowing the stack', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  rejects(rawSafetensors(`{"w":{"x":${deep},"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, 1), 'invalidJson', /nested/);
});

test('only known dtypes', () => {
  rejects(rawSafetensors(JSON.stringify({ w: info('F128', [1], [0, 16]) }), 16), 'unknownDtype', /F128/);
  rejects(rawSafetensors(JSON.stringify({ w: info('f32', [1], [0, 4]) }), 4), 'unknownDtype');
  rejects(rawSafetensors(JSON.stringify({ w: info('__proto__', [1], [0, 4]) }), 4), 'unknownDtype');
  for (const [dtype, bytes] of [
    ['BOOL', 1],
    ['F8_E4M3', 1],
    ['I16', 2],
    ['BF16', 2],
    ['C64', 8],
    ['U64', 8],
  ] as const) {
    assert.equal(parseSafetensorsBytes(rawSafetensors(JSON.stringify({ w: info(dtype, [3], [0, 3 * bytes]) }), 3 * bytes)).tensors.size, 1);
  }
});

test('shape is an array of non-negative safe integers', () => {
  const t = (shape: string) => `{"w":{"dtype":"U8","shape":${shape},"data_offsets":[0,1]}}`;
  rejects(rawSafetensors(t('[-1]'), 1), 'invalidShape');
  rejects(rawSafetensors(t('[1.0]'), 1), 'invalidShape');
  rejects(rawSafetensors(t('[1e0]'), 1), 'invalidShape');
  rejects(rawSafetensors(t('["1"]'), 1), 'invalidShape');
  rejects(rawSafetensors(t('1'), 1), 'invalidShape');
  rejects(rawSafetensors(t('[9007199254740992]'), 1), 'invalidShape', /too large/);
  rejects(rawSafetensors(t('[184467440737095516160000]'), 1), 'invalidShape');
  rejects(rawSafetensors(t(`[${Array(1025).fill(1).join(',')}]`), 1), 'invalidShape', /dimensions/);
  // A scalar (shape []) is one element.
  assert.equal(parseSafetensorsBytes(rawSafetensors(t('[]'), 1)).tensors.get('w')?.shape.length, 0);
});

test('data_offsets are exactly two non-negative safe integers with start <= end', () => {
  const t = (o: string) => `{"w":{"dtype":"U8","shape":[1],"data_offsets":${o}}}`;
  rejects(rawSafetensors(t('[0]'), 1), 'invalidOffsets', /exactly two/);
  rejects(rawSafetensors(t('[0,1,2]'), 1), 'invalidOffsets', /exactly two/);
  rejects(rawSafetensors(t('[]'), 1), 'invalidOffsets');
  rejects(rawSafetensors(t('[-1,0]'), 1), 'invalidOffsets');
  rejects(rawSafetensors(t('[0,1.5]'), 1), 'invalidOffsets');
  rejects(rawSafetensors(t('{"0":0}'), 1), 'invalidOffsets');
  rejects(rawSafetensors(t('[1,0]'), 1), 'invalidOffsets', /end \(0\) before they start \(1\)/);
  rejects(rawSafetensors(t('[0,18446744073709551616]'), 1), 'invalidOffsets', /too large/);
});

test('offsets must start at 0 and tile the data section with no gap or overlap', () => {
  rejects(rawSafetensors(JSON.stringify({ w: info('U8', [1], [1, 2]) }), 2), 'offsetsNotContiguous', /gap/);
  rejects(rawSafetensors(JSON.stringify({ a: info('U8', [2], [0, 2]), b: info('U8', [2], [3, 5]) }), 5), 'offsetsNotContiguous', /gap/);
  rejects(rawSafetensors(JSON.stringify({ a: info('U8', [2], [0, 2]), b: info('U8', [2], [1, 3]) }), 3), 'offsetsNotContiguous', /overlap/);
  // Two tensors sharing the same bytes (aliasing) is an overlap too.
  rejects(rawSafetensors(JSON.stringify({ a: info('U8', [2], [0, 2]), b: info('U8', [2], [0, 2]) }), 2), 'offsetsNotContiguous');
});

test('byte length must equal product(shape) x dtype size, computed without overflow', () => {
  rejects(rawSafetensors(JSON.stringify({ w: info('F32', [2, 3], [0, 20]) }), 20), 'tensorSizeMismatch', /needs 24 bytes/);
  rejects(rawSafetensors(JSON.stringify({ w: info('F16', [3], [0, 3]) }), 3), 'tensorSizeMismatch');
  // 2^32 x 2^32 elements would wrap to 0 in 64-bit arithmetic; exact arithmetic refuses it.
  rejects(rawSafetensors(JSON.stringify({ w: info('U8', [4294967296, 4294967296], [0, 0]) }), 0), 'sizeOverflow');
  rejects(rawSafetensors(JSON.stringify({ w: info('F64', [2 ** 52, 2 ** 52, 16], [0, 0]) }), 0), 'sizeOverflow');
  // Sub-byte dtypes must fill whole bytes.
  rejects(rawSafetensors(JSON.stringify({ w: info('F4', [3], [0, 2]) }), 2), 'misalignedTensor');
  assert.equal(parseSafetensorsBytes(rawSafetensors(JSON.stringify({ w: info('F4', [4], [0, 2]) }), 2)).tensors.size, 1);
});

test('the last tensor must end exactly at the end of the file', () => {
  rejects(rawSafetensors(JSON.stringify({ w: info('U8', [2], [0, 2]) }), 3), 'dataSizeMismatch', /cover 2 data bytes but the file has 3/);
  rejects(rawSafetensors(JSON.stringify({ w: info('U8', [2], [0, 2]) }), 1), 'dataSizeMismatch');
  rejects(rawSafetensors('{}', 1), 'dataSizeMismatch');
});
