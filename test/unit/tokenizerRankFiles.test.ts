/**
 * Rank files: only r50k_base.json ships for gpt2 and r50k_base (identical ranks, see esbuild.mjs), and a
 * gpt2 tokenizer read from it still says gpt2 and gives tiktoken's gpt2 ids. Runs in its own process, so
 * `setRanksDirectory` here does not affect the other test files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTokenizer, setRanksDirectory } from '../../src/engine/tokenizer/index';
import { oracleEncode } from './tokenizerOracle.helpers';

const root = join(__dirname, '..', '..');
const distRanks = join(root, 'dist', 'ranks');

test('the build ships four rank files: no gpt2.json, r50k_base.json serves gpt2', () => {
  assert.deepEqual(readdirSync(distRanks).sort(), ['cl100k_base.json', 'o200k_base.json', 'p50k_base.json', 'r50k_base.json']);
});

test('gpt2 from a directory holding only r50k_base.json: named gpt2, tiktoken gpt2 ids', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ranks-'));
  try {
    copyFileSync(join(distRanks, 'r50k_base.json'), join(dir, 'r50k_base.json'));
    setRanksDirectory(dir);
    const tok = getTokenizer('gpt2');
    assert.equal(tok.encoding, 'gpt2');
    const text = readFileSync(join(root, 'test', 'fixtures', 'the-verdict.txt'), 'utf8').slice(0, 5000) + '<|endoftext|>';
    assert.deepEqual(Array.from(tok.encode(text, { allowSpecial: true }).ids), oracleEncode('gpt2', text, true));
    // p50k_base has no file there: the error names the directory, with no silent fallback to node_modules.
    assert.throws(() => getTokenizer('p50k_base'), /ranks for p50k_base not found \(looked in .*p50k_base\.json\)/);
  } finally {
    setRanksDirectory(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
