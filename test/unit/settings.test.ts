import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, normalizeSeed, problemsKey, settingsWarning, toEmbeddingSettings, validateSettings } from '../../src/host/settings';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

test('unset settings take the book defaults silently', () => {
  const { settings, problems } = validateSettings(from({}));
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.equal(problems.length, 0);
  assert.equal(settingsWarning(problems), undefined);
});

test('valid values are used as given', () => {
  const { settings, problems } = validateSettings(
    from({
      encoding: 'cl100k_base',
      dim: 768,
      seed: '18446744073709551615',
      contextLength: 1024,
      stride: 2,
      batchSize: 1,
      positional: 'sinusoidal',
      'hover.enabled': false,
      maxTokens: 100,
      allowSpecialTokens: true,
    }),
  );
  assert.deepEqual(problems, []);
  assert.equal(settings.encoding, 'cl100k_base');
  assert.equal(settings.dim, 768);
  assert.equal(settings.seed, '18446744073709551615');
  assert.equal(settings.contextLength, 1024);
  assert.equal(settings.stride, 2);
  assert.equal(settings.batchSize, 1);
  assert.equal(settings.positional, 'sinusoidal');
  assert.equal(settings.hoverEnabled, false);
  assert.equal(settings.maxTokens, 100);
  assert.equal(settings.allowSpecialTokens, true);
});

test('each invalid value falls back to its own default and is reported', () => {
  const { settings, problems } = validateSettings(
    from({
      encoding: 'gpt5',
      dim: 0,
      seed: '18446744073709551616',
      contextLength: 2.5,
      stride: -1,
      positional: 'rope',
      'hover.enabled': 'yes',
      maxTokens: 1e9,
      batchSize: '8',
    }),
  );
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.deepEqual(
    problems.map((p) => p.setting),
    [
      'tokenEmbeddings.encoding',
      'tokenEmbeddings.dim',
      'tokenEmbeddings.seed',
      'tokenEmbeddings.contextLength',
      'tokenEmbeddings.stride',
      'tokenEmbeddings.batchSize',
      'tokenEmbeddings.positional',
      'tokenEmbeddings.hover.enabled',
      'tokenEmbeddings.maxTokens',
    ],
  );
  assert.match(problems[1].message, /^0 is not an integer from 1 to 4096; using 256$/);
});

test('a positional table too large for one message falls back to the default context length', () => {
  const { settings, problems } = validateSettings(from({ dim: 4096, contextLength: 8192 }));
  assert.equal(settings.dim, 4096);
  assert.equal(settings.contextLength, 4);
  assert.deepEqual(
    problems.map((p) => p.setting),
    ['tokenEmbeddings.contextLength'],
  );
  assert.equal(validateSettings(from({ dim: 4096, contextLength: 4096 })).problems.length, 0);
});

test('one warning names every problem', () => {
  const { problems } = validateSettings(from({ dim: 'big', seed: 'abc' }));
  const warning = settingsWarning(problems)!;
  assert.match(warning, /2 invalid settings were replaced by defaults/);
  assert.match(warning, /tokenEmbeddings\.dim: "big" is not an integer/);
  assert.match(warning, /tokenEmbeddings\.seed: "abc" is not a decimal integer/);
  assert.equal(problemsKey(problems), problemsKey(validateSettings(from({ dim: 'big', seed: 'abc' })).problems));
  assert.notEqual(problemsKey(problems), problemsKey(validateSettings(from({ dim: 'big' })).problems));
});

test('seeds: decimal strings up to 2^64−1, canonicalised; exact JSON numbers accepted', () => {
  assert.equal(normalizeSeed('0'), '0');
  assert.equal(normalizeSeed(' 007 '), '7');
  assert.equal(normalizeSeed('18446744073709551615'), '18446744073709551615');
  assert.equal(normalizeSeed('18446744073709551616'), undefined);
  assert.equal(normalizeSeed('-1'), undefined);
  assert.equal(normalizeSeed('1e3'), undefined);
  assert.equal(normalizeSeed('0x10'), undefined);
  assert.equal(normalizeSeed(''), undefined);
  assert.equal(normalizeSeed(123), '123');
  assert.equal(normalizeSeed(2 ** 53), undefined); // not exact any more
  assert.equal(normalizeSeed(1.5), undefined);
});

test('engine settings carry the seed as random weights', () => {
  const e = toEmbeddingSettings({ ...DEFAULT_SETTINGS, allowSpecialTokens: true });
  assert.deepEqual(e, {
    tokenizer: { kind: 'encoding', encoding: 'gpt2' },
    allowSpecial: true,
    dim: 256,
    contextLength: 4,
    stride: 4,
    batchSize: 8,
    positional: 'learned',
    weights: { kind: 'random', seed: '123' },
  });
});
