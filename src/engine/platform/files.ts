/**
 * The engine's one door to files, Node edition (engine worker, CLI, tests). Engine code imports it as
 * `#engine-files` (package.json "imports"); under the browser condition that is files.web.ts, which serves the same functions from files
 * the extension host read with `vscode.workspace.fs`; nothing else in src/engine touches a file system, so
 * one engine source runs in both.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ByteSource } from '../safetensors/byteSource';
import { FileByteSource } from '../safetensors/fileByteSource';
import { checkTokenizerJsonSize } from '../hfTokenizer/errors';
import { resolveTokenizerJson } from '../hfTokenizer/resolve';

/** Random access to a user's weights file; only the bytes asked for are read. */
export function openByteSource(path: string): ByteSource {
  return new FileByteSource(path);
}

/**
 * Text of the rank file `<fileName>.json`, first match wins:
 *  1. `<directory>/<fileName>.json` when a directory is given (setRanksDirectory);
 *  2. `ranks/<fileName>.json` next to the running bundle (dist/worker.js, dist/cli.js → dist/ranks);
 *  3. js-tiktoken's rank module in node_modules (tests and scripts running the TypeScript sources).
 */
export function readRankText(fileName: string, directory: string | undefined): { text: string; path: string } {
  const candidates: string[] = [];
  if (directory !== undefined) candidates.push(join(directory, `${fileName}.json`));
  else if (typeof __dirname === 'string') candidates.push(join(__dirname, 'ranks', `${fileName}.json`));
  for (const path of candidates) {
    if (existsSync(path)) return { text: readFileSync(path, 'utf8'), path };
  }
  if (directory === undefined) {
    let modulePath: string | undefined;
    try {
      const req = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
      modulePath = req.resolve(`js-tiktoken/ranks/${fileName}`);
    } catch {
      modulePath = undefined;
    }
    if (modulePath) return { text: readFileSync(modulePath, 'utf8'), path: modulePath };
  }
  throw new Error(
    `ranks for ${fileName} not found (looked in ${candidates.join(', ') || 'no directory'}` +
      `${directory === undefined ? ' and js-tiktoken/ranks' : ''}); reinstall or rebuild the extension`,
  );
}

/**
 * UTF-8 bytes as text, invalid sequences as U+FFFD (what `readFileSync(path, 'utf8')` gives). Node's own
 * decoder: TextDecoder is tens of times slower in Node 20 (7 ms against 250 ms for 1.5 MB here).
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * The bytes of a tokenizer.json: a file, a model folder holding one, or a Hugging Face cache folder (resolved by
 * src/engine/hfTokenizer/resolve.ts), refused by size before reading, read without blocking the worker.
 */
export async function readTokenizerJson(path: string): Promise<{ bytes: Uint8Array; file: string }> {
  const file = resolveTokenizerJson(path);
  checkTokenizerJsonSize(file, statSync(file).size);
  return { bytes: await readFile(file), file };
}
