// The inspector panel after a window reload: what the panel's webview stores (webview/shared/persist.ts) is what
// the host's WebviewPanelSerializer reads back (src/host/panelRestore.ts), through JSON like VS Code keeps it;
// the host then inspects the same range with the same settings and gets the same page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../../src/engine/service';
import { parsePanelRestore, restoredOverrides } from '../../../src/host/panelRestore';
import type { EmbeddingSettings } from '../../../src/shared/embeddingTypes';
import type { PanelState } from '../../../src/shared/webviewProtocol';
import { MAX_PERSISTED_FLOATS, decodeStoredView, encodeStoredView } from '../../../webview/shared/persist';
import { countingDependencies } from '../../support/reference';

const DOCUMENT = 'Header line\nthe cat sat on the mat and the dog sat on the log\nfooter';
const user: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 8,
  contextLength: 4,
  stride: 4,
  batchSize: 2,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};

/** The panel showed a page of the middle line with settings changed in the panel (dim, positions, seed). */
async function shownState(): Promise<{ state: PanelState; service: EngineService }> {
  const service = new EngineService(countingDependencies());
  const textOffset = DOCUMENT.indexOf('the cat');
  const text = DOCUMENT.slice(textOffset, DOCUMENT.indexOf('\nfooter'));
  const settings: EmbeddingSettings = { ...user, dim: 6, positional: 'sinusoidal', weights: { kind: 'random', seed: '18446744073709551615' } };
  const result = await service.inspect({ text, settings, firstToken: 5, maxTokens: 5 });
  return {
    service,
    state: { documentUri: 'file:///work/notes.txt', documentLabel: 'notes.txt', textOffset, textLength: text.length, settings, result, selectedRow: 2 },
  };
}

test('a restored panel inspects the same range with the same settings and gets the same page', async () => {
  const { state, service } = await shownState();
  const stored: unknown = JSON.parse(JSON.stringify(encodeStoredView(state, 3)));
  const parsed = parsePanelRestore(stored);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const { restore, selectedRow } = parsed.message;
  assert.equal(selectedRow, 3, 'the selection the panel had last');
  assert.deepEqual(restore, { documentUri: 'file:///work/notes.txt', textOffset: 12, textLength: 49, settings: state.settings, firstToken: 5 });
  // The panel's own changes on top of today's user settings: exactly the fields that differ, and the seed.
  const { overrides, seed } = restoredOverrides(restore.settings, user);
  assert.deepEqual(overrides, { dim: 6, positional: 'sinusoidal' });
  assert.equal(seed, '18446744073709551615');
  // What InspectorPanel.effectiveSettings() makes of them, inspected again: the page the panel showed.
  const again = await service.inspect({
    text: DOCUMENT.slice(restore.textOffset, restore.textOffset + restore.textLength),
    settings: { ...user, ...overrides, weights: { kind: 'random', seed: seed! } },
    firstToken: restore.firstToken,
    maxTokens: 5,
  });
  assert.deepEqual(again, state.result);
});

test('the restore part is kept even when the vectors are too big to store', async () => {
  const { state } = await shownState();
  const huge: PanelState = {
    ...state,
    result: { ...state.result, tokenEmbeddings: new Float32Array(MAX_PERSISTED_FLOATS), combinedEmbeddings: new Float32Array(MAX_PERSISTED_FLOATS) },
  };
  const stored = JSON.parse(JSON.stringify(encodeStoredView(huge, null)));
  assert.equal(stored.state, null);
  const parsed = parsePanelRestore(stored);
  assert.ok(parsed.ok && parsed.message.restore.textLength === 49 && parsed.message.selectedRow === null);
});

test('a file-weights panel keeps the settings file; user settings changed since reload only what differs', () => {
  const shown: EmbeddingSettings = { ...user, weights: { kind: 'file', path: '/m/model.safetensors' } };
  assert.deepEqual(restoredOverrides(shown, user), { overrides: {}, seed: undefined });
  assert.deepEqual(restoredOverrides(user, { ...user, tokenizer: { kind: 'encoding', encoding: 'cl100k_base' }, contextLength: 16 }), {
    overrides: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, contextLength: 4 },
    seed: undefined,
  });
});

test('stored state that cannot be trusted or is from an older version is refused with the reason', async () => {
  const { state } = await shownState();
  const good = JSON.parse(JSON.stringify(encodeStoredView(state, 1)));
  const bad = (mutate: (s: { restore: Record<string, unknown>; selectedRow: unknown }) => void, pattern: RegExp) => {
    const copy = structuredClone(good);
    mutate(copy);
    const r = parsePanelRestore(copy);
    assert.ok(!r.ok, pattern.source);
    assert.match(r.error, pattern);
  };
  bad((s) => delete (s as Partial<typeof s>).restore, /nothing to restore/);
  bad((s) => (s.restore.documentUri = 42), /documentUri must be a URI/);
  bad((s) => (s.restore.textLength = -1), /textLength must be a non-negative integer/);
  bad((s) => ((s.restore.settings as Record<string, unknown>).dim = 1e9), /settings\.dim must be an integer/);
  bad((s) => ((s.restore.settings as Record<string, unknown>).tokenizer = { kind: 'encoding', encoding: 'llama' }), /tokenizer/);
  bad((s) => ((s.restore.settings as Record<string, unknown>).tokenizer = { kind: 'tokenizer.json', path: '/etc/x.json' }), /tokenizer/);
  bad((s) => delete (s.restore.settings as Record<string, unknown>).stride, /lacks stride/);
  bad(
    (s) => ((s.restore.settings as Record<string, unknown>).weights = { kind: 'random', seed: '18446744073709551616' }),
    /weights must be a random seed, a file or a model/,
  );
  bad((s) => (s.selectedRow = 'all'), /selectedRow/);
  assert.equal(parsePanelRestore(null).ok, false);
  // A panel that showed no document (e.g. a synthetic state) has nothing to restore.
  assert.equal(encodeStoredView({ ...state, documentUri: null }, 0).restore, null);
});

test('the "changed for this panel only" flag survives the stored state; a tokenizer file shown is never a panel override', async () => {
  const { state } = await shownState();
  const stored = JSON.parse(JSON.stringify(encodeStoredView({ ...state, panelOnly: true }, null)));
  assert.equal(decodeStoredView(stored)?.state?.panelOnly, true);
  assert.equal(decodeStoredView(JSON.parse(JSON.stringify(encodeStoredView(state, null))))?.state?.panelOnly, undefined);
  // The panel chooses built-in encodings only: a tokenizer.json it showed came from the settings (which may still be loading).
  const shown: EmbeddingSettings = { ...user, tokenizer: { kind: 'tokenizer.json', path: '/m/llama3/tokenizer.json' }, dim: 6 };
  assert.deepEqual(restoredOverrides(shown, user), { overrides: { dim: 6 }, seed: undefined });
});
