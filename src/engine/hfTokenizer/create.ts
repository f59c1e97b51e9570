/**
 * Building a tokenizer from tokenizer.json text or parsed content, with every failure as one
 * HfTokenizerError (no node:fs here: usable in a browser too).
 */
import { HfTokenizerError } from './errors';
import { HfTokenizer } from './hfTokenizer';

/**
 * Largest tokenizer.json read (refused by size before reading). Real ones are at most a few tens of MB
 * (Gemma 3: 33 MB); 128 MB leaves room and bounds the memory a hostile file can take.
 */
export const MAX_TOKENIZER_JSON_BYTES = 128 * 1024 * 1024;

/** Refuses a tokenizer.json by its size, before it is read. */
export function checkTokenizerJsonSize(file: string, size: number): void {
  if (size > MAX_TOKENIZER_JSON_BYTES) {
    throw new HfTokenizerError(
      'too-large',
      `${file} is ${(size / 1048576).toFixed(0)} MB; a tokenizer.json is at most ${MAX_TOKENIZER_JSON_BYTES / 1048576} MB (is this the right file?)`,
    );
  }
}

/** Parses tokenizer.json text; a JSON syntax error becomes a 'malformed-json' error naming the file. */
export function parseHfTokenizer(text: string, sourcePath?: string): HfTokenizer {
  return createHfTokenizer(parseTokenizerJsonText(text, sourcePath), { sourcePath });
}

/** JSON.parse with a syntax error as a 'malformed-json' error naming the file (the first of two load steps). */
export function parseTokenizerJsonText(text: string, sourcePath?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HfTokenizerError('malformed-json', `${sourcePath ?? 'tokenizer.json'} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Builds a tokenizer from parsed tokenizer.json content (also what the GGUF reader hands over). */
export function createHfTokenizer(json: unknown, options: { sourcePath?: string; name?: string } = {}): HfTokenizer {
  try {
    return new HfTokenizer(json, options);
  } catch (e) {
    if (e instanceof HfTokenizerError) {
      if (options.sourcePath && !e.message.includes(options.sourcePath)) e.message = `${options.sourcePath}: ${e.message}`;
      throw e;
    }
    if (e instanceof RangeError) throw new HfTokenizerError('invalid', `${options.sourcePath ?? 'tokenizer.json'}: ${e.message}`);
    throw e;
  }
}
