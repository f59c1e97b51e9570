// HfTokenizer.encodeSteps (what the engine worker runs, pausing between steps): the same ids and spans as encode,
// equal to Hugging Face's Rust tokenizers, and real pauses on a long text — for a byte-level model (Llama 3:
// pre-tokenizer ranges), a SentencePiece-style one (Gemma 3: no pre-tokenizer) and WordPiece (BERT: normalized pieces).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHfTokenizer } from '../../../src/engine/hfTokenizer';
import { bertJson, lenmlPath, readJson, RustOracle } from './support';

const verdict = readFileSync(join(__dirname, '..', '..', 'fixtures', 'the-verdict.txt'), 'utf8');
const code = readFileSync(join(__dirname, '..', '..', '..', 'src', 'engine', 'service.ts'), 'utf8');
// ~60k units with special-token text in the middle (an added-token split) and a long run without spaces.
const text = `${verdict}<|endoftext|><bos>[CLS]${code}${'x'.repeat(5000)}${verdict.slice(0, 3000)}`;

for (const [name, json] of [
  ['llama3', () => readJson(lenmlPath('llama3'))],
  ['gemma3', () => readJson(lenmlPath('gemma3'))],
  ['bert', bertJson],
] as const) {
  test(`${name}: encodeSteps pauses on a long text and gives exactly encode's ids and spans, equal to Rust tokenizers`, async () => {
    const content = json();
    const tok = createHfTokenizer(content);
    const oracle = new RustOracle(content);
    for (const [allowSpecial, addSpecialTokens] of [
      [false, false],
      [true, true],
    ] as const) {
      const steps = tok.encodeSteps(text, { allowSpecial, addSpecialTokens });
      let pauses = 0;
      let r = steps.next();
      while (!r.done) {
        pauses++;
        r = steps.next();
      }
      const stepped = r.value;
      tok.clearCache(); // encode must not lean on pieces the stepped run memoised
      const whole = tok.encode(text, { allowSpecial, addSpecialTokens });
      assert.ok(pauses >= 2, `${name}: ${pauses} pauses over ${text.length} units`);
      assert.deepEqual(Array.from(stepped.ids), Array.from(whole.ids));
      assert.deepEqual(Array.from(stepped.spans), Array.from(whole.spans));
      assert.deepEqual(Array.from(stepped.ids), await oracle.ids(text, allowSpecial, addSpecialTokens));
    }
  });
}

// A SentencePiece-style file tokenizes a stretch without added tokens as ONE piece: it must still pause inside it
// (between the model's junction-cut segments), give Rust's ids, and not mix up two long texts encoded in turn.
for (const name of ['gemma3', 'llama2'] as const) {
  test(`${name}: one long piece pauses inside, interleaved with another long text and short encodes, ids equal Rust tokenizers`, async () => {
    const content = readJson(lenmlPath(name));
    const tok = createHfTokenizer(content);
    const oracle = new RustOracle(content);
    const a = verdict.repeat(3); // ~60k units, no added-token text: one piece
    const b = `${code.slice(0, 30_000)} ünïcödé 😀 ${'7'.repeat(2000)}`;
    const sa = tok.encodeSteps(a, { allowSpecial: false });
    const sb = tok.encodeSteps(b, { allowSpecial: false });
    let pausesA = 0;
    let ra = sa.next();
    let rb = sb.next();
    while (!ra.done || !rb.done) {
      if (!ra.done) {
        pausesA++;
        ra = sa.next();
      }
      tok.encode('a hover in between', { allowSpecial: false });
      if (!rb.done) rb = sb.next();
    }
    assert.ok(pausesA >= 3, `${name}: ${pausesA} pauses inside one ${a.length}-unit piece`);
    for (const [r, s] of [
      [ra.value, a],
      [rb.value, b],
    ] as const) {
      const whole = tok.encode(s, { allowSpecial: false });
      assert.deepEqual(Array.from(r.ids), Array.from(whole.ids));
      assert.deepEqual(Array.from(r.spans), Array.from(whole.spans));
      assert.deepEqual(Array.from(r.ids), await oracle.ids(s, false, false));
    }
  });
}

/**
 * Llama 2's real tokenizer.json plus one merge of two byte-fallback tokens (<0xF0> <0x9F>, the first bytes of most
 * emoji; result id 32000): a merge that involves byte-fallback tokens turns the model's junction cutting off, so a
 * long piece cannot be cut into segments and must be merged in steps as a whole.
 */
function llama2ByteMerge(): Record<string, unknown> {
  const content = readJson(lenmlPath('llama2'));
  const model = content.model as { vocab: Record<string, number>; merges: string[] };
  model.vocab['<0xF0><0x9F>'] = 32000;
  model.merges.push('<0xF0> <0x9F>');
  return content;
}

test('cutting off (a merge of byte-fallback tokens): a long piece pauses inside its one merge, interleaved with short encodes, ids equal Rust tokenizers', async () => {
  const content = llama2ByteMerge();
  const tok = createHfTokenizer(content);
  const oracle = new RustOracle(content);
  // ~40k units of one piece (no pre-tokenizer), with emoji Llama 2 spells in fallback bytes.
  const long = `${verdict} 🦜🦩🪿 ${verdict.slice(0, 15_000)} 🫎🪼`;
  const short = ['a hover 🦜', 'naïve café', '🪿🪿'];
  const steps = tok.encodeSteps(long, { allowSpecial: false });
  let pauses = 0;
  let r = steps.next();
  const shortIds: number[][] = [];
  while (!r.done) {
    pauses++;
    shortIds.push(Array.from(tok.encode(short[pauses % short.length], { allowSpecial: false }).ids));
    r = steps.next();
  }
  assert.ok(long.length >= 30_000);
  assert.ok(pauses >= 3, `${pauses} pauses inside one ${long.length}-unit piece`);
  const ids = Array.from(r.value.ids);
  assert.ok(ids.includes(32000), 'the byte-fallback merge is used');
  assert.deepEqual(ids, await oracle.ids(long, false, false));
  const whole = tok.encode(long, { allowSpecial: false });
  assert.deepEqual(Array.from(r.value.spans), Array.from(whole.spans));
  for (let k = 0; k < shortIds.length; k++) assert.deepEqual(shortIds[k], await oracle.ids(short[(k + 1) % short.length], false, false));
});

test('byte-level model: a long run without spaces (one pre-tokenized piece) pauses inside, ids equal Rust tokenizers', async () => {
  const content = readJson(lenmlPath('llama3'));
  const tok = createHfTokenizer(content);
  const oracle = new RustOracle(content);
  const word = `${'x'.repeat(20_000)}${verdict.replace(/[^A-Za-z]/g, '')}`;
  const text = `one ${word} two`;
  const steps = tok.encodeSteps(text, { allowSpecial: false });
  let pauses = 0;
  let r = steps.next();
  while (!r.done) {
    pauses++;
    tok.encode('a hover in between', { allowSpecial: false });
    r = steps.next();
  }
  assert.ok(pauses >= 2, `${pauses} pauses inside one ${word.length}-unit piece`);
  const whole = tok.encode(text, { allowSpecial: false });
  assert.deepEqual(Array.from(r.value.ids), Array.from(whole.ids));
  assert.deepEqual(Array.from(r.value.spans), Array.from(whole.spans));
  assert.deepEqual(Array.from(r.value.ids), await oracle.ids(text, false, false));
});
