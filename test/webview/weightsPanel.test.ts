/**
 * Weights UI of the inspector panel in real headless Chromium (built bundle, strict CSP): the source bar for
 * random and file weights and the messages its buttons post, and the nearest-tokens list of the selected row.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bookState, type JsonPanelState } from './fixtures';
import { openView, violations, type ViewPage, useBrowser } from './harness';

const env = useBrowser();

/** The book state as if read from GPT-2's weights file (same numbers; only the source differs). */
function fileState(): JsonPanelState {
  const s = bookState();
  const path = '/home/ada/models/gpt2/model.safetensors';
  s.settings = { ...s.settings, dim: 768, weights: { kind: 'file', path } }; // dim setting ≠ the file's width
  s.result.source = {
    kind: 'file',
    path,
    tokenTensor: 'wte.weight',
    positionTensor: 'wpe.weight',
    dtype: 'F16',
    vocabSize: 50257,
    dim: s.result.dim,
    contextLength: 4,
    tokenizer: GPT2,
    paddingRows: 0,
  };
  return s;
}

const GPT2 = { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 } as const;

/** The book state as if read from a GGUF model with RoPE positions and a padded table (numbers unchanged). */
function ggufState(): JsonPanelState {
  const s = bookState();
  const path = '/home/ada/models/tiny-llama-q8_0.gguf';
  s.settings = { ...s.settings, tokenizer: { kind: 'model', path }, weights: { kind: 'model', path } };
  s.result.source = {
    kind: 'model',
    format: 'gguf',
    path,
    architecture: 'llama',
    file: 'tiny-llama-q8_0.gguf',
    tokenTensor: 'token_embd.weight',
    shard: null,
    dtype: 'Q8_0',
    vocabSize: 50264,
    dim: s.result.dim,
    contextLength: 4,
    modelContextLength: 2048,
    positions: { kind: 'rope', theta: 10000, headDim: 64, rotaryDim: null },
    tokenizer: { kind: 'model', name: 'tiny-llama-q8_0.gguf', path, model: 'BPE', vocabSize: 50257 },
    paddingRows: 7,
  };
  return s;
}

async function open(state: JsonPanelState): Promise<ViewPage> {
  const view = await openView(env.browser, env.server, 'panel');
  await view.waitForPosted('ready');
  await view.deliverState(state);
  await view.page.waitForSelector('body[data-state=ready]');
  return view;
}

describe('weights source bar', () => {
  test('random init: seed shown, only "Load weights…", which asks the host for the file picker', async () => {
    const view = await open(bookState());
    assert.equal(await view.page.textContent('#source-label'), 'random init · seed 123');
    assert.equal(await view.page.textContent('#source-detail'), '50,257 × 256');
    assert.equal(await view.page.textContent('#source-tokenizer'), 'tokenizer gpt2 · built-in encoding (BPE) · 50,257 ids');
    assert.equal(await view.page.isVisible('#source-positions'), false, 'no model: the positional setting decides');
    assert.equal(await view.page.isVisible('#use-random-init'), false);
    await view.page.click('#load-weights');
    assert.deepEqual(await view.waitForPosted('loadWeights'), [{ type: 'loadWeights' }]);
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('file weights: file name, tensors, dtype and shape; "Use random init" posts its message', async () => {
    const view = await open(fileState());
    assert.equal(await view.page.textContent('#source-label'), 'model.safetensors');
    assert.equal(await view.page.getAttribute('#source-label', 'title'), '/home/ada/models/gpt2/model.safetensors');
    assert.equal(await view.page.textContent('#source-detail'), 'wte.weight + wpe.weight · F16 · 50,257 × 256');
    assert.equal(await view.page.isDisabled('input[name=seed]'), true, 'no seed for file weights');
    assert.equal(await view.page.inputValue('input[name=dim]'), '256', 'the width in use (the file fixes it)');
    assert.equal(await view.page.isDisabled('input[name=dim]'), true);
    await view.page.click('#use-random-init');
    assert.deepEqual(await view.waitForPosted('useRandomInit'), [{ type: 'useRandomInit' }]);
    // Back to random: the host sends the random state and the button goes away.
    await view.deliverState(bookState());
    await view.page.waitForSelector('#use-random-init', { state: 'hidden' });
    assert.equal(await view.page.textContent('#source-label'), 'random init · seed 123');
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('a GGUF model: format, architecture, quantization, padding rows, its own tokenizer and why combined = token', async () => {
    const view = await open(ggufState());
    assert.equal(await view.page.textContent('#source-label'), 'tiny-llama-q8_0.gguf');
    assert.equal(await view.page.textContent('#source-detail'), 'GGUF · llama · token_embd.weight · Q8_0 · 50,264 × 256 · 7 padding rows (never trained)');
    assert.equal(await view.page.textContent('#source-tokenizer'), 'tokenizer tiny-llama-q8_0.gguf · the model’s own (BPE) · 50,257 ids');
    assert.match((await view.page.textContent('#source-positions'))!, /^positions: rotary \(RoPE, theta 10000, head dim 64\).*combined = token vector$/);
    assert.equal(await view.page.isVisible('#source-positions'), true);
    assert.equal(await view.page.isVisible('#use-random-init'), true, 'a model can be left for the random init');
    // The model brings its tokenizer, width and positions: the panel cannot swap them under its table.
    for (const control of ['select[name=encoding]', 'select[name=positional]', 'input[name=dim]', 'input[name=seed]']) {
      assert.equal(await view.page.isDisabled(control), true, `${control} is fixed by the model`);
    }
    assert.match((await view.page.getAttribute('select[name=encoding]', 'title'))!, /the model's own tokenizer/);
    // Back to random tables (the model's tokenizer kept as a tokenizer.json): the controls are the panel's again.
    const random = bookState();
    random.settings = { ...random.settings, tokenizer: { kind: 'tokenizer.json', path: '/home/ada/models/llama' } };
    await view.deliverState(random);
    await view.page.waitForSelector('#use-random-init', { state: 'hidden' });
    for (const control of ['select[name=encoding]', 'select[name=positional]', 'input[name=dim]', 'input[name=seed]']) {
      assert.equal(await view.page.isDisabled(control), false, `${control} is the panel's again`);
    }
    assert.deepEqual(await violations(view), []);
    await view.close();
  });
});

/** The panel's `neighbors` requests so far (hostChannel.call over the request/reply envelope). */
async function neighborRequests(view: ViewPage, count: number): Promise<Array<{ id: number; params: { row: number; id: number } }>> {
  const requests = await view.waitForPosted('request', count);
  return requests.filter((m) => m.method === 'neighbors') as unknown as Array<{ id: number; params: { row: number; id: number } }>;
}

describe('nearest tokens', () => {
  test('asked for the selected row; loading first, superseded requests cancelled and their replies ignored, errors shown', async () => {
    const state = bookState();
    const view = await open(state);
    assert.equal(await view.page.isVisible('#neighbors'), false, 'hidden without a selection');
    const id1 = state.result.tokens[1]!.id;
    await view.deliver({ type: 'selectRow', row: 0 });
    await view.deliver({ type: 'selectRow', row: 1 });
    const [first, second] = await neighborRequests(view, 2);
    assert.deepEqual(first!.params, { row: 0, id: state.result.tokens[0]!.id });
    assert.deepEqual(second!.params, { row: 1, id: id1 });
    assert.deepEqual((await view.waitForPosted('cancel')).at(-1), { type: 'cancel', id: first!.id }, 'the newer selection cancels the older request');
    await view.page.waitForSelector('#neighbors[data-status=loading]');
    assert.match((await view.page.textContent('#neighbors'))!, /Scanning the vocabulary/);

    // A late reply to the superseded request changes nothing.
    await view.deliver({ type: 'response', id: first!.id, ok: true, result: { neighbors: [{ id: 5, score: 0.9, text: 'stale', padding: false }] } });
    const neighbors = [
      { id: 262, score: 0.81234, text: ' the', padding: false },
      { id: 257, score: 0.5, text: ' a', padding: false },
      { id: 50300, score: 0.4, text: null, padding: true },
      { id: 50256, score: -0.25, text: null, padding: false },
    ];
    await view.deliver({ type: 'response', id: second!.id, ok: true, result: { neighbors } });
    await view.page.waitForSelector('#neighbors[data-status=ready]');
    const items = await view.page.$$eval('#neighbors-list li', (els) => els.map((e) => [...e.children].map((c) => c.textContent)));
    assert.deepEqual(items, [
      ['“␣the”', 'id 262', '0.8123'],
      ['“␣a”', 'id 257', '0.5000'],
      ['(unused id)', 'id 50300', '0.4000', 'padding (never trained)'],
      ['(unused id)', 'id 50256', '-0.2500'],
    ]);
    assert.match((await view.page.textContent('#neighbors h2'))!, new RegExp(`id ${id1}`));

    // Selecting another row clears the list until its answer arrives; an error is said plainly.
    await view.deliver({ type: 'selectRow', row: 2 });
    await view.page.waitForFunction(() => document.querySelectorAll('#neighbors-list li').length === 0);
    const third = (await neighborRequests(view, 3))[2]!;
    await view.deliver({ type: 'response', id: third.id, ok: false, error: { kind: 'internal', message: 'The engine refused the input.' } });
    await view.page.waitForSelector('#neighbors[data-status=error]');
    assert.match((await view.page.textContent('#neighbors'))!, /Could not find nearest tokens: The engine refused the input\./);

    // Deselecting hides it.
    await view.deliver({ type: 'selectRow', row: null });
    await view.page.waitForSelector('#neighbors', { state: 'hidden' });
    assert.deepEqual(await violations(view), []);
    await view.close();
  });

  test('a malformed nearest-tokens reply is refused with the error banner', async () => {
    const view = await open(bookState());
    await view.deliver({ type: 'selectRow', row: 0 });
    const [asked] = await neighborRequests(view, 1);
    await view.deliver({ type: 'response', id: asked!.id, ok: true, result: { neighbors: [{ id: 1, score: 'high', text: 'x', padding: false }] } });
    await view.page.waitForSelector('.error-banner:not([hidden])');
    assert.match((await view.page.textContent('.error-banner'))!, /neighbors\[0\]\.score/);
    await view.close();
  });
});
