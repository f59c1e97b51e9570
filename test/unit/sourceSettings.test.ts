/**
 * Open-model sources on the host: the tokenizerPath / modelPath settings (validation, `~/`, precedence over
 * encoding and weightsPath), their package.json declarations, the Select Tokenizer… / Open Model… items and the
 * settings change each choice writes, and the names the views use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  SECTION,
  SETTING_KEYS,
  keepModelTokenizer,
  setHomeDir,
  toEmbeddingSettings,
  tokenizeOptionsOf,
  tokenizerSourceOf,
  validateSettings,
  weightsSourceOf,
  type HostSettings,
} from '../../src/host/settings';
import { modelChange, modelItems, tokenizerChange, tokenizerItems } from '../../src/host/sourceChoice';
import { describeSources, pathName, remember, tablesName, tokenizerName } from '../../src/host/sourceNames';

const from = (values: Record<string, unknown>) => (key: string) => values[key];
const settingsOf = (values: Record<string, unknown>): HostSettings => {
  const { settings, problems } = validateSettings(from(values));
  assert.deepEqual(problems, []);
  return settings;
};

test('tokenizerPath and modelPath default to empty: the built-in encoding and the random init', () => {
  const s = settingsOf({});
  assert.equal(s.tokenizerPath, '');
  assert.equal(s.modelPath, '');
  assert.deepEqual(toEmbeddingSettings(s).tokenizer, { kind: 'encoding', encoding: 'gpt2' });
  assert.deepEqual(toEmbeddingSettings(s).weights, { kind: 'random', seed: '123' });
});

test('a tokenizer path: tokenizer.json files and folders, a .gguf means its tokenizer; tables stay weightsPath or random', () => {
  const json = settingsOf({ tokenizerPath: ' /m/llama3/tokenizer.json ', encoding: 'cl100k_base' });
  assert.deepEqual(toEmbeddingSettings(json).tokenizer, { kind: 'tokenizer.json', path: '/m/llama3/tokenizer.json' });
  assert.deepEqual(toEmbeddingSettings(json).weights, { kind: 'random', seed: '123' });
  const folder = settingsOf({ tokenizerPath: 'C:\\hub\\models--Qwen--Qwen3-0.6B', weightsPath: '/w/emb.safetensors' });
  assert.deepEqual(toEmbeddingSettings(folder).tokenizer, { kind: 'tokenizer.json', path: 'C:\\hub\\models--Qwen--Qwen3-0.6B' });
  assert.deepEqual(toEmbeddingSettings(folder).weights, { kind: 'file', path: '/w/emb.safetensors' });
  const gguf = settingsOf({ tokenizerPath: '/m/qwen3-0.6b-q8_0.GGUF' });
  assert.deepEqual(toEmbeddingSettings(gguf).tokenizer, { kind: 'model', path: '/m/qwen3-0.6b-q8_0.GGUF' });
  assert.deepEqual(tokenizeOptionsOf({ ...gguf, allowSpecialTokens: true }), {
    tokenizer: { kind: 'model', path: '/m/qwen3-0.6b-q8_0.GGUF' },
    allowSpecial: true,
  });
});

test('a model path wins over tokenizerPath, encoding and weightsPath: tokenizer and tables from the model', () => {
  const s = settingsOf({
    modelPath: '/models/Llama-3.2-1B',
    tokenizerPath: '/t/tokenizer.json',
    encoding: 'o200k_base',
    weightsPath: '/w/gpt2.safetensors',
    'weights.tokenTensor': 'wte',
  });
  const e = toEmbeddingSettings(s);
  assert.deepEqual(e.tokenizer, { kind: 'model', path: '/models/Llama-3.2-1B' });
  assert.deepEqual(e.weights, { kind: 'model', path: '/models/Llama-3.2-1B' });
  assert.deepEqual(tokenizeOptionsOf(s).tokenizer, e.tokenizer);
});

test('~/ expands in all three paths', () => {
  setHomeDir('/home/ada');
  try {
    const s = settingsOf({ tokenizerPath: '~/tok/tokenizer.json', weightsPath: '~/w.safetensors' });
    assert.deepEqual(toEmbeddingSettings(s).tokenizer, { kind: 'tokenizer.json', path: '/home/ada/tok/tokenizer.json' });
    assert.deepEqual(toEmbeddingSettings(s).weights, { kind: 'file', path: '/home/ada/w.safetensors' });
    const m = settingsOf({ modelPath: '~/models/q.gguf' });
    assert.deepEqual(toEmbeddingSettings(m).weights, { kind: 'model', path: '/home/ada/models/q.gguf' });
  } finally {
    setHomeDir(undefined);
  }
  // Without a home directory (the web build) the path is passed on as written; the engine reports it.
  assert.deepEqual(tokenizerSourceOf(settingsOf({ tokenizerPath: '~/t.json' })), { kind: 'tokenizer.json', path: '~/t.json' });
});

test('invalid tokenizer and model paths fall back to none and are reported', () => {
  for (const bad of ['tokenizer.json', './models/llama', 'relative\\tokenizer.json', 7, true, ['/a'], '/a\0b', `/${'x'.repeat(4096)}`]) {
    const { settings, problems } = validateSettings(from({ tokenizerPath: bad, modelPath: bad }));
    assert.equal(settings.tokenizerPath, '', JSON.stringify(bad));
    assert.equal(settings.modelPath, '', JSON.stringify(bad));
    assert.deepEqual(
      problems.map((p) => p.setting),
      ['tokenEmbeddings.tokenizerPath', 'tokenEmbeddings.modelPath'],
    );
    assert.match(problems[0]!.message, /is not an absolute path to a tokenizer\.json, a folder holding one, or a \.gguf file/);
    assert.match(problems[1]!.message, /is not an absolute path to a Hugging Face model folder or a \.gguf file/);
    // The views then use the encoding and the random init.
    assert.deepEqual(toEmbeddingSettings(settings).tokenizer, { kind: 'encoding', encoding: 'gpt2' });
  }
  assert.equal(settingsOf({ tokenizerPath: '   ' }).tokenizerPath, '');
  assert.equal(settingsOf({ modelPath: 'vscode-vfs://github/org/repo/model.gguf' }).modelPath, 'vscode-vfs://github/org/repo/model.gguf');
});

test('closing a model keeps its tokenizer: the model becomes the tokenizer path', () => {
  assert.deepEqual(keepModelTokenizer(DEFAULT_SETTINGS), {});
  const open = { ...DEFAULT_SETTINGS, modelPath: '/m/q.gguf', tokenizerPath: '/old/tokenizer.json' };
  const closed = { ...open, ...keepModelTokenizer(open) };
  assert.deepEqual(closed.modelPath, '');
  assert.deepEqual(tokenizerSourceOf(closed), tokenizerSourceOf(open));
  const folder = { ...DEFAULT_SETTINGS, modelPath: '/m/Llama-3.2-1B' };
  assert.deepEqual(tokenizerSourceOf({ ...folder, ...keepModelTokenizer(folder) }), { kind: 'tokenizer.json', path: '/m/Llama-3.2-1B' });
  assert.deepEqual(weightsSourceOf({ ...folder, ...keepModelTokenizer(folder) }), { kind: 'random', seed: '123' });
});

test('package.json declares tokenizerPath and modelPath machine-scoped, restricted, and hides Open Model where models cannot be read', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; scope?: string; type: string }>;
  for (const key of ['tokenizerPath', 'modelPath'] as const) {
    const id = `${SECTION}.${SETTING_KEYS[key]}`;
    assert.equal(props[id]?.type, 'string', id);
    assert.equal(props[id]!.default, DEFAULT_SETTINGS[key], id);
    assert.equal(props[id]!.scope, 'machine', id);
  }
  assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [
    'tokenEmbeddings.modelPath',
    'tokenEmbeddings.tokenizerPath',
    'tokenEmbeddings.weightsPath',
  ]);
  const commands = new Map((pkg.contributes.commands as { command: string; title: string }[]).map((c) => [c.command, c.title]));
  assert.equal(commands.get('tokenEmbeddings.selectTokenizer'), 'Select Tokenizer…');
  assert.equal(commands.get('tokenEmbeddings.openModel'), 'Open Model…');
  const palette = pkg.contributes.menus.commandPalette as { command: string; when: string }[];
  // The host sets this context key: true in the Node extension host (desktop, and browser workbenches such as
  // code-server with a Node extension host), false in the browser extension host (vscode.dev).
  assert.equal(palette.find((m) => m.command === 'tokenEmbeddings.openModel')?.when, 'tokenEmbeddings.canOpenModels');
  const explorer = pkg.contributes.menus['explorer/context'] as { command: string; when: string }[];
  assert.match(explorer.find((m) => m.command === 'tokenEmbeddings.openModel')!.when, /^resourceExtname == \.gguf && tokenEmbeddings\.canOpenModels$/);
});

test('Select Tokenizer… lists the encodings, recent paths and the ways to open one; the current one is marked', () => {
  const labels = (items: ReturnType<typeof tokenizerItems>) =>
    items.map((i) => `${i.separator ? '—' : ''}${i.label}${i.description?.startsWith('current') ? ' *' : ''}`);
  assert.deepEqual(labels(tokenizerItems(DEFAULT_SETTINGS, [], 'desktop')), [
    '—Built-in encodings',
    'gpt2 *',
    'r50k_base',
    'p50k_base',
    'cl100k_base',
    'o200k_base',
    '—Open',
    '$(file) Open tokenizer.json or .gguf file…',
    '$(folder-opened) Open model folder…',
  ]);
  // The web engine reads whole single files: a tokenizer.json, no folders and no .gguf there.
  assert.deepEqual(labels(tokenizerItems(DEFAULT_SETTINGS, [], 'web')).slice(-2), ['—Open', '$(file) Open tokenizer.json file…']);
  const s = { ...DEFAULT_SETTINGS, tokenizerPath: '/m/llama3/tokenizer.json' };
  const items = tokenizerItems(s, ['/m/q.gguf', '/m/llama3/tokenizer.json'], 'desktop');
  assert.deepEqual(labels(items).slice(0, 10), [
    '—Built-in encodings',
    'gpt2',
    'r50k_base',
    'p50k_base',
    'cl100k_base',
    'o200k_base',
    '—Recently used',
    'q.gguf',
    'llama3 *',
    '—Open',
  ]);
  assert.deepEqual(items[7]!.action, { kind: 'path', path: '/m/q.gguf' });
  assert.match(items[7]!.detail!, /tokenizer inside this \.gguf/);
  // A current path missing from the remembered list (set by hand) is listed too.
  assert.deepEqual(labels(tokenizerItems({ ...DEFAULT_SETTINGS, tokenizerPath: '/hand/tokenizer.json' }, [], 'web')).slice(-4, -2), [
    '—Recently used',
    'hand *',
  ]);
  // With a model open its own tokenizer comes first, marked current; no encoding is.
  const withModel = tokenizerItems({ ...DEFAULT_SETTINGS, modelPath: '/m/Llama-3.2-1B' }, [], 'desktop');
  assert.equal(labels(withModel)[0], 'Llama-3.2-1B (the open model’s own tokenizer) *');
  assert.match(withModel[0]!.detail!, /closes the model/);
  assert.equal(labels(withModel).filter((l) => l.endsWith('*')).length, 1);
});

test('each tokenizer choice writes one change: an encoding or a path, closing an open model', () => {
  assert.deepEqual(tokenizerChange({ kind: 'encoding', encoding: 'o200k_base' }), { encoding: 'o200k_base', tokenizerPath: '', modelPath: '' });
  assert.deepEqual(tokenizerChange({ kind: 'path', path: '/t/tokenizer.json' }), { tokenizerPath: '/t/tokenizer.json', modelPath: '' });
  assert.equal(tokenizerChange({ kind: 'keep' }), undefined);
  assert.equal(tokenizerChange({ kind: 'openFile' }), undefined);
  const afterEncoding = { ...DEFAULT_SETTINGS, modelPath: '/m/x.gguf', tokenizerPath: '/t', ...tokenizerChange({ kind: 'encoding', encoding: 'cl100k_base' }) };
  assert.deepEqual(toEmbeddingSettings(afterEncoding).tokenizer, { kind: 'encoding', encoding: 'cl100k_base' });
});

test('Open Model… lists recent models (the open one marked) and a folder or a .gguf; a model replaces a weights file', () => {
  const items = modelItems({ ...DEFAULT_SETTINGS, modelPath: '/m/q.gguf' }, ['/m/Llama-3.2-1B']);
  assert.deepEqual(
    items.map((i) => [i.label, i.description ?? '', i.action?.kind ?? '-']),
    [
      ['Recently opened', '', '-'],
      ['q.gguf', 'current · /m/q.gguf', 'path'],
      ['Llama-3.2-1B', '/m/Llama-3.2-1B', 'path'],
      ['Open', '', '-'],
      ['$(folder-opened) Open Hugging Face model folder…', '', 'openFolder'],
      ['$(file) Open .gguf file…', '', 'openFile'],
    ],
  );
  assert.equal(items[1]!.detail, 'GGUF file');
  assert.equal(items[2]!.detail, 'Hugging Face model folder');
  assert.deepEqual(modelChange('/m/q.gguf'), { modelPath: '/m/q.gguf', weightsPath: '', tokenTensor: '', positionTensor: '' });
});

test('names: Hugging Face cache repositories, tokenizer.json folders, files; recents most recent first', () => {
  assert.equal(pathName('/home/a/.cache/huggingface/hub/models--meta-llama--Llama-3.2-1B/snapshots/4e20de3/tokenizer.json'), 'meta-llama/Llama-3.2-1B');
  assert.equal(pathName('C:\\hub\\models--Qwen--Qwen3-0.6B'), 'Qwen/Qwen3-0.6B');
  assert.equal(pathName('/m/llama3/tokenizer.json'), 'llama3');
  assert.equal(pathName('/m/Llama-3.2-1B/'), 'Llama-3.2-1B');
  assert.equal(pathName('/m/qwen3-q8_0.gguf'), 'qwen3-q8_0.gguf');
  assert.equal(tokenizerName({ kind: 'encoding', encoding: 'o200k_base' }), 'o200k_base');
  assert.equal(tokenizerName({ kind: 'model', path: '/m/q.gguf' }), 'q.gguf');
  assert.equal(tablesName({ kind: 'random', seed: '7' }), 'the random init (seed 7)');
  assert.equal(tablesName({ kind: 'file', path: '/w/tiny-gpt2.safetensors', tokenTensor: 'wte' }), 'tiny-gpt2.safetensors');
  assert.equal(describeSources(settingsOf({ weightsPath: '/w/tiny-gpt2.safetensors' })), 'tiny-gpt2.safetensors with tokenizer gpt2');
  assert.equal(describeSources(settingsOf({ tokenizerPath: '/m/llama3/tokenizer.json' })), 'the random init (seed 123) with tokenizer llama3');
  assert.equal(describeSources(settingsOf({ modelPath: '/m/Llama-3.2-1B', weightsPath: '/w/x.safetensors' })), 'model Llama-3.2-1B');
  assert.deepEqual(remember(['/a', '/b', '/c'], '/b'), ['/b', '/a', '/c']);
  assert.deepEqual(remember(['/a', '/b'], '/c', 2), ['/c', '/a']);
});
