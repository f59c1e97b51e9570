// `token-embeddings export`, run as the BUILT dist/cli.js with the real engine: files are read back with the
// format's own rules and compared with PyTorch's numbers for the book's first batch (seed 123, 50257×256, ctx 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy } from '../../src/engine/analysis/npy';
import { bookBatch, reference } from './analysis/fixtures';

const root = join(__dirname, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');
const verdict = join(root, 'test', 'fixtures', 'the-verdict.txt');
const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  assert.ok(existsSync(cliJs), 'dist/cli.js is missing: run `npm run build` (npm run test:unit does)');
  return spawnSync(process.execPath, [cliJs, ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
}

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= 1e-5, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

test('export .npy: input/token/positional embeddings of the book batch equal PyTorch within 1e-5; inputs are int64', () => {
  const b = bookBatch();
  for (const [what, expected, shape] of [
    ['input', b.comb, [8, 4, 256]],
    ['token', b.tok, [8, 4, 256]],
    ['positional', b.pos, [4, 256]],
  ] as const) {
    const out = join(dir, `${what}.npy`);
    const r = cli('export', '--file', verdict, '--what', what, '--out', out);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.match(r.stdout.toString(), new RegExp(`^wrote .*${what}\\.npy \\(\\d+ bytes, npy, ${what}\\)\\n$`));
    const npy = decodeNpy(readFileSync(out));
    assert.equal(npy.descr, '<f4');
    assert.deepEqual(npy.shape, shape);
    closeTo(npy.data as Float32Array, expected, what);
  }
  const r = cli('export', '--file', verdict, '--what', 'inputs', '--out', join(dir, 'inputs.npy'));
  assert.equal(r.status, 0, r.stderr.toString());
  const inputs = decodeNpy(readFileSync(join(dir, 'inputs.npy')));
  assert.equal(inputs.descr, '<i8');
  assert.deepEqual(inputs.shape, [8, 4]);
  assert.deepEqual(Array.from(inputs.data as BigInt64Array, Number), reference.book.inputs.flat());
});

test('export CSV to stdout: index,id,token columns then dim_0…dim_255; values parse back to the float32s', () => {
  const b = bookBatch();
  const r = cli('export', '--file', verdict, '--what', 'input', '--format', 'csv', '--out', '-');
  assert.equal(r.status, 0, r.stderr.toString());
  const lines = r.stdout.toString('utf8').split('\r\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 33);
  assert.ok(lines[0]!.startsWith('index,id,token,dim_0,dim_1,') && lines[0]!.endsWith(',dim_255'));
  // row 1 is token 1 of the text: id 367, " H" (quoted: leading space)
  assert.ok(lines[2]!.startsWith('1,367," H",'), lines[2]!.slice(0, 40));
  // the second window starts at token 4 (stride 4)
  assert.ok(lines[5]!.startsWith('4,1807,'), lines[5]!.slice(0, 40));
  const row0 = lines[1]!.split(',').slice(3).map(Number);
  closeTo(row0, b.comb.subarray(0, 256), 'row 0');
});

test('export JSON and token IDs with spans', () => {
  const out = join(dir, 'pos.json');
  let r = cli('export', '--file', verdict, '--what', 'positional', '--out', out);
  assert.equal(r.status, 0, r.stderr.toString());
  const pos = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(pos.name, 'pos_embeddings');
  assert.deepEqual(pos.shape, [4, 256]);
  closeTo(pos.data.flat(), bookBatch().pos, 'pos json');

  r = cli('export', '--text', 'Hello, =world', '--what', 'ids', '--format', 'json', '--out', '-');
  assert.equal(r.status, 0, r.stderr.toString());
  const ids = JSON.parse(r.stdout.toString('utf8'));
  assert.deepEqual(ids.tokenizer, { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 });
  assert.deepEqual(ids.ids, [15496, 11, 796, 6894]);
  assert.deepEqual(ids.spans, [
    [0, 5],
    [5, 6],
    [6, 8],
    [8, 13],
  ]);
  assert.deepEqual(
    ids.tokens.map((t: { text: string }) => t.text),
    ['Hello', ',', ' =', 'world'],
  );

  r = cli('export', '--text', '=SUM(A1)', '--what', 'ids', '--format', 'csv', '--out', '-');
  assert.equal(r.status, 0, r.stderr.toString());
  const csv = r.stdout.toString('utf8').split('\r\n');
  assert.equal(csv[0], 'index,id,start,end,token');
  assert.ok(csv[1]!.endsWith(`,"'="`), csv[1]);
});

test('export errors: one clear line on stderr and a non-zero exit', () => {
  const cases: [string[], number, RegExp][] = [
    [['export', '--text', 'hi there', '--out', join(dir, 'x.txt')], 2, /cannot tell the format from ".*x\.txt": add --format csv\|json\|npy/],
    [['export', '--text', 'hi'], 2, /missing --out FILE/],
    [['export', '--text', 'one two three four five six', '--out', join(dir, 'no', 'such', 'x.csv')], 1, /cannot write .*x\.csv: its folder does not exist/],
    [['export', '--text', 'hi', '--out', join(dir, 'x.npy')], 1, /the text has 1 token; a window of --context-length 4 needs at least 5 .*use --what ids/],
    [['export', '--text', 'hi', '--format', 'xlsx', '--out', '-'], 2, /--format must be one of csv, json, npy/],
  ];
  for (const [args, code, message] of cases) {
    const r = cli(...args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    const err = r.stderr.toString('utf8');
    assert.match(err, message);
    assert.equal(err.trimEnd().split('\n').length, 1, err);
  }
});
