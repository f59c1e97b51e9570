import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get_encoding } from 'tiktoken';
import { DocumentCache, tokenIndexAt, tokensOverlapping, type Encode } from '../../src/engine/documentCache';
import type { Encoded } from '../../src/engine/types';

/** Linear reference for the binary search: first token whose span covers the offset. */
function linearIndexAt(spans: Int32Array, offset: number): number {
  for (let i = 0; i < spans.length / 2; i++) if (spans[2 * i] <= offset && offset < spans[2 * i + 1]) return i;
  return -1;
}

/**
 * Real GPT-2 tokenization (tiktoken, the WASM port of OpenAI's tokenizer) with UTF-16 spans derived from
 * each token's bytes: a byte fragment of a character gets the span of the whole character, which it then
 * shares with the other fragments of that character.
 */
const gpt2 = get_encoding('gpt2');
const encode = (text: string): Encoded => {
  const ids = gpt2.encode(text, 'all');
  const utf8 = new TextEncoder().encode(text);
  const charStartOfByte = new Int32Array(utf8.length + 1);
  const charEndOfByte = new Int32Array(utf8.length + 1);
  let b = 0;
  let u = 0;
  for (const ch of text) {
    const n = new TextEncoder().encode(ch).length;
    for (let k = 0; k < n; k++) {
      charStartOfByte[b + k] = u;
      charEndOfByte[b + k + 1] = u + ch.length;
    }
    b += n;
    u += ch.length;
  }
  charStartOfByte[b] = u;
  const spans = new Int32Array(ids.length * 2);
  let byte = 0;
  ids.forEach((id, i) => {
    const len = gpt2.decode_single_token_bytes(id).length;
    spans[2 * i] = charStartOfByte[byte];
    byte += len;
    spans[2 * i + 1] = charEndOfByte[byte];
  });
  assert.equal(byte, utf8.length);
  return { ids: Uint32Array.from(ids), spans };
};

test('tokenIndexAt agrees with a linear scan on real GPT-2 spans', () => {
  const text = 'I HAD always thought Jack Gisburn rather a cheap genius--though a good fellow enough.\n\n  Ünïcödé 😀 <|endoftext|> end';
  const { spans } = encode(text);
  for (let offset = -1; offset <= text.length + 1; offset++) {
    assert.equal(tokenIndexAt(spans, offset), linearIndexAt(spans, offset), `offset ${offset}`);
  }
  assert.equal(tokenIndexAt(spans, 0), 0);
  assert.equal(tokenIndexAt(spans, text.length), -1);
});

test('tokenIndexAt skips zero-width tokens and picks the first of overlapping fragments', () => {
  // tokens: [0,2) [2,2) [2,4) [2,4) [4,5)
  const spans = Int32Array.from([0, 2, 2, 2, 2, 4, 2, 4, 4, 5]);
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((o) => tokenIndexAt(spans, o)),
    [0, 0, 2, 2, 4, -1],
  );
  assert.equal(tokenIndexAt(new Int32Array(0), 0), -1);
});

test('tokensOverlapping returns the tokens touching a range', () => {
  const spans = Int32Array.from([0, 2, 2, 2, 2, 4, 2, 4, 4, 5]);
  assert.deepEqual(tokensOverlapping(spans, 0, 5), [0, 5]);
  assert.deepEqual(tokensOverlapping(spans, 3, 4), [2, 4]);
  assert.deepEqual(tokensOverlapping(spans, 1, 3), [0, 4]);
  assert.deepEqual(tokensOverlapping(spans, 5, 9), [5, 5]);
  assert.deepEqual(tokensOverlapping(spans, 4, 4), [4, 4]);
});

test('DocumentCache keeps one version per document and asks for text it lacks', async () => {
  const cache = new DocumentCache();
  let encodes = 0;
  // The test tokenizer ignores allowSpecial: the keys alone must keep the two tokenizations apart.
  const counting =
    (_allowSpecial: boolean): Encode =>
    (t) => (encodes++, encode(t));
  const plain = 'encoding:gpt2|00';
  const special = 'encoding:gpt2|10';
  assert.equal(await cache.encoded({ uri: 'a', version: 1 }, plain, counting(false)), undefined);
  const first = (await cache.encoded({ uri: 'a', version: 1, text: 'hello world' }, plain, counting(false)))!;
  assert.deepEqual([...first.encoded.ids], [31373, 995]);
  const again = (await cache.encoded({ uri: 'a', version: 1 }, plain, counting(false)))!;
  assert.equal(again.encoded, first.encoded);
  assert.equal(encodes, 1, 'same version and options: no retokenization');
  await cache.encoded({ uri: 'a', version: 1 }, special, counting(true));
  assert.equal(encodes, 2, 'different allowSpecial: own entry');
  assert.equal(await cache.encoded({ uri: 'a', version: 2 }, plain, counting(false)), undefined, 'new version unknown');
  const v2 = (await cache.encoded({ uri: 'a', version: 2, text: 'hello' }, plain, counting(false)))!;
  assert.deepEqual([...v2.encoded.ids], [31373]);
  assert.equal(await cache.encoded({ uri: 'a', version: 1 }, plain, counting(false)), undefined, 'old version replaced');
  cache.release('a');
  assert.equal(cache.size, 0);
});

test('DocumentCache keeps a slow tokenization only if the document still has that version when it ends', async () => {
  const cache = new DocumentCache();
  let finish!: () => void;
  const slow: Encode = (t) => new Promise((resolve) => (finish = () => resolve(encode(t))));
  const pending = cache.encoded({ uri: 'a', version: 1, text: 'hello world' }, 'encoding:gpt2|00', slow);
  await cache.encoded({ uri: 'a', version: 2, text: 'hello' }, 'encoding:gpt2|00', encode); // edited meanwhile
  finish();
  assert.deepEqual([...(await pending)!.encoded.ids], [31373, 995], 'the caller still gets the tokens of its own text');
  let encodes = 0;
  const counting: Encode = (t) => (encodes++, encode(t));
  const v2 = (await cache.encoded({ uri: 'a', version: 2 }, 'encoding:gpt2|00', counting))!;
  assert.deepEqual([...v2.encoded.ids], [31373], 'version 2 kept its own tokens');
  assert.equal(encodes, 0);
});

test('DocumentCache evicts least recently used documents past its budget', () => {
  const cache = new DocumentCache(10);
  cache.text({ uri: 'a', version: 1, text: 'aaaa' });
  cache.text({ uri: 'b', version: 1, text: 'bbbb' });
  cache.text({ uri: 'a', version: 1 }); // touch a
  cache.text({ uri: 'c', version: 1, text: 'cccc' });
  assert.equal(cache.has('a', 1), true);
  assert.equal(cache.has('b', 1), false);
  assert.equal(cache.has('c', 1), true);
  // a document larger than the budget is still kept (it is the one in use)
  cache.text({ uri: 'd', version: 1, text: 'd'.repeat(50) });
  assert.equal(cache.has('d', 1), true);
  assert.equal(cache.size, 1);
});
