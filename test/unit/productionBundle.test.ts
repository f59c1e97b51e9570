// What ships: a real production build (esbuild.mjs --production, as `vscode:prepublish` runs it) into a temporary
// folder, read back. Test code — the worker's failure-injection hooks — must not be in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const HOOK_METHODS = ['__crash', '__throw', '__spin', '__work', '__stats', '__echo'];

test('the production worker bundle holds no test hooks, and no test worker is built for production', () => {
  const out = mkdtempSync(join(tmpdir(), 'te-production-'));
  try {
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${out}`], { cwd: root, stdio: 'pipe' });
    const files = readdirSync(out, { recursive: true }).map(String);
    assert.ok(files.includes('worker.js') && files.includes('extension.js'), `production build wrote ${files.join(', ')}`);
    assert.deepEqual(
      files.filter((f) => /test/i.test(f)),
      [],
      'no test bundle in a production build',
    );
    for (const bundle of files.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(out, bundle), 'utf8');
      for (const name of HOOK_METHODS) assert.ok(!code.includes(name), `${bundle} contains the test hook ${name}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the development build has the hooked test worker, so the check above looks for strings that do appear', () => {
  const hooked = join(root, 'dist', 'worker-test-hooks.js');
  assert.ok(existsSync(hooked), 'dist/worker-test-hooks.js is missing: run `npm run build` (npm run test:unit does)');
  const code = readFileSync(hooked, 'utf8');
  for (const name of HOOK_METHODS) assert.ok(code.includes(name), `test worker lacks ${name}`);
});
