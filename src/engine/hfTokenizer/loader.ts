/**
 * Finding and reading a tokenizer.json on disk (the only part of the engine that touches node:fs):
 * a file, a model folder holding one, or a Hugging Face cache folder
 * (`…/hub/models--ORG--NAME` or `…/snapshots/<rev>`). Never a download.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseHfTokenizer } from './create';
import { HfTokenizerError } from './errors';
import type { HfTokenizer } from './hfTokenizer';

/**
 * Largest tokenizer.json read (refused by size before reading). Real ones are at most a few tens of MB
 * (Gemma 3: 33 MB); 128 MB leaves room and bounds the memory a hostile file can take.
 */
export const MAX_TOKENIZER_JSON_BYTES = 128 * 1024 * 1024;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The tokenizer.json a path means; throws 'not-found' with what was looked for. */
export function resolveTokenizerJson(path: string): string {
  if (!existsSync(path)) throw new HfTokenizerError('not-found', `${path} does not exist`);
  if (!isDir(path)) return path;
  const direct = join(path, 'tokenizer.json');
  if (existsSync(direct)) return direct;
  // A cache folder models--ORG--NAME: the snapshot refs/main names, else the newest one with a tokenizer.json.
  const snapshots = join(path, 'snapshots');
  if (isDir(snapshots)) {
    let main: string | undefined;
    try {
      main = readFileSync(join(path, 'refs', 'main'), 'utf8').trim();
    } catch {
      main = undefined;
    }
    const candidates = readdirSync(snapshots)
      .map((rev) => ({ rev, file: join(snapshots, rev, 'tokenizer.json') }))
      .filter((c) => existsSync(c.file))
      .sort((a, b) => statSync(b.file).mtimeMs - statSync(a.file).mtimeMs);
    const chosen = candidates.find((c) => c.rev === main) ?? candidates[0];
    if (chosen) return chosen.file;
  }
  throw new HfTokenizerError('not-found', `no tokenizer.json in ${path} (nor in a snapshots/<revision>/ folder under it)`);
}

/** Reads and validates a tokenizer.json (file, model folder or Hugging Face cache folder). */
export function loadHfTokenizer(path: string): HfTokenizer {
  const file = resolveTokenizerJson(path);
  const size = statSync(file).size;
  if (size > MAX_TOKENIZER_JSON_BYTES) {
    throw new HfTokenizerError(
      'too-large',
      `${file} is ${(size / 1048576).toFixed(0)} MB; a tokenizer.json is at most ${MAX_TOKENIZER_JSON_BYTES / 1048576} MB (is this the right file?)`,
    );
  }
  return parseHfTokenizer(readFileSync(file), file);
}
