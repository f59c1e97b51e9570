// The panel's parsing of `state` (webview/shared/messages.ts) against what the real EngineService sends:
// every field survives, structured-cloned or JSON round-tripped, and a missing or malformed field is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../../src/engine/service';
import type { EmbeddingSettings } from '../../../src/shared/embeddingTypes';
import type { InspectResult } from '../../../src/shared/engineProtocol';
import { toViewResult, type PanelState } from '../../../src/shared/webviewProtocol';
import { parseHostMessage, parseInspectResult, parsePanelState } from '../../../webview/shared/messages';
import { REPLY_PARSERS } from '../../../webview/shared/replies';
import { InvalidMessage, num, toInt32 } from '../../../webview/shared/validate';
import { countingDependencies } from '../../support/reference';

const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 6,
  contextLength: 4,
  stride: 2,
  batchSize: 3,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};
const TEXT = 'to be or not to be, that is the question';

async function realResult(): Promise<InspectResult> {
  return new EngineService(countingDependencies()).inspect({ text: TEXT, settings, firstToken: 2, maxTokens: 5 });
}

/** Every key path of a value (typed arrays are leaves), to prove the comparison covers all of them. */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return [prefix];
  return Object.entries(v).flatMap(([k, x]) => keyPaths(x, prefix ? `${prefix}.${k}` : k));
}

test("parseInspectResult keeps every field a view gets; the engine's firstBatch never travels to the webviews", async () => {
  const engine = await realResult();
  assert.ok(engine.firstBatch, 'the engine sends the first batch');
  // What the host posts (src/host/inspection.ts builds every view state with toViewResult).
  const result = toViewResult(engine);
  assert.ok(!('firstBatch' in result), 'no firstBatch in a view state');
  const { firstBatch: _kept, ...rest } = engine;
  assert.deepEqual(result, rest, 'everything else is the engine result itself');
  assert.deepEqual(parseInspectResult(structuredClone(result)), result);
  // A JSON round trip turns typed arrays into `{ "0": … }` objects: same numbers, same typed-array kinds.
  const json = parseInspectResult(JSON.parse(JSON.stringify(result)));
  assert.deepEqual(json, result);
  assert.ok(json.positions instanceof Int32Array && json.tokenEmbeddings instanceof Float32Array);
  assert.deepEqual(keyPaths(json).sort(), keyPaths(result).sort());
  // A firstBatch from an older host is not kept either.
  assert.ok(!('firstBatch' in parseInspectResult(structuredClone(engine))));
});

test('a state message keeps every field of the panel state', async () => {
  const state: PanelState = {
    documentUri: 'file:///a.txt',
    documentLabel: 'a.txt',
    textOffset: 9,
    textLength: TEXT.length,
    settings,
    result: toViewResult(await realResult()),
    selectedRow: 1,
  };
  assert.deepEqual(parseHostMessage({ type: 'state', state: structuredClone(state) }), { type: 'state', state });
  assert.deepEqual(parsePanelState(JSON.parse(JSON.stringify(state))), state);
});

test('a missing or malformed field is an error naming it, never a silent default', async () => {
  const result = await realResult();
  const without = (key: string) => {
    const copy = structuredClone(result) as unknown as Record<string, unknown>;
    delete copy[key];
    return copy;
  };
  for (const key of [
    'source',
    'positional',
    'totalTokens',
    'firstToken',
    'tokens',
    'positions',
    'dim',
    'contextLength',
    'tokenEmbeddings',
    'positionalEmbeddings',
    'combinedEmbeddings',
    'shapes',
  ]) {
    assert.throws(() => parseInspectResult(without(key)), InvalidMessage, key);
  }
  const noBytes = structuredClone(result);
  delete (noBytes.tokens[0] as Partial<(typeof noBytes.tokens)[0]>).bytes;
  assert.throws(() => parseInspectResult(noBytes), /tokens\[0\]\.bytes: expected an array/);
  const shortRows = structuredClone(result);
  shortRows.tokenEmbeddings = shortRows.tokenEmbeddings.subarray(1);
  assert.throws(() => parseInspectResult(shortRows), /tokenEmbeddings: expected 30 values/);
  const fractional = JSON.parse(JSON.stringify(result));
  fractional.positions[0] = 0.5;
  assert.throws(() => parseInspectResult(fractional), /positions: element 0 is not a 32-bit integer/);
  const state = { documentUri: null, textOffset: 0, textLength: TEXT.length, settings, result, selectedRow: null };
  assert.throws(() => parsePanelState(state), /documentLabel: expected a string/);
  assert.throws(
    () => parsePanelState({ ...state, documentLabel: '', settings: { ...settings, weights: { kind: 'url', seed: '1' } } }),
    /settings\.weights\.kind: expected one of random, file/,
  );
});

test('one num for every scalar: ±Infinity and NaN are refused; integer arrays refuse fractions', () => {
  for (const bad of [Infinity, -Infinity, NaN, '1', null]) assert.throws(() => num(bad, 'x'), /x: expected a finite number/);
  assert.equal(num(-0.25, 'x'), -0.25);
  assert.deepEqual(toInt32([1, -2], 2, 'v'), Int32Array.from([1, -2]));
  assert.throws(() => toInt32([1, 2 ** 31], 2, 'v'), /element 1 is not a 32-bit integer/);
  // The analysis replies use the same num: an infinite variance ratio is refused there too.
  const page = { firstToken: 0, count: 1, totalTokens: 1, capped: false };
  const projection = { kind: 'projection', page, tokenCoords: [0, 0], combinedCoords: [0, 0], explainedVarianceRatio: [Infinity, 0] };
  assert.throws(() => REPLY_PARSERS.analysis(projection), /explainedVarianceRatio\[0\]: expected a finite number/);
  const pairs = {
    kind: 'similarity',
    page: { ...page, count: 2, totalTokens: 2 },
    token: [1, 1, 1, 1],
    combined: [1, 1, 1, 1],
    repeated: [{ id: 5, indices: [0, 7] }],
    pairs: [],
  };
  assert.throws(() => REPLY_PARSERS.analysis(pairs), /repeated\[0\]\.indices: row 7 is outside the 2 analysed rows/);
});
