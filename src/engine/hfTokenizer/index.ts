/**
 * The tokenizer.json engine: any Hugging Face `tokenizer.json` (BPE or WordPiece) with exactly the ids of
 * Rust tokenizers 0.22 and a UTF-16 span for every token.
 *
 * - `createHfTokenizer(json, { sourcePath })`: from parsed content (pure; the GGUF reader builds a
 *   tokenizer.json-shaped object and calls this).
 * - `loadHfTokenizer(path)`: a file, a model folder, or a Hugging Face cache folder (node:fs, loader.ts).
 * Errors are HfTokenizerError with a `code` (errors.ts).
 */
export { createHfTokenizer, parseHfTokenizer } from './create';
export { HfTokenizerError, type HfTokenizerErrorCode, checkTokenizerJsonSize, MAX_TOKENIZER_JSON_BYTES } from './errors';
export { HfTokenizer, tokenizerName } from './hfTokenizer';
export { loadHfTokenizer, resolveTokenizerJson } from './loader';
