/**
 * Bad tokenizer files: each is refused with one HfTokenizerError whose code says what kind of problem it
 * is and whose message names it; nothing crashes or hangs. Also: where tokenizer.json is looked for.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  createHfTokenizer,
  HfTokenizerError,
  type HfTokenizerErrorCode,
  loadHfTokenizer,
  MAX_TOKENIZER_JSON_BYTES,
  resolveTokenizerJson,
} from '../../../src/engine/hfTokenizer';
import { lenmlPath } from './support';

const dir = mkdtempSync(join(tmpdir(), 'hf-tokenizer-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function tiny(model: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'], ...model },
    ...rest,
  };
}

function refused(code: HfTokenizerErrorCode, pattern: RegExp, build: () => unknown): void {
  assert.throws(build, (e: unknown) => {
    assert.ok(e instanceof HfTokenizerError, `expected HfTokenizerError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a valid tiny file works (the base the bad ones below break)', () => {
  const t = createHfTokenizer(tiny());
  assert.deepEqual(Array.from(t.encode('abab', { allowSpecial: false }).ids), [2, 2]);
  assert.equal(t.vocabSize, 3);
});

test('malformed JSON', () => {
  const path = join(dir, 'broken.json');
  writeFileSync(path, '{"model": {"type": "BPE", "vocab": {');
  refused('malformedJson', /broken\.json is not valid JSON/, () => loadHfTokenizer(path));
});

test('a merge whose result (or part) is not in the vocabulary', () => {
  refused('invalid', /merge result "ba" is not in model\.vocab/, () => createHfTokenizer(tiny({ merges: ['a b', 'b a'] })));
  refused('invalid', /"c" is not in model\.vocab/, () => createHfTokenizer(tiny({ merges: ['a c'] })));
  refused('invalid', /two tokens separated by one space/, () => createHfTokenizer(tiny({ merges: ['a b c'] })));
});

test('duplicate ids, ids beyond 2^31, non-integer ids', () => {
  refused('invalid', /id 1 is given to both "b" and "ab"/, () => createHfTokenizer(tiny({ vocab: { a: 0, b: 1, ab: 1 } })));
  refused('invalid', /ids must be integers from 0 to 2147483647/, () => createHfTokenizer(tiny({ vocab: { a: 0, b: 1, ab: 2 ** 31 } })));
  refused('invalid', /ids must be integers/, () => createHfTokenizer(tiny({ vocab: { a: 0, b: 1.5, ab: 2 } })));
  refused('invalid', /added_tokens\[0\]\.id/, () => createHfTokenizer(tiny({}, { added_tokens: [{ id: 2 ** 32, content: '<x>', special: true }] })));
});

test('a 500 MB file is refused by its size, before reading', () => {
  const path = join(dir, 'huge.json');
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 500 * 1024 * 1024); // sparse: takes no disk space
  closeSync(fd);
  assert.ok(500 * 1024 * 1024 > MAX_TOKENIZER_JSON_BYTES);
  refused('tooLarge', /500 MB; a tokenizer\.json is at most 128 MB/, () => loadHfTokenizer(path));
});

test('a pattern that would backtrack catastrophically is refused, not run', () => {
  for (const pattern of ['(a+)+$', '(a|aa)*b', '(?:\\s*x)+', '(\\w+\\s?)*$', '(a|b){1,40}c']) {
    const json = tiny({}, { pre_tokenizer: { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false } });
    refused('unsafeRegex', /catastrophic backtracking/, () => createHfTokenizer(json));
  }
  const backref = tiny({}, { pre_tokenizer: { type: 'Split', pattern: { Regex: '(a)\\1' }, behavior: 'Isolated', invert: false } });
  refused('unsafeRegex', /backreference/, () => createHfTokenizer(backref));
});

test('components and regex constructs that are not implemented are named, never approximated', () => {
  refused('unsupported', /model type "Unigram" is not supported/, () => createHfTokenizer(tiny({ type: 'Unigram', vocab: [['a', 0]] })));
  refused('unsupported', /normalizer type "Precompiled"/, () => createHfTokenizer(tiny({}, { normalizer: { type: 'Precompiled', precompiled_charsmap: '' } })));
  refused('unsupported', /pre-tokenizer type "UnicodeScripts"/, () => createHfTokenizer(tiny({}, { pre_tokenizer: { type: 'UnicodeScripts' } })));
  refused('unsupported', /post-processor type "Weird"/, () => createHfTokenizer(tiny({}, { post_processor: { type: 'Weird' } })));
  refused('unsupported', /dropout/, () => createHfTokenizer(tiny({ dropout: 0.1 })));
  const split = (p: string): Record<string, unknown> =>
    tiny({}, { pre_tokenizer: { type: 'Split', pattern: { Regex: p }, behavior: 'Isolated', invert: false } });
  refused('unsupported', /case-insensitive 'ss'/, () => createHfTokenizer(split('(?i:ss)')));
  refused('unsupported', /atomic|group syntax/, () => createHfTokenizer(split('(?>a)')));
  refused('unsupported', /possessive/, () => createHfTokenizer(split('a*+')));
  refused('unsupported', /nested character class/, () => createHfTokenizer(split('[a[b]]')));
  refused('unsupported', /Unicode property 'Greek'/, () => createHfTokenizer(split('\\p{Greek}')));
  refused('unsupported', /after ByteLevel/, () =>
    createHfTokenizer(tiny({}, { pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'ByteLevel' }, { type: 'Whitespace' }] } })),
  );
});

test('missing or mistyped fields say where', () => {
  refused('invalid', /tokenizer\.json must be an object/, () => createHfTokenizer([]));
  refused('invalid', /model must be an object/, () => createHfTokenizer({}));
  refused('invalid', /model\.unk_token "<unk>" is not in model\.vocab/, () => createHfTokenizer(tiny({ unk_token: '<unk>' })));
  refused('invalid', /pre_tokenizer\.behavior must be one of/, () =>
    createHfTokenizer(tiny({}, { pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'Sideways' } })),
  );
});

test('a file, a model folder or a Hugging Face cache folder all find the tokenizer.json', () => {
  const model = join(dir, 'my-model');
  mkdirSync(model);
  copyFileSync(lenmlPath('llama2'), join(model, 'tokenizer.json'));
  assert.equal(resolveTokenizerJson(model), join(model, 'tokenizer.json'));
  const repo = join(dir, 'hub', 'models--meta-llama--Llama-2-7b-hf');
  for (const rev of ['aaa111', 'bbb222']) {
    mkdirSync(join(repo, 'snapshots', rev), { recursive: true });
    copyFileSync(lenmlPath('llama2'), join(repo, 'snapshots', rev, 'tokenizer.json'));
  }
  mkdirSync(join(repo, 'refs'));
  writeFileSync(join(repo, 'refs', 'main'), 'aaa111\n');
  assert.equal(resolveTokenizerJson(repo), join(repo, 'snapshots', 'aaa111', 'tokenizer.json'));
  const t = loadHfTokenizer(join(repo, 'snapshots', 'bbb222'));
  assert.equal(t.name, 'meta-llama/Llama-2-7b-hf');
  assert.equal(t.vocabSize, 32000);
  refused('notFound', /no tokenizer\.json in/, () => loadHfTokenizer(dir + '/hub'));
  refused('notFound', /does not exist/, () => loadHfTokenizer(join(dir, 'nope')));
});
