// Fixture of test/unit/runNodeTests.test.ts (not a *.test.ts file: no suite runs it by itself).
// RUNNER_FIXTURE_MODE: `pass`, `fail`, or `flaky` — fails the first time, when the marker file
// RUNNER_FIXTURE_MARKER does not exist yet, and passes on every later attempt.
import { existsSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';

test('the fixture test', () => {
  const mode = process.env.RUNNER_FIXTURE_MODE;
  if (mode === 'fail') throw new Error('fails every time');
  if (mode === 'flaky') {
    const marker = process.env.RUNNER_FIXTURE_MARKER!;
    if (!existsSync(marker)) {
      writeFileSync(marker, 'failed once\n');
      throw new Error('fails on the first attempt');
    }
  }
});
