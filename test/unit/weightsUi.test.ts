/** Weights UI: the new settings, the new webview ⇄ host messages, the hover's neighbours line, the tensor pick order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  SECTION,
  SETTING_KEYS,
  setHomeDir,
  tensorName,
  toEmbeddingSettings,
  validateSettings,
  weightsPathValue,
} from '../../src/host/settings';
import { parseWebviewMessage } from '../../src/host/webviewMessages';
import { renderNeighborsLine } from '../../src/host/hoverNeighbors';
import { candidatesFor } from '../../src/host/weightsChoice';
import { InvalidMessage } from '../../webview/shared/messages';
import { REPLY_PARSERS } from '../../webview/shared/replies';
import type { TensorsResult } from '../../src/shared/engineProtocol';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

test('weights settings default to the random init and no hover scan', () => {
  const { settings } = validateSettings(from({}));
  assert.equal(settings.weightsPath, '');
  assert.equal(settings.hoverNeighbors, false);
  assert.deepEqual(toEmbeddingSettings(settings).weights, { kind: 'random', seed: '123' });
});

test('a weights path makes every view use the file, with tensor names only when set', () => {
  const { settings, problems } = validateSettings(
    from({ weightsPath: ' /models/gpt2/model.safetensors ', 'weights.tokenTensor': 'wte.weight', 'weights.positionTensor': '', 'hover.neighbors': true }),
  );
  assert.deepEqual(problems, []);
  assert.equal(settings.hoverNeighbors, true);
  assert.deepEqual(toEmbeddingSettings(settings).weights, { kind: 'file', path: '/models/gpt2/model.safetensors', tokenTensor: 'wte.weight' });
  const both = validateSettings(from({ weightsPath: 'C:\\m\\model.safetensors', 'weights.tokenTensor': 'a', 'weights.positionTensor': 'b' })).settings;
  assert.deepEqual(toEmbeddingSettings(both).weights, { kind: 'file', path: 'C:\\m\\model.safetensors', tokenTensor: 'a', positionTensor: 'b' });
});

test('~/ in the weights path expands to the home directory the host set', () => {
  setHomeDir('/home/ada/');
  try {
    const { settings } = validateSettings(from({ weightsPath: '~/gpt2/model.safetensors' }));
    assert.deepEqual(toEmbeddingSettings(settings).weights, { kind: 'file', path: '/home/ada/gpt2/model.safetensors' });
  } finally {
    setHomeDir(undefined);
  }
});

test('invalid weights settings fall back to the random init and are reported', () => {
  for (const bad of ['model.safetensors', 'relative/model.safetensors', '/m/model.bin', 42, ['/a.safetensors'], '/a\0.safetensors']) {
    const { settings, problems } = validateSettings(from({ weightsPath: bad }));
    assert.equal(settings.weightsPath, '', JSON.stringify(bad));
    assert.equal(problems.length, 1, JSON.stringify(bad));
    assert.equal(problems[0]!.setting, 'tokenEmbeddings.weightsPath');
    assert.match(problems[0]!.message, /absolute path to a \.safetensors file/);
  }
  assert.equal(weightsPathValue('  '), '');
  assert.equal(weightsPathValue('/x/Y.SafeTensors'), '/x/Y.SafeTensors');
  assert.equal(tensorName('  wte  '), 'wte');
  assert.equal(tensorName('a\nb'), undefined);
  assert.equal(tensorName('x'.repeat(1025)), undefined);
  const { settings, problems } = validateSettings(from({ 'weights.tokenTensor': 7, 'hover.neighbors': 'yes' }));
  assert.equal(settings.tokenTensor, '');
  assert.equal(settings.hoverNeighbors, false);
  assert.deepEqual(
    problems.map((p) => p.setting),
    ['tokenEmbeddings.weights.tokenTensor', 'tokenEmbeddings.hover.neighbors'],
  );
});

test('package.json declares every setting, weightsPath machine-scoped and restricted in untrusted workspaces', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; scope?: string }>;
  for (const [key, setting] of Object.entries(SETTING_KEYS)) {
    const id = `${SECTION}.${setting}`;
    assert.ok(props[id], `${id} declared`);
    assert.deepEqual(props[id]!.default, DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS], `${id} default`);
  }
  assert.equal(props['tokenEmbeddings.weightsPath']!.scope, 'machine');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('tokenEmbeddings.weightsPath'));
  const commands = (pkg.contributes.commands as { command: string }[]).map((c) => c.command);
  assert.ok(commands.includes('tokenEmbeddings.loadWeights') && commands.includes('tokenEmbeddings.useRandomInit'));
});

test('useRandomInit and loadWeights carry no fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'useRandomInit' }), { ok: true, message: { type: 'useRandomInit' } });
  assert.deepEqual(parseWebviewMessage({ type: 'loadWeights' }), { ok: true, message: { type: 'loadWeights' } });
  const r = parseWebviewMessage({ type: 'loadWeights', path: '/etc/passwd' });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /loadWeights: unexpected field\(s\) path/);
});

test('the webview checks the nearest-tokens reply field by field', () => {
  const good = {
    neighbors: [
      { id: 7, score: 0.5, text: ' the', padding: false },
      { id: 9, score: -0.25, text: null, padding: true },
    ],
  };
  assert.deepEqual(REPLY_PARSERS.neighbors(good), good);
  assert.deepEqual(REPLY_PARSERS.neighbors({ neighbors: [] }), { neighbors: [] });
  assert.throws(() => REPLY_PARSERS.neighbors({ neighbors: [{ id: -1, score: 0.1, text: 'x' }] }), InvalidMessage);
  assert.throws(() => REPLY_PARSERS.neighbors({ neighbors: [{ id: 1, score: 'high', text: 'x' }] }), InvalidMessage);
  assert.throws(() => REPLY_PARSERS.neighbors({ neighbors: [{ id: 1, score: Infinity, text: 'x' }] }), InvalidMessage);
  assert.throws(() => REPLY_PARSERS.neighbors({ neighbors: 'none' }), InvalidMessage);
  assert.throws(() => REPLY_PARSERS.neighbors({ neighbors: [{ id: 1, score: 0.1, text: 'x' }] }), /neighbors\[0\]\.padding/);
});

test('the hover line shows escaped token text and 3-decimal scores', () => {
  assert.equal(
    renderNeighborsLine([
      { id: 262, score: 0.81234, text: ' the', padding: false },
      { id: 9, score: -0.1, text: '*', padding: false },
      { id: 50256, score: 0, text: null, padding: false },
    ]),
    'nearest: “␣the” 0.812 · “\\*” -0.100 · id 50256 0.000',
  );
  assert.equal(renderNeighborsLine([]), 'nearest: (no other tokens)');
});

test('the tensor pick lists readable tensors, those named for the role first', () => {
  const tensors: TensorsResult = {
    path: '/m.safetensors',
    metadata: {},
    detected: { tokenTensor: null, positionTensor: null },
    candidates: [
      { name: 'lm_head', dtype: 'F32', rows: 50257, cols: 8, readable: true, role: null },
      { name: 'q', dtype: 'I8', rows: 50257, cols: 8, readable: false, role: null },
      { name: 'pos', dtype: 'F16', rows: 16, cols: 8, readable: true, role: 'position' },
      { name: 'tok', dtype: 'BF16', rows: 50257, cols: 8, readable: true, role: 'token' },
    ],
  };
  assert.deepEqual(
    candidatesFor(tensors, 'token').map((c) => c.name),
    ['tok', 'lm_head', 'pos'],
  );
  assert.deepEqual(
    candidatesFor(tensors, 'position').map((c) => c.name),
    ['pos', 'lm_head', 'tok'],
  );
});
