// Seeded mutation fuzz of the header parser and the tables built on it: every mutated file either loads
// (and then agrees with JSON.parse and with the layout rules) or fails with a SafetensorsError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DTYPE_BITS,
  FileEmbeddingTables,
  MemoryByteSource,
  parseSafetensorsBytes,
  SafetensorsError,
  type SafetensorsHeader,
} from '../../src/engine/safetensors';
import { buildSafetensors, f32Bytes, headerPrefix, u16Bytes } from './helpers/safetensorsWriter';

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

const corpus: Uint8Array[] = [
  buildSafetensors(
    [
      { name: 'wte.weight', dtype: 'F32', shape: [5, 4], data: f32Bytes(seq(20, (i) => i / 8 - 1)) },
      { name: 'wpe.weight', dtype: 'F32', shape: [3, 4], data: f32Bytes(seq(12, (i) => -i / 4)) },
    ],
    { format: 'pt' },
  ),
  buildSafetensors([{ name: 'model.embed_tokens.weight', dtype: 'F16', shape: [4, 2], data: u16Bytes(seq(8, (i) => 0x3c00 + i)) }]),
  buildSafetensors([
    { name: 'a', dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 3]) },
    { name: 'b', dtype: 'BOOL', shape: [1, 1], data: new Uint8Array([1]) },
    { name: 'c', dtype: 'F4', shape: [2, 2], data: new Uint8Array([0x12, 0x34]) },
    { name: 'd', dtype: 'BF16', shape: [2, 3], data: u16Bytes(seq(6, (i) => 0x3f80 + i)) },
  ]),
  buildSafetensors([], {}),
];

const INTERESTING_BYTES = [0x7b, 0x7d, 0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x30, 0x39, 0x2d, 0x2e, 0x65, 0x5c, 0x20, 0xff, 0xc3, 0xef, 0x00];
const NUMBERS = ['0', '1', '-1', '2', '1.5', '1e3', '9007199254740991', '9007199254740992', '18446744073709551616', '4294967296', '00', '-0'];
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\u0000',
  '\\ud800',
  'null',
  'true',
  '"__proto__"',
  '"dtype"',
  '"F32"',
  '"F64"',
  '"I8"',
  '"X"',
  ' ',
  '\n',
];
const DTYPES = [...DTYPE_BITS.keys(), 'F128', 'f32', ''];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function headerText(file: Uint8Array): string | null {
  if (file.length < 8) return null;
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  if (n > file.length - 8) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(8, 8 + n));
  } catch {
    return null;
  }
}

function withHeader(file: Uint8Array, text: string, pad: boolean): Uint8Array {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const prefix = headerPrefix(text, pad);
  const out = new Uint8Array(prefix.length + file.length - 8 - n);
  out.set(prefix);
  out.set(file.subarray(8 + n), prefix.length);
  return out;
}

function jsonEdit(r: () => number, file: Uint8Array): Uint8Array {
  const text = headerText(file);
  if (text === null) return file;
  let t = text.trimEnd();
  const at = Math.floor(r() * (t.length + 1));
  switch (Math.floor(r() * 7)) {
    case 0: {
      // replace a number
      const nums = [...t.matchAll(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g)];
      if (nums.length) {
        const m = pick(r, nums);
        t = t.slice(0, m.index) + pick(r, NUMBERS) + t.slice(m.index! + m[0].length);
      }
      break;
    }
    case 1: // delete a span
      t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 8));
      break;
    case 2: // insert a token
      t = t.slice(0, at) + pick(r, TOKENS) + t.slice(at);
      break;
    case 3: {
      // duplicate a "key":{…} member
      const m = [...t.matchAll(/"[^"]*":\{[^{}]*\}/g)];
      if (m.length) {
        const x = pick(r, m);
        t = t.slice(0, x.index! + x[0].length) + ',' + x[0] + t.slice(x.index! + x[0].length);
      }
      break;
    }
    case 4: {
      // change a dtype
      const m = [...t.matchAll(/"dtype":"([^"]*)"/g)];
      if (m.length) {
        const x = pick(r, m);
        t = t.slice(0, x.index!) + `"dtype":${JSON.stringify(pick(r, DTYPES))}` + t.slice(x.index! + x[0].length);
      }
      break;
    }
    case 5: // add a hostile name
      t = t.replace(
        '{',
        `{"${pick(r, ['__proto__', 'constructor', 'toString', '__metadata__'])}":${pick(r, ['{}', '{"dtype":"U8","shape":[0],"data_offsets":[0,0]}', '"x"', '{"a":"b"}'])},`,
      );
      break;
    case 6: {
      // edit a shape or offsets array
      const m = [...t.matchAll(/\[[^[\]]*\]/g)];
      if (m.length) {
        const x = pick(r, m);
        const edits = ['[]', '[0]', '[1,1]', '[0,0,0]', `[${pick(r, NUMBERS)},${pick(r, NUMBERS)}]`, '[1,[2]]', '["1"]'];
        t = t.slice(0, x.index!) + pick(r, edits) + t.slice(x.index! + x[0].length);
      }
      break;
    }
  }
  return withHeader(file, t, r() < 0.8);
}

function mutate(r: () => number, base: Uint8Array): Uint8Array {
  let f: Uint8Array = base.slice();
  const steps = 1 + Math.floor(r() * 3);
  for (let s = 0; s < steps; s++) {
    const headerEnd = Math.min(f.length, 8 + Number(f.length >= 8 ? new DataView(f.buffer, f.byteOffset).getBigUint64(0, true) % 100000n : 0n));
    switch (Math.floor(r() * 7)) {
      case 0: {
        if (f.length === 0) break;
        const i = Math.floor(r() * Math.max(1, headerEnd));
        f[i] ^= 1 << Math.floor(r() * 8);
        break;
      }
      case 1: {
        if (f.length === 0) break;
        f[Math.floor(r() * Math.max(1, headerEnd))] = pick(r, INTERESTING_BYTES);
        break;
      }
      case 2:
        f = f.slice(0, Math.floor(r() * f.length));
        break;
      case 3: {
        const extra = new Uint8Array(1 + Math.floor(r() * 9));
        for (let i = 0; i < extra.length; i++) extra[i] = Math.floor(r() * 256);
        const g = new Uint8Array(f.length + extra.length);
        g.set(f);
        g.set(extra, f.length);
        f = g;
        break;
      }
      case 4: {
        if (f.length < 8) break;
        const v = new DataView(f.buffer, f.byteOffset);
        const n = v.getBigUint64(0, true);
        const choices = [n + 1n, n - 1n, n + 8n, n - 8n, 0n, 2n ** 64n - 1n, 2n ** 32n + n, BigInt(f.length), 100_000_000n, 100_000_001n];
        v.setBigUint64(0, BigInt.asUintN(64, pick(r, choices)), true);
        break;
      }
      default:
        f = jsonEdit(r, f);
    }
  }
  return f;
}

/** A loaded header must obey every layout rule and agree with JSON.parse. */
function checkLoaded(h: SafetensorsHeader, file: Uint8Array): void {
  let expected = 0;
  for (const t of h.tensors.values()) {
    assert.equal(t.dataOffsets[0], expected);
    const elements = t.shape.reduce((a, b) => a * BigInt(b), 1n);
    assert.equal(BigInt(t.dataOffsets[1] - t.dataOffsets[0]) * 8n, elements * BigInt(DTYPE_BITS.get(t.dtype)!));
    expected = t.dataOffsets[1];
  }
  assert.equal(expected, file.length - h.dataStart);
  const parsed = JSON.parse(new TextDecoder().decode(file.subarray(8, h.dataStart))) as Record<string, unknown>;
  const names = Object.keys(parsed).filter((k) => k !== '__metadata__');
  assert.deepEqual(names.sort(), [...h.tensors.keys()].sort());
  for (const name of names) {
    const info = parsed[name] as { dtype: string; shape: number[]; data_offsets: number[] };
    const t = h.tensors.get(name)!;
    assert.equal(info.dtype, t.dtype);
    assert.deepEqual(info.shape, t.shape);
    assert.deepEqual(info.data_offsets, t.dataOffsets);
  }
}

test('seeded mutation fuzz: every mutated file loads correctly or fails with a SafetensorsError', { timeout: 60_000 }, () => {
  const r = rng(0x5afe7e45);
  const outcomes = new Map<string, number>();
  const CASES = 20_000;
  for (let i = 0; i < CASES; i++) {
    const base = corpus[i % corpus.length];
    const file = mutate(r, base);
    let outcome: string;
    try {
      const h = parseSafetensorsBytes(file, 'fuzz');
      checkLoaded(h, file);
      outcome = 'loaded';
      // Whatever loaded must also be safe to open as tables and read.
      try {
        const t = FileEmbeddingTables.open('fuzz', { source: new MemoryByteSource(file) });
        const all = t.tokenRowsRange(0, t.vocabSize);
        assert.equal(all.length, t.vocabSize * t.dim);
        assert.deepEqual(t.tokenRows([t.vocabSize - 1]), all.slice((t.vocabSize - 1) * t.dim));
        if (t.hasPositionTable) t.positionRows([t.contextLength - 1]);
        t.dispose();
        outcome = 'opened';
      } catch (e) {
        if (!(e instanceof SafetensorsError)) throw new Error(`case ${i}: tables threw ${String(e)}`);
      }
    } catch (e) {
      if (!(e instanceof SafetensorsError)) {
        throw new Error(`case ${i}: ${e instanceof Error ? e.stack : String(e)}\nfile: ${Buffer.from(file).toString('base64')}`);
      }
      outcome = e.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  if (process.env.FUZZ_VERBOSE) console.log(outcomes);
  // The fuzz must actually exercise both sides and many rules, or it proves nothing.
  assert.ok((outcomes.get('loaded') ?? 0) + (outcomes.get('opened') ?? 0) > CASES * 0.02, JSON.stringify([...outcomes]));
  assert.ok((outcomes.get('opened') ?? 0) > 0, JSON.stringify([...outcomes]));
  assert.ok(outcomes.size >= 12, `only ${outcomes.size} outcomes: ${JSON.stringify([...outcomes])}`);
});
