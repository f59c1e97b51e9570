// Writes the README the .vsix carries (out/vsix/README.md, passed to vsce with --readme-path): README.md with
// each local image inlined as a data: URI. VS Code's extension details page only loads https: and data:
// images (its Content-Security-Policy), so a relative `media/…png` shows as a broken image there, and the
// package need not carry the screenshots folder (about 1.8 MB) for the one picture the README shows.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

const readme = readFileSync(join(root, 'README.md'), 'utf8');
let inlined = 0;
const out = readme.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, src) => {
  if (/^[a-z]+:/i.test(src)) return whole; // https:, data: — already loadable
  const type = TYPES[extname(src).toLowerCase()];
  if (!type) throw new Error(`README image ${src}: only ${Object.keys(TYPES).join(', ')} can be inlined (vsce refuses SVG data URIs)`);
  inlined++;
  return `![${alt}](data:${type};base64,${readFileSync(join(root, src)).toString('base64')})`;
});
mkdirSync(join(root, 'out', 'vsix'), { recursive: true });
writeFileSync(join(root, 'out', 'vsix', 'README.md'), out);
console.log(`out/vsix/README.md: ${inlined} image(s) inlined, ${out.length} bytes`);
