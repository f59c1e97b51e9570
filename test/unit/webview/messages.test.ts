import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmt4, fmtInt, pageText, shapeLines, sourceText, sumLine } from '../../../webview/shared/format';
import { InvalidMessage, parseHostMessage, toFloat32 } from '../../../webview/shared/messages';
import { MAX_PERSISTED_FLOATS, decodeStoredView, encodeStoredView } from '../../../webview/shared/persist';
import type { PanelState } from '../../../src/shared/webviewProtocol';
import { bookReference } from '../webviewFixture';

const GPT2_TOKENIZER = { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 } as const;

function smallState(): PanelState {
  const ref = bookReference();
  const dim = 3;
  const tok = [...ref.tok_rows['40']!.slice(0, dim), ...ref.tok_rows['367']!.slice(0, dim)];
  const pos = [0, 1, 2, 3].flatMap((p) => ref.pos_rows[String(p)]!.slice(0, dim));
  const comb = tok.map((v, i) => Math.fround(v + pos[i]!));
  return {
    documentUri: 'file:///a.txt',
    documentLabel: 'a.txt',
    textOffset: 7,
    textLength: 3,
    settings: {
      tokenizer: { kind: 'encoding', encoding: 'gpt2' },
      allowSpecial: false,
      dim,
      contextLength: 4,
      stride: 4,
      batchSize: 8,
      positional: 'learned',
      weights: { kind: 'random', seed: '123' },
    },
    result: {
      source: { kind: 'random', seed: '123', vocabSize: 50257, dim, contextLength: 4, tokenizer: GPT2_TOKENIZER, paddingRows: 0 },
      positional: 'learned',
      totalTokens: 2,
      firstToken: 0,
      tokens: [
        { id: 40, start: 0, end: 1, bytes: [73], text: 'I' },
        { id: 367, start: 1, end: 3, bytes: [32, 72], text: ' H' },
      ],
      positions: Int32Array.from([0, 1]),
      dim,
      contextLength: 4,
      tokenEmbeddings: Float32Array.from(tok),
      positionalEmbeddings: Float32Array.from(pos),
      combinedEmbeddings: Float32Array.from(comb),
      shapes: { inputs: [1, 4], tokenEmbeddings: [1, 4, dim], positional: [4, dim], combined: [1, 4, dim] },
    },
    selectedRow: 1,
  };
}

test('fmt4 prints like PyTorch (4 decimals) and names non-finite values', () => {
  assert.equal(fmt4(0.3373701870441437), '0.3374');
  assert.equal(fmt4(-0.1777772158384323), '-0.1778');
  assert.equal(fmt4(1), '1.0000');
  assert.equal(fmt4(NaN), 'nan');
  assert.equal(fmt4(-Infinity), '-inf');
  assert.equal(sumLine(0.5, 0.1, 0.6), 'tok 0.5000 + pos 0.1000 = 0.6000');
  assert.deepEqual([0, 999, 1000, 50257, 1234567, -4096].map(fmtInt), ['0', '999', '1,000', '50,257', '1,234,567', '-4,096']);
});

test('header texts: shapes like the book, source and paging', () => {
  const s = smallState();
  assert.deepEqual(
    shapeLines(s.result).map((l) => `${l.label} ${l.dims} ${l.shape}`),
    [
      'inputs (batch, context) (1, 4)',
      'token embeddings (batch, context, dim) (1, 4, 3)',
      'positional (context, dim) (4, 3)',
      'combined (batch, context, dim) (1, 4, 3)',
    ],
  );
  assert.equal(sourceText(s.result.source), 'random init, seed 123');
  assert.equal(
    sourceText({
      kind: 'file',
      path: '/m/gpt2/model.safetensors',
      tokenTensor: 'wte.weight',
      positionTensor: 'wpe.weight',
      dtype: 'F32',
      vocabSize: 1,
      dim: 1,
      contextLength: 1,
      tokenizer: GPT2_TOKENIZER,
      paddingRows: 0,
    }),
    'model.safetensors · wte.weight (F32)',
  );
  assert.equal(pageText(s.result), '2 tokens');
  assert.equal(pageText({ ...s.result, totalTokens: 10_000, firstToken: 4096 }), 'tokens 4,096–4,097 of 10,000');
});

test('parseHostMessage accepts a structured-cloned state and keeps typed arrays', () => {
  const s = smallState();
  const m = parseHostMessage(structuredClone({ type: 'state', state: s }));
  assert.ok(m && m.type === 'state');
  assert.ok(m.state.result.tokenEmbeddings instanceof Float32Array);
  assert.deepEqual(m.state.result.combinedEmbeddings, s.result.combinedEmbeddings);
  assert.equal(m.state.selectedRow, 1);
});

test('parseHostMessage accepts a JSON round-tripped state (typed arrays became objects)', () => {
  const s = smallState();
  const m = parseHostMessage(JSON.parse(JSON.stringify({ type: 'state', state: s })));
  assert.ok(m && m.type === 'state');
  assert.deepEqual(m.state.result.tokenEmbeddings, s.result.tokenEmbeddings);
  assert.deepEqual(m.state.result.positions, s.result.positions);
});

test('parseHostMessage ignores foreign messages and rejects malformed ones with a reason', () => {
  assert.equal(parseHostMessage(null), null);
  assert.equal(parseHostMessage('hello'), null);
  assert.equal(parseHostMessage({ type: 'somethingElse' }), null);
  assert.deepEqual(parseHostMessage({ type: 'busy', busy: true, message: 'Tokenizing…' }), { type: 'busy', busy: true, message: 'Tokenizing…' });
  assert.deepEqual(parseHostMessage({ type: 'selectRow', row: null }), { type: 'selectRow', row: null });
  assert.throws(() => parseHostMessage({ type: 'selectRow', row: -1 }), InvalidMessage);
  assert.throws(() => parseHostMessage({ type: 'error' }), /message: expected a string/);
  const s = smallState();
  const short = { ...s, result: { ...s.result, tokenEmbeddings: new Float32Array(5) } };
  assert.throws(() => parseHostMessage({ type: 'state', state: short }), /tokenEmbeddings: expected 6 values, got 5/);
  const badPos = { ...s, result: { ...s.result, positions: Int32Array.from([0, 4]) } };
  assert.throws(() => parseHostMessage({ type: 'state', state: badPos }), /positions\[1\] outside 0..3/);
  const badEnc = { ...s, settings: { ...s.settings, tokenizer: { kind: 'encoding', encoding: 'gpt5' } } };
  assert.throws(() => parseHostMessage({ type: 'state', state: badEnc }), /settings\.tokenizer\.encoding: expected one of/);
  const noTokenizer = { ...s, result: { ...s.result, source: { ...s.result.source, tokenizer: undefined } } };
  assert.throws(() => parseHostMessage({ type: 'state', state: noTokenizer }), /source\.tokenizer/);
  // A selected row past the page is dropped, not trusted.
  assert.equal((parseHostMessage({ type: 'state', state: { ...s, selectedRow: 9 } }) as { state: PanelState }).state.selectedRow, null);
});

test('each malformed token field is refused and named (well-formed tokens take a path without labels)', () => {
  const s = smallState();
  const withToken = (t: Record<string, unknown>) => ({ type: 'state', state: { ...s, result: { ...s.result, tokens: [s.result.tokens[0], t] } } });
  const good = s.result.tokens[1]!;
  const parsed = parseHostMessage(withToken({ ...good })) as { state: PanelState };
  assert.deepEqual(parsed.state.result.tokens, s.result.tokens);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...good, bytes: [32, 256] }, /tokens\[1\]\.bytes\[1\]: expected a byte/],
    [{ ...good, bytes: [32, 1.5] }, /tokens\[1\]\.bytes\[1\]: expected an integer/],
    [{ ...good, bytes: 'ab' }, /tokens\[1\]\.bytes: expected an array/],
    [{ ...good, start: 3, end: 1 }, /tokens\[1\]: end before start/],
    [{ ...good, start: -1 }, /tokens\[1\]\.start: expected an integer/],
    [{ ...good, end: Infinity }, /tokens\[1\]\.end: expected a finite number/],
    [{ ...good, id: 2.5 }, /tokens\[1\]\.id: expected an integer/],
    [{ ...good, text: 7 }, /tokens\[1\]\.text: expected a string/],
  ];
  for (const [token, error] of cases) assert.throws(() => parseHostMessage(withToken(token)), error, JSON.stringify(token));
  assert.throws(() => parseHostMessage(withToken([1, 2] as unknown as Record<string, unknown>)), /tokens\[1\]: expected an object/);
});

test('toFloat32 converts arrays and JSON objects, checks lengths', () => {
  assert.deepEqual(toFloat32([1, 2], 2, 'x'), Float32Array.from([1, 2]));
  assert.deepEqual(toFloat32({ 0: 1, 1: 2 }, 2, 'x'), Float32Array.from([1, 2]));
  assert.throws(() => toFloat32({ 0: 1 }, 2, 'x'), /element 1 missing/);
  assert.throws(() => toFloat32('nope', 2, 'x'), InvalidMessage);
});

test('stored view round-trips exactly through JSON (what vscode.setState keeps)', () => {
  const s = smallState();
  const stored = JSON.parse(JSON.stringify(encodeStoredView(s, 1)));
  const back = decodeStoredView(stored);
  assert.ok(back?.state);
  assert.equal(back.selectedRow, 1);
  assert.deepEqual(back.state.result.tokenEmbeddings, s.result.tokenEmbeddings);
  assert.deepEqual(back.state.result.positions, s.result.positions);
  assert.deepEqual(back.state.result.tokens, s.result.tokens);
  assert.deepEqual(back.state.settings, s.settings);
  // Compact: base64 of the float bytes, not one JSON number per value.
  assert.ok(JSON.stringify(stored).includes('$f32'));
});

test('stored view drops vectors of huge states and rejects garbage', () => {
  const s = smallState();
  const n = MAX_PERSISTED_FLOATS; // one page this big must not be written into webview state
  const huge: PanelState = {
    ...s,
    result: { ...s.result, tokenEmbeddings: new Float32Array(n), combinedEmbeddings: new Float32Array(n) },
  };
  assert.equal(encodeStoredView(huge, 3).state, null);
  assert.deepEqual(decodeStoredView(encodeStoredView(huge, 3)), { state: null, selectedRow: 3 });
  assert.equal(decodeStoredView({ v: 999, state: null }), null);
  assert.equal(decodeStoredView('x'), null);
  assert.equal(decodeStoredView({ v: 1, state: { result: 1 }, selectedRow: null }), null);
});
