// "Apply to Settings": which user settings the panel's own control changes stand for (src/host/panelChanges.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeApplied, differsFromSettings, settingsToApply } from '../../src/host/panelChanges';
import { DEFAULT_SETTINGS } from '../../src/host/settings';

test('the panel’s changes become the user settings they stand for, named as the settings name them', () => {
  const values = settingsToApply(
    {
      overrides: {
        dim: 64,
        contextLength: 8,
        allowSpecial: true,
        positional: 'sinusoidal',
        tokenizer: { kind: 'encoding', encoding: 'cl100k_base' },
        stride: 2,
        batchSize: 3,
      },
      seed: '7',
    },
    DEFAULT_SETTINGS,
  );
  assert.deepEqual(values, {
    dim: 64,
    contextLength: 8,
    allowSpecialTokens: true,
    positional: 'sinusoidal',
    encoding: 'cl100k_base',
    stride: 2,
    batchSize: 3,
    seed: '7',
  });
  assert.equal(
    describeApplied({ dim: 64, seed: '7', allowSpecialTokens: true }),
    'tokenEmbeddings.dim = 64, tokenEmbeddings.seed = 7, tokenEmbeddings.allowSpecialTokens = true',
  );
});

test('values the settings already hold are not written again; no changes means nothing to apply', () => {
  const user = { ...DEFAULT_SETTINGS, dim: 64, seed: '7' };
  assert.deepEqual(settingsToApply({ overrides: { dim: 64, stride: 2 }, seed: '7' }, user), { stride: 2 });
  assert.deepEqual(settingsToApply({ overrides: {}, seed: undefined }, DEFAULT_SETTINGS), {});
});

test('a panel encoding applied over a tokenizer or model path clears the path (the encoding is then the active tokenizer)', () => {
  const user = { ...DEFAULT_SETTINGS, tokenizerPath: '/t/llama3/tokenizer.json', modelPath: '/m/q.gguf' };
  assert.deepEqual(settingsToApply({ overrides: { tokenizer: { kind: 'encoding', encoding: 'gpt2' } }, seed: undefined }, user), {
    tokenizerPath: '',
    modelPath: '',
  });
});

test('the panel says it differs from the settings only when a change of its own is not what the settings hold', () => {
  assert.equal(differsFromSettings({ overrides: {}, seed: undefined }, DEFAULT_SETTINGS), false);
  assert.equal(differsFromSettings({ overrides: { dim: 64 }, seed: undefined }, DEFAULT_SETTINGS), true);
  assert.equal(differsFromSettings({ overrides: {}, seed: '7' }, DEFAULT_SETTINGS), true);
  // Changed in the panel and back again, or since written to the settings: nothing differs.
  assert.equal(differsFromSettings({ overrides: { dim: 256 }, seed: '123' }, DEFAULT_SETTINGS), false);
  assert.equal(differsFromSettings({ overrides: { dim: 64 }, seed: undefined }, { ...DEFAULT_SETTINGS, dim: 64 }), false);
  // The panel's gpt2 over a tokenizer path set in the settings differs.
  assert.equal(
    differsFromSettings(
      { overrides: { tokenizer: { kind: 'encoding', encoding: 'gpt2' } }, seed: undefined },
      { ...DEFAULT_SETTINGS, tokenizerPath: '/m/tokenizer.json' },
    ),
    true,
  );
});
