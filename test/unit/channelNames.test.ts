// One style for supersession channel names (src/shared/rpc.ts RpcRequest.channel): every literal in the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const STYLE = /^[a-z][A-Za-z0-9]*(:\$\{[^}]+\}|:[A-Za-z0-9]+)?$/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

test('channel names are camelCase, with `:` before a per-item part', () => {
  const names: string[] = [];
  const bad: string[] = [];
  for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'webview'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bchannel: (['`])([^'`]*)\1/g)) {
      names.push(m[2]!);
      if (!STYLE.test(m[2]!)) bad.push(`${relative(root, file)}: ${m[2]}`);
    }
  }
  assert.ok(names.length >= 10, `found only ${names.length} channel names: has the call form changed? ${names.join(', ')}`);
  assert.ok(names.includes('analysis:${kind}') && names.includes('highlight:${doc.uri.toString()}'), names.join(', '));
  assert.deepEqual(bad, []);
});
