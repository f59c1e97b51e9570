// Runs every *.test.ts under the given folders with Node's built-in test runner (through tsx),
// so CI reads the runner's own summary. Node 20's --test does not expand globs itself.
//   node scripts/run-node-tests.mjs [--allow-empty] [--concurrency=N] DIR|FILE...
// --allow-empty: a folder with no tests yet (or missing) is a clean skip, not a failure.
// --concurrency: files run in parallel (default TEST_CONCURRENCY or 2); e2e uses 1, since each file
// drives its own VS Code and the machine has 2 cores.
// --retry-failed-files=N: run the files one at a time and run a failed file again, up to N more times.
// Only for the end-to-end suite, where a real VS Code in a real browser is slow to tell apart a broken
// test from a flaky one. A retry never turns red into green: a file that passed only on a retry is a
// FLAKE, named with the tests that failed first in the closing summary, and the run still exits 1. A
// flake is a race in a test or in the extension — exactly what retries used to hide. The retry only
// tells the reader which of the two it is (flaky: fix the wait; failing every time: fix the code).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  if (statSync(dir).isFile()) return [dir];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const allowEmpty = args.includes('--allow-empty');
const concurrencyArg = args.find((a) => a.startsWith('--concurrency='))?.split('=')[1];
const dirs = args.filter((a) => !a.startsWith('--'));
const files = dirs.flatMap((d) => (allowEmpty && !existsSync(d) ? [] : collect(d)));
if (files.length === 0) {
  if (allowEmpty) {
    console.log(`no test files under ${dirs.join(', ')} yet: skipped`);
    process.exit(0);
  }
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const concurrency = concurrencyArg ?? process.env.TEST_CONCURRENCY ?? '2';
const retriesArg = args.find((a) => a.startsWith('--retry-failed-files='))?.split('=')[1];
if (retriesArg !== undefined) process.exit(await runFilesWithRetries(files, Number(retriesArg)));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);

/** Runs one file with the spec reporter, echoing its output; resolves to its exit code, counts and failed tests. */
function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk.toString();
    });
    child.on('close', (code) => {
      const count = (name) => Number(out.match(new RegExp(`^ℹ ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
      // The spec reporter lists failures as "✖ <name> (<ms>ms)"; suites repeat them: keep each name once.
      const failedTests = [...new Set([...out.matchAll(/^\s*✖ (.+?) \([\d.]+ms\)$/gm)].map((m) => m[1]))];
      resolve({ code: code ?? 1, pass: count('pass'), fail: count('fail'), skipped: count('skipped'), failedTests });
    });
  });
}

async function runFilesWithRetries(list, retries) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failedFiles = [];
  const flakes = [];
  for (const file of list) {
    let result = await runFile(file);
    const firstFailures = result.failedTests;
    let attempts = 1;
    for (; result.code !== 0 && attempts <= retries; attempts++) {
      console.log(`\n# ${file} failed (exit ${result.code}, ${result.fail} failed): running it again, attempt ${attempts + 1}\n`);
      result = await runFile(file);
    }
    passed += result.pass;
    failed += result.fail;
    skipped += result.skipped;
    if (result.code !== 0) {
      failedFiles.push(file);
      if (result.fail === 0) failed++; // the file failed without a failing test (crash, load error): count it
    } else if (attempts > 1) {
      flakes.push({ file, attempts, tests: firstFailures });
    }
  }
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped (last attempt of each file)`);
  for (const file of failedFiles) console.log(`FAILED: ${file} (every attempt)`);
  if (flakes.length > 0) {
    console.log(`\n${'!'.repeat(72)}\nFLAKY: ${flakes.length} file(s) passed only on a retry. A flake is a bug: this run fails.`);
    for (const f of flakes) {
      console.log(`FLAKY: ${f.file} (passed on attempt ${f.attempts}; failed first: ${f.tests.length ? f.tests.join(' | ') : 'no test named (crash?)'})`);
    }
    console.log('!'.repeat(72));
  }
  return failedFiles.length === 0 && flakes.length === 0 ? 0 : 1;
}
