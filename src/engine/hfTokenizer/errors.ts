/**
 * The one error type the tokenizer.json engine throws for bad input. `code` says what kind of problem it
 * is (for tests and for UI that wants to react differently); the message says what and where, and what to
 * do about it.
 */
import { CodedError } from '../codedError';

export type HfTokenizerErrorCode =
  /** The file or folder does not exist, or a folder holds no tokenizer.json. */
  | 'notFound'
  /** The file is larger than any real tokenizer.json (refused before reading). */
  | 'tooLarge'
  /** Not JSON at all. */
  | 'malformedJson'
  /** JSON, but not a valid tokenizer description (missing fields, bad ids, merges outside the vocabulary…). */
  | 'invalid'
  /** A component, option or regex construct this engine does not implement (named in the message). */
  | 'unsupported'
  /** A Split pattern whose matching could take super-linear time (nested unbounded repetition). */
  | 'unsafeRegex';

export class HfTokenizerError extends CodedError<HfTokenizerErrorCode> {
  override readonly name = 'HfTokenizerError';
}

export function invalid(message: string): HfTokenizerError {
  return new HfTokenizerError('invalid', message);
}

export function unsupported(message: string): HfTokenizerError {
  return new HfTokenizerError('unsupported', message);
}

/**
 * Largest tokenizer.json read (refused by size before reading). Real ones are at most a few tens of MB
 * (Gemma 3: 33 MB); 128 MB leaves room and bounds the memory a hostile file can take.
 */
export const MAX_TOKENIZER_JSON_BYTES = 128 * 1024 * 1024;

/** Refuses a tokenizer.json by its size, before it is read. */
export function checkTokenizerJsonSize(file: string, size: number): void {
  if (size > MAX_TOKENIZER_JSON_BYTES) {
    throw new HfTokenizerError(
      'tooLarge',
      `${file} is ${(size / 1048576).toFixed(0)} MB; a tokenizer.json is at most ${MAX_TOKENIZER_JSON_BYTES / 1048576} MB (is this the right file?)`,
    );
  }
}
