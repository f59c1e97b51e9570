// The built CLI (dist/cli.js, made by `npm run build`, which test:unit runs first) on real .safetensors files:
// `weights --weights FILE` and `neighbors`, their JSON, and their errors (exit codes and messages).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { getEncoding } from 'js-tiktoken';
import { bf16Bits, buildSafetensors, f32Bytes, rawSafetensors, u16Bytes } from './helpers/safetensorsWriter';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const VOCAB = 50257; // gpt2
const DIM = 4;
const CTX = 8;
const QUERY = 42;
/** Planted neighbours of QUERY (= +x), closest first. */
const PLANTED = [300, 1000, 2000];

let dir: string;
let gpt2File: string;
let tokenValues: Float32Array;

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function tokenTable(): Float32Array {
  // Pseudo-random rows pointing away from +x, so only the planted rows can be near token QUERY.
  const t = new Float32Array(VOCAB * DIM);
  let s = 2463534242;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  for (let r = 0; r < VOCAB; r++) {
    t[r * DIM] = -0.1 - next();
    for (let c = 1; c < DIM; c++) t[r * DIM + c] = next() * 2 - 1;
  }
  t.set([1, 0, 0, 0], QUERY * DIM);
  t.set([1, 0.02, 0, 0], 1000 * DIM);
  t.set([1, 0, 0.05, 0], 2000 * DIM);
  t.set([2, 0, 0, 0.01], 300 * DIM);
  return t;
}

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'te-cli-weights-'));
  tokenValues = tokenTable();
  gpt2File = join(dir, 'gpt2-small.safetensors');
  writeFileSync(
    gpt2File,
    buildSafetensors([
      { name: 'transformer.wte.weight', dtype: 'F32', shape: [VOCAB, DIM], data: f32Bytes(tokenValues) },
      { name: 'transformer.wpe.weight', dtype: 'F32', shape: [CTX, DIM], data: f32Bytes(Array.from({ length: CTX * DIM }, (_, i) => i / 64)) },
    ]),
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('weights --weights FILE --json prints the exact stored rows and names the tensors', () => {
  const r = run('weights', '--weights', gpt2File, '--rows', `0,${QUERY},${VOCAB - 1}`, '--pos-rows', '7,0', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { source: Record<string, unknown>; token: Record<string, number[]>; position: Record<string, number[]> };
  assert.deepEqual(out.source, {
    kind: 'file',
    path: gpt2File,
    tokenTensor: 'transformer.wte.weight',
    positionTensor: 'transformer.wpe.weight',
    dtype: 'F32',
    vocabSize: VOCAB,
    dim: DIM,
    contextLength: CTX,
    tokenizer: { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 },
    paddingRows: 0,
  });
  for (const row of [0, QUERY, VOCAB - 1]) assert.deepEqual(out.token[String(row)], Array.from(tokenValues.subarray(row * DIM, (row + 1) * DIM)));
  assert.deepEqual(out.position['7'], [28 / 64, 29 / 64, 30 / 64, 31 / 64]);
  assert.deepEqual(out.position['0'], [0, 1 / 64, 2 / 64, 3 / 64]);
});

test('weights --weights FILE prints tables the PyTorch way, labelled with the file', () => {
  const r = run('weights', '--weights', gpt2File, '--rows', String(QUERY), '--pos-rows', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /transformer\.wte\.weight \[50257, 4\] F32 from /);
  assert.match(r.stdout, /tensor\(\[\[1\., 0\., 0\., 0\.\]\], grad_fn=<EmbeddingBackward0>\)/);
});

test('--token-tensor / --position-tensor pick other names; BF16 is converted', () => {
  const p = join(dir, 'custom.safetensors');
  const values = [0.5, -1.25, 3, 0.015625];
  writeFileSync(
    p,
    buildSafetensors([
      { name: 'enc.tok', dtype: 'BF16', shape: [VOCAB, DIM], data: u16Bytes(Array.from({ length: VOCAB * DIM }, (_, i) => bf16Bits(values[i % 4]))) },
      { name: 'enc.pos', dtype: 'F32', shape: [2, DIM], data: f32Bytes([1, 2, 3, 4, 5, 6, 7, 8]) },
    ]),
  );
  const r = run('weights', '--weights', p, '--token-tensor', 'enc.tok', '--position-tensor', 'enc.pos', '--rows', '9', '--pos-rows', '1', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { source: { dtype: string }; token: Record<string, number[]>; position: Record<string, number[]> };
  assert.deepEqual(out.token['9'], values);
  assert.deepEqual(out.position['1'], [5, 6, 7, 8]);
  assert.equal(out.source.dtype, 'BF16 (token) / F32 (position)');
  // Without the names nothing is detected, and the message lists what there is.
  const auto = run('weights', '--weights', p, '--rows', '0');
  assert.equal(auto.code, 1);
  assert.match(auto.stderr, /No token embedding table found .* enc\.tok \[50257, 4\]/);
});

test('neighbors --weights FILE finds the planted nearest tokens, with their text', () => {
  const r = run('neighbors', '--weights', gpt2File, '--id', String(QUERY), '--k', '3', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { id: number; text: string; neighbors: { id: number; score: number; text: string }[] };
  assert.deepEqual(
    out.neighbors.map((n) => n.id),
    PLANTED,
  );
  // Row 300 is [2, 0, 0, 0.01] in float32.
  assert.ok(Math.abs(out.neighbors[0].score - 2 / Math.sqrt(4 + Math.fround(0.01) ** 2)) < 1e-12);
  const enc = getEncoding('gpt2');
  assert.equal(out.text, enc.decode([QUERY]));
  // Whole-character tokens, so tiktoken's decode is the exact display text.
  assert.deepEqual(
    out.neighbors.map((n) => n.text),
    PLANTED.map((id) => enc.decode([id])),
  );
  const table = run('neighbors', '--weights', gpt2File, '--id', String(QUERY), '--k', '2');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /nearest 2 tokens to 42 K by cosine similarity \(transformer\.wte\.weight in /);
  assert.match(table.stdout, /\n1 +300 +1\.0000 +␣l\n/, 'token texts shown the visible-token way');
});

test('neighbors --seed agrees with cosines computed from the rows the weights command prints', () => {
  const r = run('neighbors', '--seed', '7', '--dim', '8', '--id', '1000', '--k', '4', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { neighbors: { id: number; score: number }[] };
  assert.equal(out.neighbors.length, 4);
  const ids = [1000, ...out.neighbors.map((n) => n.id)];
  const w = run('weights', '--seed', '7', '--dim', '8', '--rows', ids.join(','), '--pos-rows', '0', '--json');
  assert.equal(w.code, 0, w.stderr);
  const rows = (JSON.parse(w.stdout) as { token: Record<string, number[]> }).token;
  const cos = (a: number[], b: number[]) => {
    let d = 0,
      na = 0,
      nb = 0;
    for (let i = 0; i < a.length; i++) {
      d += a[i] * b[i];
      na += a[i] ** 2;
      nb += b[i] ** 2;
    }
    return d / Math.sqrt(na * nb);
  };
  for (const n of out.neighbors) assert.ok(Math.abs(n.score - cos(rows['1000'], rows[String(n.id)])) < 1e-12);
  for (let i = 1; i < out.neighbors.length; i++) assert.ok(out.neighbors[i - 1].score >= out.neighbors[i].score);
});

test('bad weights files fail with the reader message and exit code 1; bad flag combinations exit 2', () => {
  const hostile = join(dir, 'hostile.safetensors');
  writeFileSync(hostile, rawSafetensors('{}', 0, { length: 2n ** 64n - 1n }));
  let r = run('weights', '--weights', hostile, '--rows', '0');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /claims a 18446744073709551615 byte header/);

  const small = join(dir, 'small-vocab.safetensors');
  writeFileSync(small, buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [11, DIM], data: f32Bytes(new Float32Array(11 * DIM)) }]));
  r = run('neighbors', '--weights', small, '--id', '1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /has 11 rows but the tokenizer has 50257 ids: id 11 to 50256 would have no row/);

  r = run('weights', '--weights', join(dir, 'missing.safetensors'), '--rows', '0');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no such file/);

  r = run('weights', '--weights', gpt2File, '--seed', '1');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /either --weights FILE or --seed S/);
  r = run('neighbors', '--weights', gpt2File);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing --id/);
  r = run('neighbors', '--weights', gpt2File, '--id', String(VOCAB));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--id must be between 0 and 50256/);
});

test('a file without a positional table: learned is refused with advice, sinusoidal/none work', () => {
  const p = join(dir, 'no-pos.safetensors');
  writeFileSync(p, buildSafetensors([{ name: 'model.embed_tokens.weight', dtype: 'F32', shape: [VOCAB, DIM], data: f32Bytes(tokenValues) }]));
  let r = run('weights', '--weights', p, '--rows', '0');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no learned positional table .* choose positional "sinusoidal" or "none"/);
  r = run('weights', '--weights', p, '--positional', 'none', '--context-length', '3', '--rows', '1', '--pos-rows', '2', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { source: { positionTensor: null; contextLength: number }; position: Record<string, number[]> };
  assert.deepEqual(out.position['2'], [0, 0, 0, 0]);
  assert.equal(out.source.positionTensor, null);
  assert.equal(out.source.contextLength, 3);
  r = run('neighbors', '--weights', p, '--id', String(QUERY), '--k', '1', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { neighbors: { id: number }[] }).neighbors[0].id, 300);
});

test('tensors --weights FILE lists the 2-D tensors and what is detected', () => {
  const p = join(dir, 'mixed.safetensors');
  writeFileSync(
    p,
    buildSafetensors(
      [
        { name: 'wte.weight', dtype: 'F16', shape: [3, 2], data: new Uint8Array(12) },
        { name: 'ln_f.bias', dtype: 'F32', shape: [2], data: new Uint8Array(8) },
        { name: 'q.weight', dtype: 'I8', shape: [2, 2], data: new Uint8Array(4) },
      ],
      { format: 'pt' },
    ),
  );
  const r = run('tensors', '--weights', p, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    path: p,
    candidates: [
      { name: 'wte.weight', dtype: 'F16', rows: 3, cols: 2, readable: true, role: 'token' },
      { name: 'q.weight', dtype: 'I8', rows: 2, cols: 2, readable: false, role: null },
    ],
    detected: { tokenTensor: 'wte.weight', positionTensor: null },
    metadata: { format: 'pt' },
  });
  const t = run('tensors', '--weights', p);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /wte\.weight\s+\[3, 2\]\s+F16\s+token \(detected\)/);
  assert.match(t.stdout, /I8 \(not viewable\)/);
  const bad = run('tensors', '--weights', join(dir, 'missing.safetensors'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no such file/);
});
