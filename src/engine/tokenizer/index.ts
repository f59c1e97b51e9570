/**
 * Entry point: `getTokenizer(encoding)` gives the (cached) tokenizer of an encoding, reading its ranks
 * from disk the first time it is asked for. No network: the ranks ship with the extension.
 *
 * Where ranks come from: the directory set with `setRanksDirectory(dir)`, else dist/ranks next to the bundle
 * (written by esbuild.mjs), else js-tiktoken's rank modules — see readRankText in ../platform/files.ts (the
 * browser build's files.web.ts serves them from what the extension host read).
 * gpt2 is read from r50k_base's file (RANK_FILE_OF): the two are identical, and only one ships.
 */
import { ENCODINGS, type EncodingName } from '../../shared/embeddingTypes';
import type { Tokenizer } from '../types';
import { BpeTokenizer } from './bpeTokenizer';
import { ByteVocab } from './byteVocab';
import { patternKindOf } from './preTokenizer';
import { readRankText } from '#engine-files';

export { BpeTokenizer } from './bpeTokenizer';
export { displayBytes } from './tokenDisplay';

/** The JSON written to dist/ranks/<encoding>.json (js-tiktoken's rank module without `export default`). */
export interface RankFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  /** js-tiktoken's compressed text: lines of `<tag> <first rank> <base64 token> <base64 token> …`. */
  bpe_ranks: string;
  explicit_n_vocab?: number;
}

/**
 * Encodings whose ranks live in another encoding's file. js-tiktoken's gpt2 and r50k_base are byte for
 * byte the same (esbuild.mjs checks at build time and ships only r50k_base.json); the tokenizer still
 * reports the encoding it was asked for.
 */
const RANK_FILE_OF: Partial<Record<EncodingName, EncodingName>> = { gpt2: 'r50k_base' };

let ranksDirectory: string | undefined;
const tokenizers = new Map<EncodingName, Tokenizer>();

/** Read ranks from `<dir>/<encoding>.json` from now on (undefined: back to the default search). */
export function setRanksDirectory(dir: string | undefined): void {
  ranksDirectory = dir;
}

/** The tokenizer of an encoding; loads and parses its ranks on first use (tens to a few hundred ms). */
export function getTokenizer(encoding: EncodingName): Tokenizer {
  let t = tokenizers.get(encoding);
  if (!t) {
    t = createTokenizer(encoding, loadRankFile(encoding));
    tokenizers.set(encoding, t);
  }
  return t;
}

/** Builds a tokenizer from rank data (exported for tools and tests that bring their own file). */
export function createTokenizer(encoding: EncodingName, file: RankFile): BpeTokenizer {
  const pattern = patternKindOf(file.pat_str);
  if (!pattern) {
    throw new Error(`${encoding}: unsupported pre-tokenizer pattern ${JSON.stringify(file.pat_str.slice(0, 60))}…`);
  }
  const vocab = new ByteVocab(file.bpe_ranks);
  let size = vocab.rankLimit;
  for (const id of Object.values(file.special_tokens)) size = Math.max(size, id + 1);
  if (file.explicit_n_vocab !== undefined && file.explicit_n_vocab !== size) {
    throw new Error(`${encoding}: rank file says ${file.explicit_n_vocab} tokens but holds ids up to ${size - 1}`);
  }
  return new BpeTokenizer({ encoding, vocab, pattern, specialTokens: file.special_tokens, vocabSize: size });
}

function loadRankFile(encoding: EncodingName): RankFile {
  if (!(ENCODINGS as readonly string[]).includes(encoding)) {
    throw new Error(`unknown encoding ${JSON.stringify(encoding)}; expected one of ${ENCODINGS.join(', ')}`);
  }
  const fileName = RANK_FILE_OF[encoding] ?? encoding;
  const { text, path } = readRankText(fileName, ranksDirectory);
  return parseRankText(text, path);
}

/** Accepts plain JSON or js-tiktoken's `export default {…}` / `module.exports = {…}` modules. */
function parseRankText(text: string, path: string): RankFile {
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`rank file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const f = data as Partial<RankFile>;
  if (typeof f.pat_str !== 'string' || typeof f.bpe_ranks !== 'string' || typeof f.special_tokens !== 'object') {
    throw new Error(`rank file ${path} lacks pat_str, special_tokens or bpe_ranks`);
  }
  return f as RankFile;
}
