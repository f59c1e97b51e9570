// The built CLI (dist/cli.js, made by `npm run build`, which test:unit runs first): `model PATH [--json]` on a GGUF
// file written by ggml itself and on a Hugging Face folder, and its errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildSafetensors, f32Bytes } from '../helpers/safetensorsWriter';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const GGUF = join(__dirname, '..', '..', 'fixtures', 'gguf', 'ggml-written.gguf');
const dir = mkdtempSync(join(tmpdir(), 'te-cli-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('model PATH --json describes a GGUF file written by ggml', () => {
  const r = run('model', GGUF, '--json');
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.format, 'gguf');
  assert.equal(d.architecture, 'gpt2');
  assert.deepEqual(d.tokenizer, { kind: 'gpt2', pre: 'gpt-2', ids: 4, file: 'ggml-written.gguf' });
  assert.deepEqual(d.table, { file: 'ggml-written.gguf', tensor: 'token_embd.weight', shard: null, rows: 4, paddingRows: 0, dim: 256, dtype: 'Q6_K' });
  assert.equal(d.positions.kind, 'rope');
  assert.equal(d.contextLength, 1024);
  assert.equal(run('model', '--model', GGUF, '--json').stdout, r.stdout);
});

test('model PATH prints a readable description of a Hugging Face folder', () => {
  const m = join(dir, 'tiny-gpt2');
  mkdirSync(m);
  writeFileSync(join(m, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_embd: 2, n_positions: 3 }));
  writeFileSync(join(m, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: [] }, added_tokens: [] }));
  writeFileSync(
    join(m, 'model.safetensors'),
    buildSafetensors([
      { name: 'wte.weight', dtype: 'F32', shape: [4, 2], data: f32Bytes([1, 2, 3, 4, 5, 6, 7, 8]) },
      { name: 'wpe.weight', dtype: 'F32', shape: [3, 2], data: f32Bytes([1, 2, 3, 4, 5, 6]) },
    ]),
  );
  const r = run('model', m);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Hugging Face folder: /);
  assert.match(r.stdout, /token table: wte.weight in model.safetensors, 4 × 2 F32, 2 padding rows/);
  assert.match(r.stdout, /positions: learned table wpe.weight \(3 rows\)/);
});

test('model errors: missing path is a usage error (2), a bad file a clear failure (1)', () => {
  const none = run('model');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing PATH/);
  const bad = join(dir, 'bad.gguf');
  writeFileSync(bad, 'GGUF\x01\x00\x00\x00' + '\x00'.repeat(16));
  const r = run('model', bad);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /GGUF version 1/);
  assert.match(run('--help').stdout, /model {6}what a model folder or .gguf file holds/);
});
