// Runs every *.test.ts under the given folders with Node's built-in test runner (through tsx),
// so CI reads the runner's own summary. Node 20's --test does not expand globs itself.
//   node scripts/run-node-tests.mjs [--allow-empty] [--concurrency=N] DIR|FILE...
// --allow-empty: a folder with no tests yet (or missing) is a clean skip, not a failure.
// --concurrency: files run in parallel (default TEST_CONCURRENCY or 2); e2e uses 1, since each file
// drives its own VS Code and the machine has 2 cores.
import { spawnSync } from 'node:child_process';
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
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
