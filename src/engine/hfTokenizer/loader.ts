/**
 * Reading a tokenizer.json on disk in one call (tests, tools; the engine worker reads it in steps through
 * `#engine-files`): a file, a model folder holding one, or a Hugging Face cache folder (resolve.ts). Node only.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseHfTokenizer } from './create';
import { checkTokenizerJsonSize } from './errors';
import type { HfTokenizer } from './hfTokenizer';
import { resolveTokenizerJson } from './resolve';

export { resolveTokenizerJson } from './resolve';

/** Reads and validates a tokenizer.json (file, model folder or Hugging Face cache folder). */
export function loadHfTokenizer(path: string): HfTokenizer {
  const file = resolveTokenizerJson(path);
  checkTokenizerJsonSize(file, statSync(file).size);
  return parseHfTokenizer(readFileSync(file), file);
}
