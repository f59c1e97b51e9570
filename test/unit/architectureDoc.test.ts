// docs/architecture.md names the code by its files: every link must lead to a file or folder that exists, so a
// rename or a deletion that leaves the page behind fails here instead of misleading the next reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { REPO_ROOT as root } from './helpers/sourceFiles';

test('every file the architecture page links to exists', () => {
  const page = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const links = [...page.matchAll(/\]\((\.\.\/[^)#\s]+)/g)].map((m) => normalize(join('docs', m[1]!)));
  assert.ok(links.length >= 40, `only ${links.length} links found: has the link form changed?`);
  assert.deepEqual(
    links.filter((l) => !existsSync(join(root, l))),
    [],
  );
});
