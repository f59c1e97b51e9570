/**
 * Building a tokenizer from tokenizer.json bytes, text or parsed content, with every failure as one
 * HfTokenizerError (no node:fs here: usable in a browser too). Each build runs in steps (`…Steps`: the engine
 * worker yields to the event loop and checks for a cancel between them); the plain functions run the same steps
 * to the end.
 */
import { runSteps } from '../steps';
import { HfTokenizerError } from './errors';
import { HfTokenizer } from './hfTokenizer';
import { parseTokenizerJsonSteps as parseBytesSteps } from './leanJson';

const utf8Encoder = new TextEncoder();

/**
 * Parses tokenizer.json text or its UTF-8 bytes (the faster form: leanJson.ts reads the vocabulary and merges
 * from the bytes) and builds the tokenizer; a JSON syntax error becomes a 'malformedJson' error naming the file.
 */
export function parseHfTokenizer(text: string | Uint8Array, sourcePath?: string): HfTokenizer {
  return runSteps(parseHfTokenizerSteps(text, sourcePath));
}

/** `parseHfTokenizer` in steps. */
export function* parseHfTokenizerSteps(text: string | Uint8Array, sourcePath?: string): Generator<void, HfTokenizer, void> {
  const json = yield* parseTokenizerJsonSteps(typeof text === 'string' ? utf8Encoder.encode(text) : text, sourcePath);
  yield;
  return yield* createHfTokenizerSteps(json, { sourcePath });
}

/** The parsed content of tokenizer.json text or bytes, in steps; a JSON syntax error is a 'malformedJson' error. */
export function* parseTokenizerJsonSteps(text: Uint8Array, sourcePath?: string): Generator<void, unknown, void> {
  try {
    return yield* parseBytesSteps(text);
  } catch (e) {
    throw new HfTokenizerError('malformedJson', `${sourcePath ?? 'tokenizer.json'} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Builds a tokenizer from parsed tokenizer.json content (also what the GGUF reader hands over). */
export function createHfTokenizer(json: unknown, options: { sourcePath?: string; name?: string } = {}): HfTokenizer {
  return runSteps(createHfTokenizerSteps(json, options));
}

/** `createHfTokenizer` in steps. */
export function* createHfTokenizerSteps(json: unknown, options: { sourcePath?: string; name?: string } = {}): Generator<void, HfTokenizer, void> {
  try {
    return yield* HfTokenizer.build(json, options);
  } catch (e) {
    if (e instanceof HfTokenizerError) {
      if (options.sourcePath && !e.message.includes(options.sourcePath)) e.message = `${options.sourcePath}: ${e.message}`;
      throw e;
    }
    if (e instanceof RangeError) throw new HfTokenizerError('invalid', `${options.sourcePath ?? 'tokenizer.json'}: ${e.message}`);
    throw e;
  }
}
