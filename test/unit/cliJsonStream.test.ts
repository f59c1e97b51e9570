// `tokenize --json` streams its output: the chunks must be byte-identical to JSON.stringify of the same object
// (the format scripts already parse), at every chunk boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeJsonChunks } from '../../src/cli/jsonStream';
import { getTokenizer } from '../../src/engine/tokenizer';
import type { TokenizerDescription } from '../../src/shared/embeddingTypes';

const o200k: TokenizerDescription = { kind: 'encoding', name: 'o200k_base', model: 'BPE', vocabSize: 200019 };
const llama: TokenizerDescription = { kind: 'tokenizer.json', name: 'Llama-3.2-1B', path: '/m/Llama-3.2-1B/tokenizer.json', model: 'BPE', vocabSize: 128256 };

function whole(tokenizer: TokenizerDescription, ids: ArrayLike<number>, spans: ArrayLike<number>) {
  const pairs: [number, number][] = [];
  for (let k = 0; k < ids.length; k++) pairs.push([spans[2 * k]!, spans[2 * k + 1]!]);
  return JSON.stringify({ tokenizer, ids: Array.from(ids), spans: pairs });
}

test('tokenize --json chunks join to exactly JSON.stringify of { tokenizer, ids, spans }, for every chunk size', () => {
  const text = 'Hello, world. <|endoftext|> Ünïcödé 🙂 and 12345 digits\n\nthe end';
  const { ids, spans } = getTokenizer('o200k_base').encode(text, { allowSpecial: true });
  const expected = whole(o200k, ids, spans);
  for (const chunk of [1, 2, 3, 7, ids.length - 1, ids.length, ids.length + 1, 65_536]) {
    const parts = [...tokenizeJsonChunks(o200k, ids, spans, chunk)];
    assert.equal(parts.join(''), expected, `chunk ${chunk}`);
    if (chunk === 1) assert.ok(parts.length > 2 * ids.length, 'one value per piece: the output really is split');
  }
  assert.deepEqual(JSON.parse([...tokenizeJsonChunks(o200k, ids, spans, 4)].join('')).ids, Array.from(ids));
  assert.equal([...tokenizeJsonChunks(llama, [], [])].join(''), whole(llama, [], []));
  assert.throws(() => [...tokenizeJsonChunks(llama, [1, 2], [0, 1])], /2 ids need 4 span ends, got 2/);
});
