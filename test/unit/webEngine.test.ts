// The browser build's engine, run in Node under the browser condition (what esbuild bundles into
// dist/web/worker.js): the same ids and rows as the desktop engine, with every file coming from the host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { getTokenizer } from '../../src/engine/tokenizer';
import { buildSafetensors, f32Bytes, gridValue } from './helpers/safetensorsWriter';
import { fixtureDir } from '../support/reference';

test('the browser engine asks the host for each file once and matches the desktop engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'web-engine-'));
  try {
    const vocab = 50_257;
    const dim = 8;
    const values = new Float32Array(vocab * dim);
    for (let r = 0; r < vocab; r++) for (let c = 0; c < dim; c++) values[r * dim + c] = gridValue(r, c);
    const weightsPath = join(dir, 'wte.safetensors');
    writeFileSync(weightsPath, buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [vocab, dim], data: f32Bytes(values) }]));

    const text = readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8').slice(0, 2_000);
    const probe = join(__dirname, 'helpers', 'webEngineProbe.ts');
    const r = spawnSync(process.execPath, ['--conditions=browser', '--import', 'tsx', probe, text, weightsPath], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      requests: { kind: string; path: string }[];
      gpt2: number[];
      gpt2AgainLength: number;
      cl100k: number[];
      tokenRow0: number[];
      refused: string;
    };

    // Every file through the host, each once (the second gpt2 text reuses the loaded ranks): had the Node file
    // module been bundled, nothing would have been asked for.
    assert.deepEqual(out.requests, [
      { kind: 'bundled', path: 'ranks/r50k_base.json' },
      { kind: 'bundled', path: 'ranks/cl100k_base.json' },
      { kind: 'user', path: weightsPath },
      { kind: 'bundled', path: 'ranks/p50k_base.json' },
    ]);
    assert.deepEqual(out.gpt2, [...getTokenizer('gpt2').encode(text, { allowSpecial: false }).ids]);
    assert.equal(out.gpt2AgainLength, getTokenizer('gpt2').encode(`${text}!`, { allowSpecial: false }).ids.length);
    assert.deepEqual(out.cl100k, [...getTokenizer('cl100k_base').encode(text, { allowSpecial: false }).ids]);
    const first = out.gpt2[0]!;
    assert.deepEqual(out.tokenRow0, [...values.subarray(first * dim, (first + 1) * dim)], 'row of the weights file the host handed over');
    // A file the host cannot read: the host's own error, not a loop or a "not loaded" message.
    assert.equal(out.refused, 'invalidInput: cannot read ranks/p50k_base.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
