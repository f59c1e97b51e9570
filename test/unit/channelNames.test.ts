// One style for supersession channel names (src/shared/rpc.ts RpcRequest.channel): every literal in the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT, sourceFiles } from './helpers/sourceFiles';

const STYLE = /^[a-z][A-Za-z0-9]*(:\$\{[^}]+\}|:[A-Za-z0-9]+)?$/;

test('channel names are camelCase, with `:` before a per-item part', () => {
  const names: string[] = [];
  const bad: string[] = [];
  for (const file of sourceFiles('src', 'webview')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bchannel: (['`])([^'`]*)\1/g)) {
      names.push(m[2]!);
      if (!STYLE.test(m[2]!)) bad.push(`${relative(REPO_ROOT, file)}: ${m[2]}`);
    }
  }
  assert.ok(names.length >= 10, `found only ${names.length} channel names: has the call form changed? ${names.join(', ')}`);
  assert.ok(names.includes('analysis:${kind}') && names.includes('highlight:${doc.uri.toString()}'), names.join(', '));
  assert.deepEqual(bad, []);
});
