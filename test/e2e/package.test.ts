// What `npm run package` produced (test:e2e packages first): the .vsix users install, read as a zip.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { vsixPath } from '../../scripts/code-server';

interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** Lists a zip's entries from its central directory (no zip library in the project). */
function readZip(path: string): Map<string, ZipEntry> {
  const zip = readFileSync(path);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${path} is a zip`);
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localHeader = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name, {
      name,
      read() {
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const data = zip.subarray(start, start + compressedSize);
        return method === 0 ? data : inflateRawSync(data);
      },
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const entries = readZip(vsixPath);
const names = [...entries.keys()];
const file = (name: string): Buffer => {
  const entry = entries.get(`extension/${name}`);
  assert.ok(entry, `extension/${name} is in the package`);
  return entry.read();
};

test('the .vsix holds the bundles, every encoding, the docs and the icon', () => {
  for (const name of ['dist/extension.js', 'dist/worker.js', 'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt']) {
    file(name);
  }
  // gpt2 is served by r50k_base.json (identical ranks, checked by esbuild.mjs), so four files ship.
  const rankFiles = names.filter((n) => n.startsWith('extension/dist/ranks/')).sort();
  assert.deepEqual(
    rankFiles,
    ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base'].map((e) => `extension/dist/ranks/${e}.json`),
  );
  for (const encoding of ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']) {
    const ranks = JSON.parse(file(`dist/ranks/${encoding}.json`).toString('utf8')) as { bpe_ranks?: unknown };
    assert.ok(ranks.bpe_ranks, `${encoding} ranks are plain JSON with bpe_ranks`);
  }
  const manifest = JSON.parse(file('package.json').toString('utf8')) as {
    icon: string;
    main: string;
    categories: string[];
    keywords: string[];
  };
  assert.ok(entries.has(`extension/${manifest.main.replace(/^\.\//, '')}`));
  assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0);
  const icon = file(manifest.icon);
  assert.equal(icon.toString('latin1', 1, 4), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'icon is 128×128');
});

test('every image the README shows is packaged with it', () => {
  const readme = file('readme.md').toString('utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length > 0, 'the README has screenshots');
  // The details page loads only https: and data: images: the packaged README inlines its pictures.
  for (const image of images) assert.match(image, /^data:image\/(png|jpeg|gif);base64,/, `${image.slice(0, 60)} renders in the details page`);
  assert.deepEqual(
    names.filter((n) => n.startsWith('extension/media/screenshots/')),
    [],
    'the e2e screenshots stay out of the package',
  );
});

test('no sources, tests, source maps or node_modules are packaged', () => {
  const bloat = names.filter(
    (n) => /^extension\/(src|test|webview|samples|scripts|bench|node_modules|out|\.vscode-test)\//.test(n) || /\.(ts|map|vsix)$/.test(n),
  );
  assert.deepEqual(bloat, []);
  assert.ok(statSync(vsixPath).size < 5 * 1024 * 1024, `package is ${statSync(vsixPath).size} bytes`);
});

test('the bundles are minified production builds', () => {
  for (const bundle of ['dist/extension.js', 'dist/worker.js']) {
    const code = file(bundle).toString('utf8');
    assert.doesNotMatch(code, /\n {2}\S/, `${bundle} has no indented lines`);
    assert.doesNotMatch(code, /sourceMappingURL/, `${bundle} links no source map`);
  }
});
