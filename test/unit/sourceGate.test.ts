/**
 * The settings gate (src/host/sourceGate.ts): a tokenizer, weights file or model named in the settings reaches the
 * views only once it has loaded; until then, and after a refusal or a cancel, they keep the previous source, while
 * every other setting applies at once. The loader here is the boundary the host fills with the engine worker and
 * the progress notification (e2e: test/e2e/sourceProgress.test.ts); these tests hold each load open and decide it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type HostSettings } from '../../src/host/settings';
import { SourceGate } from '../../src/host/sourceGate';
import { changedSource } from '../../src/host/sourceNames';

interface PendingLoad {
  next: HostSettings;
  previous: HostSettings;
  signal: AbortSignal;
  finish(ok: boolean): Promise<void>;
}

/** A gate whose loads wait for the test; `announced` lists what the views were told, in order. */
function gateOf(configured: HostSettings) {
  const loads: PendingLoad[] = [];
  const announced: HostSettings[] = [];
  const gate = new SourceGate(
    configured,
    (next, previous, signal) =>
      new Promise<boolean>((resolve) => {
        loads.push({
          next,
          previous,
          signal,
          finish: async (ok) => {
            resolve(ok);
            // Let the gate's continuation run.
            for (let i = 0; i < 5; i++) await Promise.resolve();
          },
        });
      }),
    (s) => announced.push(s),
  );
  return { gate, loads, announced };
}

/** Lets the gate start a load it scheduled. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

const gemma: HostSettings = { ...DEFAULT_SETTINGS, tokenizerPath: '/m/gemma3/tokenizer.json' };
const broken: HostSettings = { ...DEFAULT_SETTINGS, tokenizerPath: '/m/broken/tokenizer.json' };

test('built-in sources at start-up: used at once, nothing loaded', async () => {
  const { gate, loads, announced } = gateOf({ ...DEFAULT_SETTINGS, encoding: 'cl100k_base', dim: 64 });
  await settle();
  assert.equal(gate.settings.encoding, 'cl100k_base');
  assert.equal(gate.settings.dim, 64);
  assert.equal(loads.length, 0);
  assert.deepEqual(announced, []);
});

test('a tokenizer configured at start-up: the built-in encoding until it has loaded, then the tokenizer', async () => {
  const { gate, loads, announced } = gateOf({ ...gemma, dim: 64 });
  await settle();
  assert.equal(gate.settings.tokenizerPath, '', 'the views start on the built-in encoding');
  assert.equal(gate.settings.dim, 64, 'other settings apply at once');
  assert.equal(loads.length, 1);
  assert.equal(loads[0]!.next.tokenizerPath, gemma.tokenizerPath);
  assert.equal(loads[0]!.previous.tokenizerPath, '');
  await loads[0]!.finish(true);
  assert.equal(gate.settings.tokenizerPath, gemma.tokenizerPath);
  assert.deepEqual(
    announced.map((s) => s.tokenizerPath),
    [gemma.tokenizerPath],
  );
});

test('a refused source keeps the previous one; other settings still apply; it is not loaded again until the source settings change', async () => {
  const { gate, loads, announced } = gateOf(gemma);
  await settle();
  await loads[0]!.finish(true);
  gate.update(broken);
  await settle();
  assert.equal(loads.length, 2);
  assert.equal(loads[1]!.previous.tokenizerPath, gemma.tokenizerPath, 'the messages name the tokenizer kept');
  assert.equal(gate.settings.tokenizerPath, gemma.tokenizerPath, 'while it loads, the views keep Gemma');
  await loads[1]!.finish(false);
  assert.equal(gate.settings.tokenizerPath, gemma.tokenizerPath, 'refused: Gemma stays');

  gate.update({ ...broken, seed: '7' });
  await settle();
  assert.equal(loads.length, 2, 'the refused file is not tried again for an unrelated change');
  assert.equal(gate.settings.seed, '7');
  assert.equal(gate.settings.tokenizerPath, gemma.tokenizerPath);
  assert.deepEqual(
    announced.map((s) => [s.tokenizerPath, s.seed]),
    [
      [gemma.tokenizerPath, '123'],
      [gemma.tokenizerPath, '7'],
    ],
  );

  const fixed = { ...DEFAULT_SETTINGS, seed: '7', tokenizerPath: '/m/fixed/tokenizer.json' };
  gate.update(fixed);
  await settle();
  assert.equal(loads.length, 3, 'another path is loaded');
  await loads[2]!.finish(true);
  assert.deepEqual(gate.settings, fixed);
});

test('a newer change supersedes a load (its signal aborts, its answer is ignored); going back to the source in use loads nothing', async () => {
  const { gate, loads } = gateOf(DEFAULT_SETTINGS);
  gate.update(gemma);
  await settle();
  gate.update(broken);
  await settle();
  assert.equal(loads.length, 2);
  assert.equal(loads[0]!.signal.aborted, true);
  await loads[0]!.finish(true);
  assert.equal(gate.settings.tokenizerPath, '', 'the superseded load does not switch the views');
  gate.update(DEFAULT_SETTINGS);
  await settle();
  assert.equal(loads[1]!.signal.aborted, true, 'back to the source in use: the pending load stops');
  await loads[1]!.finish(true);
  assert.deepEqual(gate.settings, DEFAULT_SETTINGS);
  assert.equal(loads.length, 2);
});

test('settings whose sources the caller has loaded (a checked switch) are used at once, stopping a pending load', async () => {
  const { gate, loads } = gateOf(broken);
  await settle();
  assert.equal(loads.length, 1);
  gate.update(gemma, gemma);
  assert.equal(gate.settings.tokenizerPath, gemma.tokenizerPath);
  assert.equal(loads[0]!.signal.aborted, true);
  // Loaded settings that are not what the settings now say: the gate loads what they say.
  gate.update(broken, gemma);
  await settle();
  assert.equal(loads.length, 2);
  assert.equal(gate.settings.tokenizerPath, gemma.tokenizerPath);
});

test('messages name what changed and the setting that names it', () => {
  assert.deepEqual(changedSource(DEFAULT_SETTINGS, gemma), { name: 'tokenizer gemma3', setting: 'tokenizerPath' });
  assert.deepEqual(changedSource(gemma, DEFAULT_SETTINGS), { name: 'tokenizer gpt2', setting: 'encoding' });
  assert.deepEqual(changedSource(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, modelPath: '/m/Llama-3.2-1B' }), {
    name: 'model Llama-3.2-1B',
    setting: 'modelPath',
  });
  assert.deepEqual(changedSource(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, weightsPath: '/w/tiny.safetensors' }), {
    name: 'weights tiny.safetensors',
    setting: 'weightsPath',
  });
  assert.deepEqual(changedSource(DEFAULT_SETTINGS, { ...gemma, weightsPath: '/w/tiny.safetensors' }), {
    name: 'tiny.safetensors with tokenizer gemma3',
    setting: 'tokenizerPath',
  });
});

test('settled() waits for a pending load, whatever its outcome', async () => {
  const { gate, loads } = gateOf(gemma);
  await settle();
  let settled = false;
  const waiting = gate.settled().then(() => (settled = true));
  await settle();
  assert.equal(settled, false, 'Gemma is still loading');
  await loads[0]!.finish(false);
  await waiting;
  assert.equal(gate.settings.tokenizerPath, '', 'refused: the built-in encoding stays');
  await gate.settled(); // nothing loading: at once
});
