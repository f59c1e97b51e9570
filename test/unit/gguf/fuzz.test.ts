// Seeded mutation fuzz of the GGUF reader and the tables on top of it: every mutated file either loads (and then
// obeys the layout rules and reads every row) or fails with a GgufError — never another exception, hang or
// huge allocation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GgufEmbeddingTables, GgufError, parseGgufBytes, type GgufFile } from '../../../src/engine/gguf';
import { ggmlTypeByName } from '../../../src/engine/gguf/ggmlTypes';
import { MemoryByteSource } from '../../../src/engine/safetensors';
import { ggmlCase } from './fixtures';
import { rng } from '../tokenizerOracle.helpers';
import { f32s, i32s, str, strs, u32, writeGguf } from './ggufWriter';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const q6 = ggmlCase('Q6_K');
const q8 = ggmlCase('Q8_0');
const corpus: Uint8Array[] = [
  writeGguf({
    kvs: [
      ['general.architecture', str('llama')],
      ['llama.context_length', u32(4096)],
      ['tokenizer.ggml.model', str('llama')],
      ['tokenizer.ggml.tokens', strs(['<unk>', '<s>', '<0x41>', '▁a'])],
      ['tokenizer.ggml.scores', f32s([0, 0, 0, -1])],
      ['tokenizer.ggml.token_type', i32s([2, 3, 6, 1])],
      ['x.nested', { type: 'array', elementType: 'array', items: [{ type: 'array', elementType: 'u64', items: [1n, 2n] }] }],
    ],
    tensors: [
      { name: 'token_embd.weight', dims: [256, 3], typeId: ggmlTypeByName('Q6_K').id, data: q6.blocks },
      { name: 'output_norm.weight', dims: [4], typeId: 0, data: new Uint8Array(16) },
    ],
  }),
  writeGguf({
    version: 2,
    alignment: 64,
    kvs: [
      ['general.alignment', u32(64)],
      ['tokenizer.ggml.merges', strs(['a b', 'ab c'])],
      ['b', { type: 'bool', value: false }],
      ['f', { type: 'f64', value: 1.5 }],
    ],
    tensors: [{ name: 'token_embd.weight', dims: [64, 4], typeId: ggmlTypeByName('Q8_0').id, data: q8.blocks }],
  }),
  writeGguf({ tensors: [{ name: 'token_embd.weight', dims: [4, 2], typeId: 1, data: new Uint8Array(16).fill(0x3c) }] }),
];

const U64S = [0n, 1n, 2n, 3n, 4n, 5n, 13n, 32n, 255n, 2n ** 31n, 2n ** 32n, 2n ** 42n + 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 63n - 1n];
const U32S = [0, 1, 2, 4, 8, 9, 12, 13, 14, 30, 31, 99, 0xffffffff, 64, 48];

function mutate(r: () => number, base: Uint8Array): Uint8Array {
  let f = base.slice();
  const steps = 1 + Math.floor(r() * 3);
  for (let s = 0; s < steps; s++) {
    // Most structure lives in the first few hundred bytes; aim mutations there.
    const span = Math.max(1, Math.min(f.length, r() < 0.8 ? 400 : f.length));
    const at = Math.floor(r() * span);
    const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
    switch (Math.floor(r() * 7)) {
      case 0:
        if (f.length) f[at % f.length] ^= 1 << Math.floor(r() * 8);
        break;
      case 1:
        if (at + 8 <= f.length) v.setBigUint64(at, pick(r, U64S), true);
        break;
      case 2:
        if (at + 4 <= f.length) v.setUint32(at, pick(r, U32S), true);
        break;
      case 3:
        f = f.slice(0, Math.floor(r() * f.length));
        break;
      case 4: {
        const g = new Uint8Array(f.length + 1 + Math.floor(r() * 40));
        g.set(f);
        for (let i = f.length; i < g.length; i++) g[i] = Math.floor(r() * 256);
        f = g;
        break;
      }
      case 5: {
        // delete or duplicate a few bytes (shifts everything after)
        const n = 1 + Math.floor(r() * 8);
        f = r() < 0.5 ? new Uint8Array([...f.subarray(0, at), ...f.subarray(at + n)]) : new Uint8Array([...f.subarray(0, at + n), ...f.subarray(at)]);
        break;
      }
      default:
        if (at + 4 <= f.length) v.setUint32(at, Math.floor(r() * 2 ** 32), true);
    }
  }
  return f;
}

function checkLoaded(g: GgufFile, size: number): void {
  assert.ok(g.alignment > 0 && (g.alignment & (g.alignment - 1)) === 0);
  const spans = [...g.tensors.values()].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const t of spans) {
    assert.equal(t.offset % g.alignment, 0);
    assert.ok(t.offset >= end, 'overlap');
    assert.ok(t.fileOffset + t.byteLength <= size, 'past EOF');
    end = t.offset + t.byteLength;
  }
}

test('seeded mutation fuzz: every mutated GGUF loads correctly or fails with a GgufError', { timeout: 120_000 }, () => {
  const r = rng(0x6a11f00d);
  const outcomes = new Map<string, number>();
  const CASES = 15_000;
  for (let i = 0; i < CASES; i++) {
    const file = mutate(r, corpus[i % corpus.length]);
    let outcome: string;
    try {
      const g = parseGgufBytes(file, 'fuzz');
      checkLoaded(g, file.length);
      outcome = 'loaded';
      try {
        const t = GgufEmbeddingTables.open('fuzz', { source: new MemoryByteSource(file), header: g });
        const all = t.tokenRowsRange(0, t.vocabSize);
        assert.deepEqual(t.tokenRows([t.vocabSize - 1]), all.slice((t.vocabSize - 1) * t.dim));
        t.dispose();
        outcome = 'opened';
      } catch (e) {
        if (!(e instanceof GgufError)) throw new Error(`case ${i}: tables threw ${e instanceof Error ? e.stack : String(e)}`);
      }
    } catch (e) {
      if (!(e instanceof GgufError)) {
        throw new Error(`case ${i}: ${e instanceof Error ? e.stack : String(e)}\nfile: ${Buffer.from(file).toString('base64')}`);
      }
      outcome = e.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  if (process.env.FUZZ_VERBOSE) console.log(outcomes);
  assert.ok((outcomes.get('opened') ?? 0) > CASES * 0.02, JSON.stringify([...outcomes]));
  assert.ok(outcomes.size >= 12, `only ${outcomes.size} outcomes: ${JSON.stringify([...outcomes])}`);
});
