/**
 * The engine's one door to files, browser edition (VS Code for the Web).
 *
 * Same exports as files.ts: package.json "imports" maps `#engine-files` to this file under the browser condition
 * (esbuild.mjs, src/web/tsconfig.json), so an engine import this file lacks fails the web build and typecheck.
 *
 * A browser worker has no file system: the extension host reads files with `vscode.workspace.fs` and hands
 * them over (`provideFile`). Asking for a file that is not here yet throws FileNeededError, which the web worker
 * entry turns into one request to the host before running the engine request again.
 */
import { MemoryByteSource, type ByteSource } from '../safetensors/byteSource';
import type { NeededFile } from '../../shared/engineProtocol';
import { FileNeededError } from './fileNeeded';
import { checkTokenizerJsonSize, HfTokenizerError } from '../hfTokenizer/errors';

const files = new Map<string, Uint8Array>();
const keyOf = (file: NeededFile): string => `${file.kind}:${file.path}`;

/** Stores a file the host read (the worker entry calls this with the host's reply). */
export function provideFile(file: NeededFile, bytes: Uint8Array): void {
  files.set(keyOf(file), bytes);
}

/** Drops a user's file, e.g. when the host says it changed on disk. */
export function forgetFile(file: NeededFile): void {
  files.delete(keyOf(file));
}

function bytesOf(file: NeededFile): Uint8Array {
  const bytes = files.get(keyOf(file));
  if (!bytes) throw new FileNeededError(file);
  return bytes;
}

export function openByteSource(path: string): ByteSource {
  return new MemoryByteSource(bytesOf({ kind: 'user', path }));
}

/** The rank file ships in the extension's dist/ranks; a ranks directory is a Node-only (CLI/test) option. */
export function readRankText(fileName: string, _directory: string | undefined): { text: string; path: string } {
  const path = `ranks/${fileName}.json`;
  return { text: new TextDecoder().decode(bytesOf({ kind: 'bundled', path })), path };
}

/** UTF-8 bytes as text, invalid sequences as U+FFFD (the Node edition's twin). */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/**
 * A tokenizer.json the host read. The browser cannot list folders, so the path must name the file itself
 * (the host's picker resolves a folder to its tokenizer.json before it sets the source).
 */
export async function readTokenizerJson(path: string): Promise<{ bytes: Uint8Array; file: string }> {
  if (!/\.json$/i.test(path)) {
    throw new HfTokenizerError('notFound', `${path} is not a .json file; in VS Code for the Web pick the tokenizer.json file itself, not its folder`);
  }
  const bytes = bytesOf({ kind: 'user', path });
  checkTokenizerJsonSize(path, bytes.length);
  return { bytes, file: path };
}
