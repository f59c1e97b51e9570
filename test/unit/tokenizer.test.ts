import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTokenizer, displayBytes } from '../../src/engine/tokenizer/index';
import type { EncodingName } from '../../src/shared/embeddingTypes';
import { expectedSpans, oracle, oracleEncode, oracleThrows } from './tokenizerOracle.helpers';

const ALL: EncodingName[] = ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'];
const verdict = readFileSync(join(__dirname, '..', 'fixtures', 'the-verdict.txt'), 'utf8');

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('the-verdict: gpt2 gives 5,145 tokens with the known first ids', () => {
  const first = [
    40, 367, 2885, 1464, 1807, 3619, 402, 271, 10899, 2138, 257, 7026, 15632, 438, 2016, 257, 922, 5891, 1576, 438, 568, 340, 373, 645, 1049, 5975, 284, 502,
    284, 3285, 326, 11,
  ];
  for (const name of ['gpt2', 'r50k_base'] as const) {
    const enc = getTokenizer(name).encode(verdict, { allowSpecial: false });
    assert.equal(enc.ids.length, 5145);
    assert.deepEqual(Array.from(enc.ids.slice(0, first.length)), first);
  }
});

test('the-verdict: spans are contiguous and reconstruct the text in every encoding', () => {
  for (const name of ALL) {
    const tok = getTokenizer(name);
    const enc = tok.encode(verdict, { allowSpecial: false });
    assert.equal(enc.spans.length, enc.ids.length * 2);
    let text = '';
    let prevEnd = 0;
    for (let k = 0; k < enc.ids.length; k++) {
      const [s, e] = [enc.spans[2 * k], enc.spans[2 * k + 1]];
      assert.equal(s, prevEnd, `${name}: token ${k} starts where the previous ended`);
      assert.ok(e > s);
      text += verdict.slice(s, e);
      prevEnd = e;
    }
    assert.equal(text, verdict);
    assert.deepEqual(Array.from(enc.spans), expectedSpans(tok, verdict, enc));
  }
});

test('vocabSize is max id + 1 including specials, as tiktoken has it', () => {
  const expected: Record<EncodingName, number> = {
    gpt2: 50257,
    r50k_base: 50257,
    p50k_base: 50281,
    cl100k_base: 100277,
    o200k_base: 200019,
  };
  for (const name of ALL) {
    const tok = getTokenizer(name);
    assert.equal(tok.encoding, name);
    assert.equal(tok.vocabSize, expected[name]);
    assert.throws(() => tok.tokenBytes(tok.vocabSize), RangeError);
    assert.throws(() => tok.tokenBytes(-1), RangeError);
    // The top id exists in tiktoken (and ours); every sampled mergeable token's bytes match tiktoken's.
    const ref = oracle(name);
    assert.deepEqual(tok.tokenBytes(tok.vocabSize - 1), ref.decode_single_token_bytes(tok.vocabSize - 1));
    for (const id of [0, 1, 255, 256, 1000, 12345, 50255, tok.vocabSize - 30]) {
      assert.deepEqual(tok.tokenBytes(id), ref.decode_single_token_bytes(id), `${name} token ${id}`);
    }
  }
  // Ids inside the range that no token uses (cl100k 100261..100275) are errors, not garbage.
  assert.throws(() => getTokenizer('cl100k_base').tokenBytes(100261), RangeError);
});

test('getTokenizer caches one instance per encoding and rejects unknown names clearly', () => {
  assert.equal(getTokenizer('gpt2'), getTokenizer('gpt2'));
  assert.notEqual(getTokenizer('gpt2'), getTokenizer('r50k_base'));
  assert.throws(() => getTokenizer('gpt5' as EncodingName), /unknown encoding "gpt5"; expected one of gpt2/);
});

test('partial characters: tokens show their bytes as <0x..> and span the whole character', () => {
  const text = 'I 😀 emoji, 中文字符 and 👨‍👩‍👧 families 𠀀!';
  for (const name of ALL) {
    const tok = getTokenizer(name);
    const enc = tok.encode(text, { allowSpecial: false });
    assert.deepEqual(Array.from(enc.ids), oracleEncode(name, text));
    assert.deepEqual(Array.from(enc.spans), expectedSpans(tok, text, enc));
    const infos = tok.tokenInfos(text, enc, 0, enc.ids.length);
    const allBytes = infos.flatMap((t) => t.bytes);
    assert.deepEqual(allBytes, Array.from(utf8(text)));
    let partial = 0;
    for (const t of infos) {
      assert.ok(!t.text.includes('\uFFFD'), `${name}: ${JSON.stringify(t.text)} shows no replacement char`);
      const valid = (() => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(t.bytes));
          return true;
        } catch {
          return false;
        }
      })();
      if (!valid) {
        partial++;
        assert.match(t.text, /<0x[0-9A-F]{2}( 0x[0-9A-F]{2})*>/);
      } else {
        assert.equal(t.text, new TextDecoder().decode(Uint8Array.from(t.bytes)));
      }
      // A span never cuts a surrogate pair.
      assert.ok(!/^[\udc00-\udfff]/.test(text.slice(t.start)), `${name}: span start inside a surrogate pair`);
      assert.ok(!/[\ud800-\udbff]$/.test(text.slice(0, t.end)), `${name}: span end inside a surrogate pair`);
    }
    assert.ok(partial > 0, `${name}: the sample splits at least one character across tokens`);
  }
});

test('a split emoji: both tokens span the emoji and show their own bytes (gpt2)', () => {
  const tok = getTokenizer('gpt2');
  const text = '😀';
  const enc = tok.encode(text, { allowSpecial: false });
  assert.deepEqual(Array.from(enc.ids), oracleEncode('gpt2', text));
  assert.ok(enc.ids.length >= 2);
  const infos = tok.tokenInfos(text, enc, 0, enc.ids.length);
  for (const t of infos) {
    assert.equal(t.start, 0);
    assert.equal(t.end, 2);
    assert.equal(t.text, `<${t.bytes.map((b) => `0x${b.toString(16).toUpperCase()}`).join(' ')}>`);
  }
  assert.deepEqual(
    infos.flatMap((t) => t.bytes),
    [0xf0, 0x9f, 0x98, 0x80],
  );
});

test('lone surrogates are encoded as U+FFFD (as tiktoken sees them) with one-unit spans', () => {
  for (const name of ALL) {
    const tok = getTokenizer(name);
    const text = 'a\ud800b \udfff\ud83d';
    const enc = tok.encode(text, { allowSpecial: false });
    assert.deepEqual(Array.from(enc.ids), oracleEncode(name, text));
    assert.deepEqual(Array.from(enc.ids), Array.from(tok.encode('a\ufffdb \ufffd\ufffd', { allowSpecial: false }).ids));
    assert.deepEqual(Array.from(enc.spans), expectedSpans(tok, text, enc));
  }
});

test('special-token text: plain text by default, the special token with allowSpecial, never throws', () => {
  const specials: Record<EncodingName, Record<string, number>> = {
    gpt2: { '<|endoftext|>': 50256 },
    r50k_base: { '<|endoftext|>': 50256 },
    p50k_base: { '<|endoftext|>': 50256 },
    cl100k_base: {
      '<|endoftext|>': 100257,
      '<|fim_prefix|>': 100258,
      '<|fim_middle|>': 100259,
      '<|fim_suffix|>': 100260,
      '<|endofprompt|>': 100276,
    },
    o200k_base: { '<|endoftext|>': 199999, '<|endofprompt|>': 200018 },
  };
  for (const name of ALL) {
    const tok = getTokenizer(name);
    for (const [special, id] of Object.entries(specials[name])) {
      const text = `Hello${special} world\n${special}${special}<|not special|>`;
      const plain = tok.encode(text, { allowSpecial: false });
      assert.deepEqual(Array.from(plain.ids), oracleEncode(name, text, false), `${name} plain ${special}`);
      assert.ok(!Array.from(plain.ids).includes(id));
      assert.deepEqual(Array.from(plain.spans), expectedSpans(tok, text, plain));

      const allowed = tok.encode(text, { allowSpecial: true });
      assert.deepEqual(Array.from(allowed.ids), oracleEncode(name, text, true), `${name} allowSpecial ${special}`);
      const at = Array.from(allowed.ids).indexOf(id);
      assert.equal(Array.from(allowed.ids).filter((x) => x === id).length, 3);
      assert.equal(allowed.spans[2 * at], 5);
      assert.equal(allowed.spans[2 * at + 1], 5 + special.length);
      const info = tok.tokenInfos(text, allowed, at, at + 1)[0];
      assert.deepEqual(info, { id, start: 5, end: 5 + special.length, bytes: Array.from(utf8(special)), text: special });
      assert.deepEqual(tok.tokenBytes(id), utf8(special));
    }
  }
  // gpt2's end-of-text token by itself.
  assert.deepEqual(Array.from(getTokenizer('gpt2').encode('<|endoftext|>', { allowSpecial: true }).ids), [50256]);
  assert.ok(getTokenizer('gpt2').encode('<|endoftext|>', { allowSpecial: false }).ids.length > 1);
});

test('empty text and tokenInfos ranges', () => {
  const tok = getTokenizer('cl100k_base');
  const empty = tok.encode('', { allowSpecial: true });
  assert.equal(empty.ids.length, 0);
  assert.equal(empty.spans.length, 0);
  const enc = tok.encode('Hello world', { allowSpecial: false });
  assert.deepEqual(
    tok.tokenInfos('Hello world', enc, 1, 2).map((t) => [t.id, t.start, t.end, t.text]),
    [[1917, 5, 11, ' world']],
  );
  assert.throws(() => tok.tokenInfos('Hello world', enc, 0, 3), RangeError);
});

test('displayBytes: whole characters as text, broken sequences as hex', () => {
  assert.equal(displayBytes([0x48, 0x69]), 'Hi');
  assert.equal(displayBytes([0x20, 0xf0, 0x9f]), ' <0xF0 0x9F>');
  assert.equal(displayBytes([0x98, 0x80, 0x21]), '<0x98 0x80>!');
  assert.equal(displayBytes([0xe4, 0xb8, 0xad, 0xe6]), '中<0xE6>');
  assert.equal(displayBytes([0xef, 0xbf, 0xbd]), '\uFFFD'); // a real U+FFFD stays itself
  assert.equal(displayBytes([0xc0, 0x80]), '<0xC0 0x80>'); // overlong
  assert.equal(displayBytes([0xed, 0xa0, 0x80]), '<0xED 0xA0 0x80>'); // encoded surrogate
});

// Last: these calls make tiktoken throw, which leaves its encoder unusable.
test('tiktoken has no id at vocabSize either, nor cl100k 100261', () => {
  for (const name of ALL) {
    const size = getTokenizer(name).vocabSize;
    assert.ok(
      oracleThrows(name, (enc) => enc.decode_single_token_bytes(size)),
      name,
    );
  }
  assert.ok(oracleThrows('cl100k_base', (enc) => enc.decode_single_token_bytes(100261)));
});

test('encodeSteps pauses on long texts and, interleaved with other encodes, gives exactly the oracle ids and the spans of encode', () => {
  // Prose with special-token text in it, long enough for many steps; two stepped encodes advanced in turn share
  // the tokenizer's buffers, piece cache and special-token pattern, as the worker's interleaved requests do.
  const long = verdict.repeat(4);
  const text = `${long.slice(0, 40_000)}<|endoftext|>${long.slice(40_000)}<|endoftext|> tail`;
  const other = `${verdict.slice(10_000)} 12345678901234567890 <|endoftext|>`.repeat(2);
  for (const encoding of ['gpt2', 'cl100k_base', 'o200k_base'] as EncodingName[]) {
    const tok = getTokenizer(encoding);
    for (const allowSpecial of [false, true]) {
      const a = tok.encodeSteps!(text, { allowSpecial });
      const b = tok.encodeSteps!(other, { allowSpecial });
      let pauses = 0;
      let ra = a.next();
      let rb = b.next();
      while (!ra.done || !rb.done) {
        if (!ra.done) {
          ra = a.next();
          pauses++;
        }
        tok.encode('interleaved <|endoftext|> text', { allowSpecial }); // a hover in between
        if (!rb.done) rb = b.next();
      }
      assert.ok(pauses >= 4, `${encoding}: ${pauses} pauses over ${text.length} units`);
      for (const [r, s] of [
        [ra.value, text],
        [rb.value, other],
      ] as const) {
        assert.deepEqual(Array.from(r.ids), oracleEncode(encoding, s, allowSpecial), `${encoding} allowSpecial=${allowSpecial}`);
        const whole = tok.encode(s, { allowSpecial });
        assert.deepEqual(r.spans, whole.spans);
      }
    }
  }
});
