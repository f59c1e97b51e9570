/**
 * Building a tokenizer from tokenizer.json text or parsed content, with every failure as one
 * HfTokenizerError (no node:fs here: usable in a browser too).
 */
import { HfTokenizerError } from './errors';
import { HfTokenizer } from './hfTokenizer';
import { parseTokenizerJsonBytes, parseTokenizerJsonText } from './leanJson';

/**
 * Parses tokenizer.json text or its UTF-8 bytes (the faster form: leanJson.ts reads the vocabulary and merges
 * from the bytes); a JSON syntax error becomes a 'malformedJson' error naming the file.
 */
export function parseHfTokenizer(text: string | Uint8Array, sourcePath?: string): HfTokenizer {
  return createHfTokenizer(parseTokenizerJson(text, sourcePath), { sourcePath });
}

/** The first of parseHfTokenizer's two steps (the engine worker yields between them): the parsed content. */
export function parseTokenizerJson(text: string | Uint8Array, sourcePath?: string): unknown {
  try {
    return typeof text === 'string' ? parseTokenizerJsonText(text) : parseTokenizerJsonBytes(text);
  } catch (e) {
    throw new HfTokenizerError('malformedJson', `${sourcePath ?? 'tokenizer.json'} is not valid JSON: ${(e as Error).message}`);
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
