// Bundles test/integration/*.test.ts into out/integration/*.test.js (CommonJS, `vscode` and mocha
// external) for @vscode/test-cli, which loads plain JS test files into VS Code's extension host.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'test', 'integration');
const outDir = join(root, 'out', 'integration');
const entries = readdirSync(srcDir)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join(srcDir, f));
rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`built ${entries.length} integration test file(s) into ${outDir}`);
