// The panel's pure pieces: the settings checks, the analysis summaries and the state store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../../src/engine/service';
import type { EmbeddingSettings } from '../../../src/shared/embeddingTypes';
import type { PanelState } from '../../../src/shared/webviewProtocol';
import { checkPositionalSize, checkPositiveInt, checkSeed } from '../../../webview/panel/controlValues';
import { LONGER_THAN_CONTEXT, describeWindowing } from '../../../webview/panel/analysis/positionsText';
import { offsetVerdict, pageNotice, projectionSummary } from '../../../webview/panel/analysis/summaries';
import { PanelStore } from '../../../webview/panel/store';
import type { ThemeColors } from '../../../webview/shared/themeColors';
import { countingDependencies } from '../../support/reference';

test('settings checks: whole numbers in range, seeds up to 2^64−1, a positional table that fits', () => {
  assert.deepEqual(checkPositiveInt(' 768 ', 'Dim', 4096), { ok: true, value: 768 });
  assert.deepEqual(checkPositiveInt('0', 'Dim', 4096), { ok: false, error: 'Dim must be a whole number from 1 to 4,096 (got “0”).' });
  for (const bad of ['1.5', '-3', '1e3', '', '4097']) assert.equal(checkPositiveInt(bad, 'Dim', 4096).ok, false, bad);
  assert.deepEqual(checkSeed('0018446744073709551615'), { ok: true, value: '18446744073709551615' });
  assert.deepEqual(checkSeed('18446744073709551616'), {
    ok: false,
    error: 'Seed must be a whole number from 0 to 18446744073709551615 (got “18446744073709551616”).',
  });
  assert.deepEqual(checkPositionalSize(4096, 4096), { ok: true, value: 4096 });
  assert.deepEqual(checkPositionalSize(4097, 4096), {
    ok: false,
    error: 'context × dim = 16,781,312 is more than 16,777,216 positional values; lower one of them.',
  });
  assert.deepEqual(checkPositionalSize(1_000_000, undefined), { ok: true, value: 1_000_000 });
});

const settings: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 16,
  contextLength: 8,
  stride: 8,
  batchSize: 2,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};
const inspect = { text: 'the cat sat on the mat and the dog sat on the log', settings, firstToken: 0, maxTokens: 100 };

test('summaries of real analysis results: page range, explained variance, offset verdicts', async () => {
  const service = new EngineService(countingDependencies());
  const projection = await service.analysis({ kind: 'projection', inspect });
  assert.equal(projection.kind, 'projection');
  if (projection.kind !== 'projection') return;
  assert.equal(pageNotice(projection.page), '13 tokens (tokens 0–12).');
  assert.equal(
    pageNotice({ firstToken: 256, count: 256, totalTokens: 1000, capped: true }),
    'Showing the first 256 tokens of this page (tokens 256–511); page on to see the rest.',
  );
  const [e1, e2] = projection.explainedVarianceRatio;
  assert.equal(
    projectionSummary(projection.page, projection.explainedVarianceRatio),
    `13 tokens (tokens 0–12). PC1 explains ${(e1 * 100).toFixed(1)}% and PC2 ${(e2 * 100).toFixed(1)}% of the variance.`,
  );
  const lab = await service.analysis({ kind: 'positionalLab', inspect });
  assert.equal(lab.kind, 'positionalLab');
  if (lab.kind !== 'positionalLab') return;
  const verdicts = Object.fromEntries(lab.series.map((s) => [s.scheme, offsetVerdict(s)]));
  // RoPE rotates q and k by their positions: q·k depends only on the offset. Additive schemes do not.
  assert.equal(verdicts.rope!.invariant, true);
  assert.match(verdicts.rope!.text, /^lines coincide \(largest spread \d\.\de-\d+\): the score depends only on the offset$/);
  assert.equal(verdicts.learned!.invariant, false);
  assert.equal(verdicts.sinusoidal!.invariant, false);
  assert.match(verdicts.learned!.text, /^lines differ by up to \d+\.\d{4}: the score depends on the absolute positions$/);
});

test("the positions tab words the engine's windowing numbers (the engine sends no prose)", async () => {
  const service = new EngineService(countingDependencies());
  const lab = await service.analysis({ kind: 'positionalLab', inspect });
  assert.equal(lab.kind, 'positionalLab');
  if (lab.kind !== 'positionalLab') return;
  // 13 tokens, windows of 8 moving by 8: create_dataloader_v1's range(0, 13 − 8, 8) = [0]; tokens 9…12 are left over.
  assert.deepEqual(lab.windowing, { totalTokens: 13, stride: 8, windows: 1, droppedTokens: 4 });
  for (const value of Object.values(lab)) assert.notEqual(typeof value === 'string' && value.length > 80, true, 'no sentence in the reply');
  assert.equal(
    describeWindowing(lab.windowing, lab.contextLength),
    '13 tokens > context length 8: the sliding-window loader makes 1 window of 8 tokens (stride 8); positions restart at 0 in each window, ' +
      'so token i of the text sits at slot i mod 8 when stride = context length. The last 4 tokens fill no complete input/target window and are dropped.',
  );
  assert.match(describeWindowing({ totalTokens: 3, stride: 4, windows: 0, droppedTokens: 0 }, 4), /^3 tokens fit in one context of 4: positions 0…2\./);
  assert.match(
    describeWindowing({ totalTokens: 2000, stride: 1024, windows: 1, droppedTokens: 975 }, 1024),
    /^2,000 tokens > context length 1,024: .* makes 1 window of 1,024 tokens .* The last 975 tokens fill no complete/,
  );
  assert.doesNotMatch(describeWindowing({ totalTokens: 9, stride: 4, windows: 2, droppedTokens: 0 }, 4), /dropped/);
  assert.match(LONGER_THAN_CONTEXT.learned, /IndexError.*1,024.*restart at 0/s);
  assert.match(LONGER_THAN_CONTEXT.sinusoidal, /a vector exists for any position, so nothing crashes.*positions restart in each window/s);
  assert.match(LONGER_THAN_CONTEXT.rope, /rotates query and key vectors.*depends only on their distance/s);
  assert.match(LONGER_THAN_CONTEXT.none, /same token has the same vector at every position/);
});

test('the store clamps selections to the page and reports changes in listener order', async () => {
  const result = await new EngineService(countingDependencies()).inspect(inspect);
  const state: PanelState = { documentUri: null, documentLabel: 'x', textOffset: 0, textLength: inspect.text.length, settings, result, selectedRow: 3 };
  const store = new PanelStore({ kind: 'dark' } as ThemeColors);
  const events: string[] = [];
  store.onState.on(() => events.push(`state a ${store.selectedRow}`));
  store.onState.on(() => events.push('state b'));
  store.onSelect.on((row, changed, fromUser) => events.push(`select ${row} ${changed} ${fromUser}`));
  assert.equal(store.select(1, true), false, 'nothing to select before a state');
  store.setState(state);
  assert.equal(store.select(5, true), true);
  assert.equal(store.select(5, false), false);
  assert.equal(store.select(result.tokens.length, true), true, 'a row past the page clears the selection');
  store.setState(state, 99);
  assert.deepEqual(events, ['state a 3', 'state b', 'select 5 true true', 'select 5 false false', 'select null true true', 'state a null', 'state b']);
});
