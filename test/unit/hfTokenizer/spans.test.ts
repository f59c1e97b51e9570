/**
 * Hand-verified spans and display text: what each token covers in the ORIGINAL text through inserted
 * (Prepend ▁), replaced (" " → ▁), recomposed (NFC), lowercased/accent-stripped (BERT) and split
 * (byte-level, byte-fallback) text, and for added and post-processor tokens.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHfTokenizer, type HfTokenizer, loadHfTokenizer } from '../../../src/engine/hfTokenizer';
import { bertJson, lenmlPath } from './support';

type Row = [id: number, text: string, start: number, end: number];

function rows(t: HfTokenizer, text: string, options = { allowSpecial: false, addSpecialTokens: false }): Row[] {
  const e = t.encode(text, options);
  return t.tokenInfos(text, e, 0, e.ids.length).map((i) => [i.id, i.text, i.start, i.end]);
}

const cached = new Map<string, HfTokenizer>();
function model(name: 'llama2' | 'llama3' | 'qwen3' | 'gemma3' | 'bert'): HfTokenizer {
  let t = cached.get(name);
  if (!t) {
    t = name === 'bert' ? createHfTokenizer(bertJson()) : loadHfTokenizer(lenmlPath(name));
    cached.set(name, t);
  }
  return t;
}

test('Llama 2: the inserted ▁ covers nothing, a replaced space covers the space', () => {
  assert.deepEqual(rows(model('llama2'), 'Hello world'), [
    [22557, ' Hello', 0, 5],
    [1526, ' world', 5, 11],
  ]);
});

test('Llama 2: byte-fallback tokens each cover the whole character and show their byte', () => {
  assert.deepEqual(rows(model('llama2'), '龘'), [
    [28705, ' ', 0, 0],
    [236, '<0xE9>', 0, 1],
    [193, '<0xBE>', 0, 1],
    [155, '<0x98>', 0, 1],
  ]);
});

test('add special tokens: the BOS/CLS/SEP the post-processor adds have empty spans at the ends', () => {
  assert.deepEqual(rows(model('llama2'), 'Hi', { allowSpecial: false, addSpecialTokens: true }), [
    [1, '<s>', 0, 0],
    [15359, ' Hi', 0, 2],
  ]);
  assert.deepEqual(rows(model('bert'), 'Hi', { allowSpecial: false, addSpecialTokens: true }), [
    [101, '[CLS]', 0, 0],
    [7632, 'hi', 0, 2],
    [102, '[SEP]', 2, 2],
  ]);
});

test('Llama 3: tokens that split an emoji overlap on it and show their bytes', () => {
  assert.deepEqual(rows(model('llama3'), 'Hello 🤗'), [
    [9906, 'Hello', 0, 5],
    [11410, ' <0xF0 0x9F>', 5, 8],
    [97, '<0xA4>', 6, 8],
    [245, '<0x97>', 6, 8],
  ]);
});

test('special-token text is plain text by default, the special token when allowed', () => {
  const t = model('llama3');
  const plain = rows(t, '<|begin_of_text|>Hi');
  assert.ok(plain.length > 2 && plain.every((r) => r[0] < 128000), 'plain text tokens only');
  assert.deepEqual(plain[0].slice(2), [0, 1]);
  assert.deepEqual(rows(t, '<|begin_of_text|>Hi', { allowSpecial: true, addSpecialTokens: false }), [
    [128000, '<|begin_of_text|>', 0, 17],
    [13347, 'Hi', 17, 19],
  ]);
});

test('a lone surrogate is U+FFFD (as Rust receives it) and keeps its one-unit span', () => {
  assert.deepEqual(rows(model('llama3'), 'a\ud800b'), [
    [64, 'a', 0, 1],
    [5809, '\ufffd', 1, 2],
    [65, 'b', 2, 3],
  ]);
});

test('Qwen 3 (NFC): a recomposed é covers both original units', () => {
  assert.deepEqual(rows(model('qwen3'), 'cafe\u0301 ok'), [
    [924, 'ca', 0, 2],
    [58858, 'fé', 2, 5],
    [5394, ' ok', 5, 8],
  ]);
});

test('Gemma 3: ▁▁ shows as two spaces and covers them', () => {
  assert.deepEqual(rows(model('gemma3'), 'a  b'), [
    [236746, 'a', 0, 1],
    [138, '  ', 1, 3],
    [236763, 'b', 3, 4],
  ]);
});

test('BERT: lowercased, accent-stripped words cover the original letters; CJK characters are split out', () => {
  assert.deepEqual(rows(model('bert'), 'Héllo, WORLD! 中文'), [
    [7592, 'hello', 0, 5],
    [1010, ',', 5, 6],
    [2088, 'world', 7, 12],
    [999, '!', 12, 13],
    [1746, '中', 14, 15],
    [1861, '文', 15, 16],
  ]);
});

test('names and sizes: vocabSize is the highest id + 1, the name comes from the path', () => {
  assert.equal(model('gemma3').vocabSize, 262145);
  assert.equal(model('llama3').vocabSize, 128256);
  assert.equal(model('llama3').modelType, 'BPE');
  assert.equal(model('bert').modelType, 'WordPiece');
  assert.equal(model('llama3').name, 'models');
});
