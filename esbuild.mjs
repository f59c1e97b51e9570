// Builds every bundle of the extension: host (node/cjs, `vscode` external), engine worker (node/cjs),
// CLI (node/cjs), the browser webviews (iife), and the VS Code for the Web build in dist/web (host cjs + engine
// worker iife, platform browser: a Node built-in anywhere in their import graph fails the build); outside --production also the test worker (engine worker plus
// failure-injection hooks), which therefore never ships. Also ships js-tiktoken's rank files as plain JSON
// in dist/ranks so each encoding is read from disk only when first used (no network at run time).
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outdir=DIR builds somewhere else than dist/ (test/unit/productionBundle.test.ts inspects a production build).
const outdirArg = process.argv.find((a) => a.startsWith('--outdir='));
const distDir = outdirArg ? resolve(outdirArg.slice('--outdir='.length)) : join(root, 'dist');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const nodeTargets = [
  {
    entryPoints: { extension: 'src/extensionNode.ts' },
    external: ['vscode'],
    // Start of bundle evaluation, for the activation time the extension logs (see src/extension.ts).
    banner: { js: 'var __tokenEmbeddingsLoadStart = performance.now();' },
  },
  { entryPoints: { worker: 'src/worker/engineWorker.ts' } },
  { entryPoints: { cli: 'src/cli/cli.ts' }, banner: { js: '#!/usr/bin/env node' } },
  // Next to worker.js so it finds dist/ranks the same way.
  ...(production ? [] : [{ entryPoints: { 'worker-test-hooks': 'test/support/hookedWorker.ts' } }]),
].map((t) => ({
  ...common,
  ...t,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: distDir,
}));

const webviewEntries = {};
for (const name of ['panel', 'sidebar']) {
  const entry = join(root, 'webview', name, 'main.ts');
  if (existsSync(entry)) webviewEntries[name] = entry;
}
const browserTargets = Object.keys(webviewEntries).length
  ? [
      {
        ...common,
        entryPoints: webviewEntries,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        outdir: join(distDir, 'webview'),
        loader: { '.css': 'css' },
      },
    ]
  : [];

const webTargets = [
  {
    entryPoints: { extension: 'src/web/extension.ts' },
    format: 'cjs',
    external: ['vscode'],
    banner: { js: 'var __tokenEmbeddingsLoadStart = performance.now();' },
  },
  // Started from a Blob URL by the web host (src/web/webWorkerPort.ts): one self-contained script.
  { entryPoints: { worker: 'src/web/engineWorker.ts' }, format: 'iife' },
].map((t) => ({
  ...common,
  ...t,
  platform: 'browser',
  target: 'es2022',
  outdir: join(distDir, 'web'),
  // package.json "imports": the engine's #engine-files resolves to files.web.ts under the browser condition.
  conditions: ['browser'],
}));

/**
 * js-tiktoken ships ranks as `export default {...}` modules; strip that to plain JSON once. gpt2 and
 * r50k_base are the same file (same pattern, ranks and special tokens), so only r50k_base.json ships and
 * the tokenizer reads it for gpt2 too (src/engine/tokenizer/index.ts, RANK_FILE_OF).
 */
function copyRanks() {
  const out = join(distDir, 'ranks');
  mkdirSync(out, { recursive: true });
  const jsonOf = (name) => {
    const src = require.resolve(`js-tiktoken/ranks/${name}`).replace(/\.c?js$/, '.js');
    const text = readFileSync(src, 'utf8');
    const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
    JSON.parse(json); // fail the build, not the user, if the format ever changes
    return json;
  };
  if (jsonOf('gpt2') !== jsonOf('r50k_base')) {
    throw new Error('js-tiktoken gpt2 and r50k_base ranks differ; ship both and drop RANK_FILE_OF.gpt2');
  }
  rmSync(join(out, 'gpt2.json'), { force: true }); // left over from builds that shipped both
  for (const name of ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base']) {
    writeFileSync(join(out, `${name}.json`), jsonOf(name));
  }
}

copyRanks();
const configs = [...nodeTargets, ...browserTargets, ...webTargets];
if (watch) {
  const ctxs = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (production) checkWebBudgets();
}

/**
 * VS Code for the Web downloads these into the browser on activation: a production build over its budget fails
 * (README, "VS Code for the Web"). The rank files are separate and read only when an encoding is first used.
 */
function checkWebBudgets() {
  const budgets = { 'web/extension.js': 160 * 1024, 'web/worker.js': 512 * 1024 };
  for (const [file, budget] of Object.entries(budgets)) {
    const size = statSync(join(distDir, file)).size;
    if (size > budget) throw new Error(`${file} is ${size} bytes, over its ${budget}-byte budget (see README, VS Code for the Web)`);
  }
}
