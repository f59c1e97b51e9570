import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lru } from '../../src/engine/lru';
import { DEFAULT_ROW_CACHE_BYTES, RowCache } from '../../src/engine/rowCache';
import { GgufError } from '../../src/engine/gguf/errors';
import { SafetensorsError } from '../../src/engine/safetensors/errors';

test('Lru: a read makes an entry recent, the least recent one is evicted and released', () => {
  const evicted: string[] = [];
  const lru = new Lru<number, string>(2, (v) => evicted.push(v));
  lru.set(1, 'a');
  lru.set(2, 'b');
  assert.equal(lru.get(1), 'a'); // 2 is now the least recent
  lru.set(3, 'c');
  assert.deepEqual(evicted, ['b']);
  assert.deepEqual([lru.has(1), lru.has(2), lru.has(3)], [true, false, true]);
  lru.set(1, 'a2'); // replacing a key evicts nothing
  assert.deepEqual(evicted, ['b']);
  assert.equal(lru.size, 2);
  lru.clear();
  assert.deepEqual(evicted, ['b', 'c', 'a2']);
  assert.equal(lru.size, 0);
});

test('Lru with capacity 0 keeps nothing', () => {
  const lru = new Lru<string, number>(0);
  lru.set('x', 1);
  assert.equal(lru.get('x'), undefined);
  assert.equal(lru.size, 0);
});

test('RowCache: rows within a byte budget, capped in count, none under one row', () => {
  assert.equal(new RowCache(768).capacity, Math.floor(DEFAULT_ROW_CACHE_BYTES / (768 * 4)));
  assert.equal(new RowCache(256, 256 * 4 * 2).capacity, 2);
  assert.equal(new RowCache(1).capacity, 65_536);
  assert.equal(new RowCache(4096, 4096 * 4 - 1).capacity, 0);
  assert.equal(new RowCache(4096, 0).capacity, 0);
});

test('coded engine errors keep their code and their own name', () => {
  const g = new GgufError('truncated', 'the file ends early');
  const s = new SafetensorsError('io', 'read failed');
  assert.deepEqual([g.name, g.code, g.message, g instanceof Error], ['GgufError', 'truncated', 'the file ends early', true]);
  assert.deepEqual([s.name, s.code, String(s)], ['SafetensorsError', 'io', 'SafetensorsError: read failed']);
});
