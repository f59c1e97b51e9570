// scripts/run-node-tests.mjs with --retry-failed-files (the e2e suite's runner), on a fixture file whose
// test passes, fails, or fails only on its first attempt: a retry must never turn a flake into a pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const fixture = join('test', 'runner', 'flakyOnce.fixture.ts');

function withoutTestContext(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function runRunner(mode: 'pass' | 'fail' | 'flaky'): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  try {
    const r = spawnSync(process.execPath, ['scripts/run-node-tests.mjs', '--retry-failed-files=1', fixture], {
      cwd: root,
      encoding: 'utf8',
      // Without NODE_TEST_CONTEXT: inherited from this test run, it would make the nested runs report to us.
      env: { ...withoutTestContext(), RUNNER_FIXTURE_MODE: mode, RUNNER_FIXTURE_MARKER: join(dir, 'marker') },
    });
    return { status: r.status, out: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a file that passes at once: exit 0, no retry, no flake', () => {
  const { status, out } = runRunner('pass');
  assert.equal(status, 0, out);
  assert.match(out, /^1 passed, 0 failed, 0 skipped/m);
  assert.doesNotMatch(out, /running it again|FLAKY|FAILED/);
});

test('a file that fails every attempt: exit 1, named as failed', () => {
  const { status, out } = runRunner('fail');
  assert.equal(status, 1, out);
  assert.match(out, /running it again, attempt 2/);
  assert.match(out, /^0 passed, 1 failed, 0 skipped/m);
  assert.ok(out.includes(`FAILED: ${fixture} (every attempt)`), out);
});

test('a file that passes only on its retry is a flake: named with the test that failed first, and the run fails', () => {
  const { status, out } = runRunner('flaky');
  assert.equal(status, 1, out);
  assert.match(out, /^1 passed, 0 failed, 0 skipped/m);
  assert.ok(out.includes(`FLAKY: ${fixture} (passed on attempt 2; failed first: the fixture test)`), out);
  assert.match(out, /FLAKY: 1 file\(s\) passed only on a retry/);
});
