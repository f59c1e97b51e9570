/**
 * The lean tokenizer.json reader (src/engine/hfTokenizer/leanJson.ts) against JSON.parse: on every real
 * tokenizer.json the npm devDependencies carry it takes its fast path and holds exactly what JSON.parse
 * gives (vocabulary, merges, the rest of the file); on anything unusual it gives the very object or error
 * JSON.parse gives. (The oracle suites build their tokenizers through it too, and compare ids with Rust.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createHfTokenizer, parseHfTokenizer } from '../../../src/engine/hfTokenizer';
import { parseTokenizerJsonBytes, parseTokenizerJsonText, PreparedMerges, PreparedVocab } from '../../../src/engine/hfTokenizer/leanJson';
import { lenmlPath, type LenmlModel } from './support';

type Parsed = { model: { vocab: unknown; merges?: unknown } } & Record<string, unknown>;

/** Merge i of parsed JSON as [a, b]. */
function mergePair(m: unknown): [string, string] {
  if (Array.isArray(m)) return [m[0] as string, m[1] as string];
  const s = m as string;
  const sp = s.indexOf(' ');
  return [s.slice(0, sp), s.slice(sp + 1)];
}

/** Asserts that a lean parse holds what JSON.parse holds. */
function assertSameContent(lean: Parsed, plain: Parsed): void {
  const vocab = lean.model.vocab;
  assert.ok(vocab instanceof PreparedVocab, 'the vocabulary took the fast path');
  const expected = new Map(Object.entries(plain.model.vocab as Record<string, number>));
  assert.equal(vocab.tokens.length, expected.size);
  for (let t = 0; t < vocab.tokens.length; t++) {
    assert.equal(expected.get(vocab.tokens[t]!), vocab.ids[t], `token ${JSON.stringify(vocab.tokens[t])}`);
    assert.equal(vocab.index.get(vocab.tokens[t]!), t);
  }
  const plainMerges = plain.model.merges as unknown[] | undefined;
  if (plainMerges === undefined) assert.equal(lean.model.merges, undefined);
  else {
    const merges = lean.model.merges;
    assert.ok(merges instanceof PreparedMerges, 'the merges took the fast path');
    assert.equal(merges.length, plainMerges.length);
    for (let i = 0; i < merges.length; i++) {
      const [a, b] = mergePair(plainMerges[i]);
      assert.equal(vocab.tokens[merges.left[i]!], a, `merge ${i} left`);
      assert.equal(vocab.tokens[merges.right[i]!], b, `merge ${i} right`);
      assert.equal(vocab.tokens[merges.result[i]!], a + b, `merge ${i} result`);
    }
  }
  const strip = (p: Parsed) => ({ ...p, model: { ...p.model, vocab: null, merges: null } });
  assert.deepEqual(strip(lean), strip(plain));
}

for (const model of ['gpt2', 'llama3', 'qwen3', 'gemma3', 'deepseek_v3', 'llama2'] as LenmlModel[]) {
  test(`lean read of ${model}'s real tokenizer.json holds exactly what JSON.parse gives`, () => {
    const bytes = readFileSync(lenmlPath(model));
    const lean = parseTokenizerJsonBytes(bytes) as Parsed;
    const plain = JSON.parse(bytes.toString('utf8')) as Parsed;
    assertSameContent(lean, plain);
  });
}

const base = (vocab: string, merges: string): string =>
  `{"version":"1.0","added_tokens":[],"normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,` +
  `"model":{"type":"BPE","dropout":null,"unk_token":null,"vocab":${vocab},"merges":${merges}}}`;

test('escaped keys are decoded, and merges find them by their real text (string and array merges)', () => {
  const vocab = '{"a": 0, "\\u0041": 1, "\\"": 2, "a\\"": 3, "\\\\n": 4, "aA": 5, "\\n": 6, "\\n\\n": 7}';
  for (const merges of ['["a \\u0041", "a \\"", "\\n \\n"]', '[["a", "A"], ["a", "\\""], ["\\n", "\\n"]]']) {
    const text = base(vocab, merges);
    const lean = parseTokenizerJsonText(text) as Parsed;
    assertSameContent(lean, JSON.parse(text) as Parsed);
    const ids = parseHfTokenizer(text).encode('aA\n\na"', { allowSpecial: false }).ids;
    assert.deepEqual(Array.from(ids), Array.from(createHfTokenizer(JSON.parse(text)).encode('aA\n\na"', { allowSpecial: false }).ids));
  }
});

test('whitespace anywhere, empty vocabulary/merges and a WordPiece model without merges', () => {
  const spaced = base(' {\n\t"a" :\r\n 0 ,"b":1 , "ab" : 2 } ', ' [ "a b" ] ').replace(/,/g, ' ,\n ');
  assertSameContent(parseTokenizerJsonText(spaced) as Parsed, JSON.parse(spaced) as Parsed);
  const empty = base('{}', '[]');
  assertSameContent(parseTokenizerJsonText(empty) as Parsed, JSON.parse(empty) as Parsed);
  const wordPiece = '{"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1, "##b": 2}}}';
  assertSameContent(parseTokenizerJsonText(wordPiece) as Parsed, JSON.parse(wordPiece) as Parsed);
});

test('anything unusual is left to JSON.parse: the same object, or the same error', () => {
  const unusual = [
    base('{"a": 0, "b": 1, "a": 2}', '[]'), // duplicate key: JSON.parse keeps the last value
    base('{"a": 0, "b": 1.5}', '[]'),
    base('{"a": 0, "b": -1}', '[]'),
    base('{"a": 0, "b": 1e2}', '[]'),
    base('{"a": 0, "b": 01}', '[]'),
    base('{"a": 0, "b": "1"}', '[]'),
    base('{"a": 0, "b": 4294967296}', '[]'),
    base('{"a": 0, "b": 1}', '["a c"]'), // unknown token
    base('{"a": 0, "b": 1}', '["a b"]'), // unknown merge result
    base('{"a": 0, "b": 1, "ab": 2}', '["#version: 0.2", "a b"]'),
    base('{"a": 0, "b": 1, "ab": 2}', '["a  b"]'),
    base('{"a": 0, "b": 1, "ab": 2}', '[["a", "b", "c"]]'),
    base('{"a": 0, "b": 1, "ab": 2}', '{"a": "b"}'),
    '{"model": {"merges": ["a b"], "vocab": {"a": 0, "b": 1, "ab": 2}}}', // merges before the vocabulary
    '{"model": {"vocab": {"a": 0}}, "model": {"vocab": {"b": 0}}}',
    '\ufeff' + base('{"a": 0}', '[]'),
    base('{"a": 0,}', '[]'),
    base('{"a": 0', '[]'),
    base('{"a\u0001": 0}', '[]'),
    base('{"a": 0}', '[]') + 'x',
    '[1, 2]',
    '',
  ];
  for (const text of unusual) {
    let expected: unknown;
    let expectedError: string | undefined;
    try {
      expected = JSON.parse(text);
    } catch (e) {
      expectedError = (e as Error).message;
    }
    if (expectedError !== undefined) {
      assert.throws(() => parseTokenizerJsonText(text), { message: expectedError }, text);
    } else {
      const lean = parseTokenizerJsonText(text) as Parsed;
      assert.ok(!(lean.model?.vocab instanceof PreparedVocab), `${text}: left to JSON.parse`);
      assert.deepEqual(lean, expected, text);
    }
  }
});

test('invalid UTF-8 reads as U+FFFD as readFileSync(…, "utf8") does; keys that then collide are left to JSON.parse', () => {
  const bytes = (s: string, at: string, insert: number[]): Uint8Array => {
    const [before, after] = s.split(at);
    return new Uint8Array([...Buffer.from(before!), ...insert, ...Buffer.from(after!)]);
  };
  const oneBad = bytes(base('{"a": 0, "X": 1}', '[]'), 'X', [0xff]);
  assert.deepEqual(
    (parseTokenizerJsonBytes(oneBad) as Parsed).model.vocab instanceof PreparedVocab
      ? (parseTokenizerJsonBytes(oneBad) as Parsed & { model: { vocab: PreparedVocab } }).model.vocab.toJSON()
      : null,
    Object.assign(Object.create(null), JSON.parse(Buffer.from(oneBad).toString('utf8')).model.vocab),
  );
  const colliding = bytes(base('{"X": 0, "\ufffd": 1}', '[]'), 'X', [0xfe]);
  assert.deepEqual(parseTokenizerJsonBytes(colliding), JSON.parse(Buffer.from(colliding).toString('utf8')));
});

test('prepared vocabulary and merges serialise back to the JSON they came from (JSON.stringify)', () => {
  const text = base('{"a": 0, "b": 1, "ab": 2}', '["a b"]');
  assert.deepEqual(JSON.parse(JSON.stringify(parseTokenizerJsonText(text))), JSON.parse(text));
  const arrays = base('{"a": 0, "b": 1, "ab": 2}', '[["a", "b"]]');
  assert.deepEqual(JSON.parse(JSON.stringify(parseTokenizerJsonText(arrays))), JSON.parse(arrays));
});
