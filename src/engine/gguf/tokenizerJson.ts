/**
 * The tokenizer a GGUF file carries, rebuilt as a Hugging Face tokenizer.json object (the format the
 * tokenizer engine reads). The file's own `tokenizer.huggingface.json` wins when present. Otherwise:
 *
 * - `tokenizer.ggml.model = "gpt2"`: byte-level BPE from tokens + "a b" merges, split the way the pre-tokenizer
 *   named by `tokenizer.ggml.pre` does (llama.cpp's names; the regexes are those of the original
 *   tokenizer.json files, which llama.cpp adapts). Unknown names are refused: guessing would give wrong IDs.
 * - `tokenizer.ggml.model = "llama"`: SentencePiece BPE (tokens + scores + token types, `<0xNN>` byte
 *   tokens), written the way transformers' LlamaConverter does: merges ordered by the merged piece's score,
 *   byte fallback, "▁" for spaces.
 *
 * Token types (llama.cpp): 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. Control tokens
 * become special added tokens, user-defined ones non-special added tokens, as convert_hf_to_gguf made them.
 */
import { LOAD_STEP_ENTRIES, PreparedMerges, PreparedVocab } from '../hfTokenizer/leanJson';
import { runSteps, sliceSteps } from '../steps';
import { GgufError } from './errors';
import { describeValueType, isGgufArray, type GgufKv } from './values';

export type GgufTokenizerKind = 'huggingface-json' | 'gpt2' | 'llama';

export interface GgufTokenizer {
  kind: GgufTokenizerKind;
  /** `tokenizer.ggml.pre`, when the file names one. */
  pre: string | null;
  /** Number of token ids (the length of tokenizer.ggml.tokens, or the embedded JSON's highest id + 1). */
  vocabSize: number;
  /** The tokenizer.json object. */
  json: Record<string, unknown>;
}

const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

const LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const DEEPSEEK3_REGEXES = [
  '\\p{N}{1,3}',
  '[一-龥\u3040-ゟ゠-ヿ]+',
  '[!"#$%&\'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+',
];

const split = (regex: string) => ({ type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false });
const byteLevel = (useRegex: boolean) => ({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: useRegex });

interface PreTokenizerSpec {
  normalizer: Record<string, unknown> | null;
  preTokenizer: Record<string, unknown>;
  ignoreMerges: boolean;
}

/** llama.cpp `tokenizer.ggml.pre` names → how the original tokenizer.json splits and normalizes text. */
const PRE_TOKENIZERS: ReadonlyMap<string, PreTokenizerSpec> = (() => {
  const llama3: PreTokenizerSpec = {
    normalizer: null,
    preTokenizer: { type: 'Sequence', pretokenizers: [split(LLAMA3_REGEX), byteLevel(false)] },
    ignoreMerges: true,
  };
  const qwen2: PreTokenizerSpec = {
    normalizer: { type: 'NFC' },
    preTokenizer: { type: 'Sequence', pretokenizers: [split(QWEN2_REGEX), byteLevel(false)] },
    ignoreMerges: false,
  };
  const deepseek3: PreTokenizerSpec = {
    normalizer: null,
    preTokenizer: { type: 'Sequence', pretokenizers: [...DEEPSEEK3_REGEXES.map(split), byteLevel(false)] },
    ignoreMerges: false,
  };
  const gpt2: PreTokenizerSpec = { normalizer: null, preTokenizer: byteLevel(true), ignoreMerges: false };
  return new Map([
    ...['llama3', 'llama-v3', 'llama-bpe', 'falcon3', 'pixtral'].map((n) => [n, llama3] as const),
    ['qwen2', qwen2],
    ['deepseek-v3', deepseek3],
    ...['gpt-2', 'phi-2'].map((n) => [n, gpt2] as const),
  ]);
})();

export const SUPPORTED_PRE_TOKENIZERS: readonly string[] = [...PRE_TOKENIZERS.keys()];

export function ggufTokenizerJson(metadata: ReadonlyMap<string, GgufKv>, label: string): GgufTokenizer {
  return runSteps(ggufTokenizerJsonSteps(metadata, label));
}

/**
 * `ggufTokenizerJson` in steps: the loops over the tokens and merges (150k+ each in current models) pause every
 * LOAD_STEP_ENTRIES entries, so the engine worker answers other requests while a model opens.
 */
export function* ggufTokenizerJsonSteps(metadata: ReadonlyMap<string, GgufKv>, label: string): Generator<void, GgufTokenizer, void> {
  const embedded = metadata.get('tokenizer.huggingface.json');
  if (embedded) return embeddedJson(embedded, label);
  const model = stringValue(metadata, 'tokenizer.ggml.model', label);
  if (model === null) {
    throw new GgufError('invalidTokenizer', `${label} has no tokenizer (neither tokenizer.huggingface.json nor tokenizer.ggml.model).`);
  }
  const tokens = stringArray(metadata, 'tokenizer.ggml.tokens', label);
  if (!tokens) throw new GgufError('invalidTokenizer', `${label} has tokenizer.ggml.model "${model}" but no tokenizer.ggml.tokens.`);
  if (tokens.length === 0) throw new GgufError('invalidTokenizer', `tokenizer.ggml.tokens in ${label} is empty.`);
  const types = typedArray(metadata, 'tokenizer.ggml.token_type', 'i32', tokens.length, label) as Int32Array | null;
  const scores = typedArray(metadata, 'tokenizer.ggml.scores', 'f32', tokens.length, label) as Float32Array | null;
  if (types) yield* checkTokenTypes(tokens, types, label);
  const pre = stringValue(metadata, 'tokenizer.ggml.pre', label);
  switch (model) {
    case 'gpt2':
      return { kind: 'gpt2', pre, vocabSize: tokens.length, json: yield* gpt2Json(metadata, tokens, types, pre, label) };
    case 'llama': {
      if (!scores || !types) {
        throw new GgufError('invalidTokenizer', `${label} is a SentencePiece ("llama") tokenizer without tokenizer.ggml.scores and token_type.`);
      }
      const addSpacePrefix = metadata.get('tokenizer.ggml.add_space_prefix');
      const prefix = addSpacePrefix === undefined ? true : addSpacePrefix.value === true;
      return { kind: 'llama', pre, vocabSize: tokens.length, json: yield* sentencePieceJson(tokens, scores, types, prefix) };
    }
    default:
      throw new GgufError(
        'invalidTokenizer',
        `${label} uses tokenizer.ggml.model "${model}"; only "gpt2" (byte-level BPE) and "llama" (SentencePiece) tokenizers can be read.`,
      );
  }
}

function embeddedJson(kv: GgufKv, label: string): GgufTokenizer {
  if (kv.type !== 'string') throw wrongType(kv, 'a string', label);
  let json: unknown;
  try {
    json = JSON.parse(kv.value as string);
  } catch (e) {
    throw new GgufError('invalidTokenizer', `tokenizer.huggingface.json in ${label} is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as { model?: unknown }).model !== 'object') {
    throw new GgufError('invalidTokenizer', `tokenizer.huggingface.json in ${label} is not a tokenizer.json object (no "model").`);
  }
  const obj = json as Record<string, unknown>;
  return { kind: 'huggingface-json', pre: null, vocabSize: tokenizerJsonIds(obj).count, json: obj };
}

export interface TokenizerJsonIds {
  /** Highest id in the model vocabulary or the added tokens, + 1. */
  count: number;
  /** The token string of an id, if the tokenizer has one. */
  text(id: number): string | undefined;
}

/**
 * The ids a tokenizer.json can produce (BPE/WordPiece vocab objects, Unigram [[piece, score]] lists, added
 * tokens). Counting is one pass over the values; the id → text index is built only if a message needs it.
 */
export function tokenizerJsonIds(json: Record<string, unknown>): TokenizerJsonIds {
  const vocab = (json.model as { vocab?: unknown } | undefined)?.vocab;
  const added = Array.isArray(json.added_tokens) ? (json.added_tokens as { id?: unknown; content?: unknown }[]) : [];
  const validId = (id: unknown): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
  let max = -1;
  if (vocab instanceof PreparedVocab) {
    for (const id of vocab.ids) if (id > max) max = id;
  } else if (Array.isArray(vocab)) max = vocab.length - 1;
  else if (vocab && typeof vocab === 'object') {
    for (const id of Object.values(vocab)) if (validId(id) && id > max) max = id;
  }
  for (const t of added) if (validId(t?.id) && typeof t.content === 'string' && t.id > max) max = t.id;
  let byId: Map<number, string> | null = null;
  const text = (id: number): string | undefined => {
    if (!byId) {
      byId = new Map();
      if (vocab instanceof PreparedVocab) vocab.tokens.forEach((piece, i) => byId!.set(vocab.ids[i]!, piece));
      else if (Array.isArray(vocab)) vocab.forEach((entry, i) => byId!.set(i, Array.isArray(entry) ? String(entry[0]) : String(entry)));
      else if (vocab && typeof vocab === 'object') for (const [piece, i] of Object.entries(vocab)) if (validId(i)) byId.set(i, piece);
      for (const t of added) if (validId(t?.id) && typeof t.content === 'string') byId.set(t.id, t.content);
    }
    return byId.get(id);
  };
  return { count: max + 1, text };
}

function* gpt2Json(
  metadata: ReadonlyMap<string, GgufKv>,
  tokens: readonly string[],
  types: Int32Array | null,
  pre: string | null,
  label: string,
): Generator<void, Record<string, unknown>, void> {
  const spec = pre === null ? undefined : PRE_TOKENIZERS.get(pre);
  if (!spec) {
    throw new GgufError(
      'unknownPreTokenizer',
      (pre === null ? `${label} does not name its pre-tokenizer (tokenizer.ggml.pre)` : `${label} uses the pre-tokenizer "${pre}"`) +
        `, which this extension does not know, so it cannot split text the way the model does. Known: ${SUPPORTED_PRE_TOKENIZERS.join(', ')}.`,
    );
  }
  const rawMerges = stringArray(metadata, 'tokenizer.ggml.merges', label);
  if (!rawMerges) throw new GgufError('invalidTokenizer', `${label} is a byte-level BPE ("gpt2") tokenizer without tokenizer.ggml.merges.`);
  const vocab = yield* preparedVocab(tokens);
  const merges = yield* preparedMerges(rawMerges, vocab, label);
  const added = yield* addedTokens(tokens, types);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: spec.normalizer,
    pre_tokenizer: spec.preTokenizer,
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: spec.ignoreMerges,
      vocab,
      merges,
    },
  };
}

function* sentencePieceJson(
  tokens: readonly string[],
  scores: Float32Array,
  types: Int32Array,
  addSpacePrefix: boolean,
): Generator<void, Record<string, unknown>, void> {
  const vocab = yield* vocabObject(tokens);
  const unkId = types.indexOf(TOKEN_TYPE.unknown);
  const added = yield* addedTokens(tokens, types);
  const merges = yield* sentencePieceMerges(tokens, scores, types, vocab);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: addSpacePrefix
      ? {
          type: 'Sequence',
          normalizers: [
            { type: 'Prepend', prepend: '▁' },
            { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
          ],
        }
      : { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    pre_tokenizer: null,
    post_processor: null,
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        ...(addSpacePrefix ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : []),
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: unkId >= 0 ? tokens[unkId] : null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

/**
 * transformers' SentencePieceExtractor: every split of a piece into two vocabulary pieces is a merge, ranked
 * by the merged piece's score (higher first; ties keep id order), and within one piece by the parts' ids.
 */
function* sentencePieceMerges(
  tokens: readonly string[],
  scores: Float32Array,
  types: Int32Array,
  vocab: Record<string, number>,
): Generator<void, [string, string][], void> {
  const has = (s: string) => Object.prototype.hasOwnProperty.call(vocab, s);
  const found: { left: string; right: string; score: number; order: number; l: number; r: number }[] = [];
  yield* sliceSteps(tokens.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let id = from; id < to; id++) {
      const t = tokens[id];
      if (types[id] !== TOKEN_TYPE.normal || vocab[t] !== id) continue;
      const cps = Array.from(t);
      for (let i = 1; i < cps.length; i++) {
        const left = cps.slice(0, i).join('');
        const right = cps.slice(i).join('');
        if (has(left) && has(right)) found.push({ left, right, score: scores[id], order: id, l: vocab[left], r: vocab[right] });
      }
    }
  });
  yield;
  found.sort((a, b) => b.score - a.score || a.order - b.order || a.l - b.l || a.r - b.r);
  return found.map((m) => [m.left, m.right]);
}

/**
 * The vocabulary straight in the form the tokenizer keeps (hfTokenizer/leanJson.ts): no object with a key per
 * token. The first id wins when a string repeats, as in vocabObject.
 */
function* preparedVocab(tokens: readonly string[]): Generator<void, PreparedVocab, void> {
  const index = new Map<string, number>();
  const unique: string[] = [];
  const ids: number[] = [];
  yield* sliceSteps(tokens.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let id = from; id < to; id++) {
      if (index.has(tokens[id]!)) continue;
      index.set(tokens[id]!, unique.length);
      unique.push(tokens[id]!);
      ids.push(id);
    }
  });
  return new PreparedVocab(unique, Int32Array.from(ids), index);
}

/**
 * "left right" merges split as llama.cpp does (at the first space after the first character), resolved against
 * the vocabulary; when one names an unknown token, the pairs as strings, so the tokenizer reports it.
 */
function* preparedMerges(raw: readonly string[], vocab: PreparedVocab, label: string): Generator<void, PreparedMerges | [string, string][], void> {
  const split = (m: string, i: number): [string, string] => {
    const at = m.indexOf(' ', 1);
    if (at < 0) throw new GgufError('invalidTokenizer', `Merge #${i} in ${label} (${JSON.stringify(m.slice(0, 40))}) is not "left right".`);
    return [m.slice(0, at), m.slice(at + 1)];
  };
  const left = new Int32Array(raw.length);
  const right = new Int32Array(raw.length);
  const result = new Int32Array(raw.length);
  let resolved = true;
  yield* sliceSteps(raw.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let i = from; resolved && i < to; i++) {
      const [a, b] = split(raw[i]!, i);
      const ta = vocab.index.get(a);
      const tb = vocab.index.get(b);
      const tn = vocab.index.get(a + b);
      if (ta === undefined || tb === undefined || tn === undefined) resolved = false;
      else {
        left[i] = ta;
        right[i] = tb;
        result[i] = tn;
      }
    }
  });
  if (!resolved) return raw.map(split);
  return new PreparedMerges(vocab, left, right, result, true);
}

/** token → id; the first id wins when a string repeats (the later ones stay reachable as added tokens or not at all). */
function* vocabObject(tokens: readonly string[]): Generator<void, Record<string, number>, void> {
  const vocab: Record<string, number> = Object.create(null);
  yield* sliceSteps(tokens.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let id = from; id < to; id++) if (!(tokens[id] in vocab)) vocab[tokens[id]] = id;
  });
  return vocab;
}

function* addedTokens(tokens: readonly string[], types: Int32Array | null): Generator<void, Record<string, unknown>[], void> {
  const out: Record<string, unknown>[] = [];
  if (!types) return out;
  yield* sliceSteps(tokens.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let id = from; id < to; id++) {
      const t = types[id];
      if (t !== TOKEN_TYPE.control && t !== TOKEN_TYPE.userDefined && t !== TOKEN_TYPE.unknown) continue;
      const special = t !== TOKEN_TYPE.userDefined;
      out.push({ id, content: tokens[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special });
    }
  });
  return out;
}

function* checkTokenTypes(tokens: readonly string[], types: Int32Array, label: string): Generator<void, void, void> {
  yield* sliceSteps(types.length, LOAD_STEP_ENTRIES, (from, to) => {
    for (let id = from; id < to; id++) {
      const t = types[id];
      if (t < TOKEN_TYPE.normal || t > TOKEN_TYPE.byte) {
        throw new GgufError('invalidTokenizer', `Token ${id} in ${label} has token type ${t}; types are 1–6.`);
      }
      // A byte token must name exactly one byte: llama.cpp once wrote out of bounds for "<0x-1>" (#25969).
      if (t === TOKEN_TYPE.byte && !/^<0x[0-9A-Fa-f]{2}>$/.test(tokens[id])) {
        throw new GgufError('invalidTokenizer', `Byte token ${id} in ${label} is ${JSON.stringify(tokens[id].slice(0, 40))}; byte tokens are <0x00>…<0xFF>.`);
      }
    }
  });
}

// ── typed metadata access ──

function wrongType(kv: GgufKv, expected: string, label: string): GgufError {
  return new GgufError('wrongValueType', `${kv.key} in ${label} is ${describeValueType(kv)}; expected ${expected}.`);
}

function stringValue(metadata: ReadonlyMap<string, GgufKv>, key: string, label: string): string | null {
  const kv = metadata.get(key);
  if (!kv) return null;
  if (kv.type !== 'string') throw wrongType(kv, 'a string', label);
  return kv.value as string;
}

function stringArray(metadata: ReadonlyMap<string, GgufKv>, key: string, label: string): readonly string[] | null {
  const kv = metadata.get(key);
  if (!kv) return null;
  if (!isGgufArray(kv.value) || kv.value.elementType !== 'string') throw wrongType(kv, 'array<string>', label);
  return kv.value.items as readonly string[];
}

/** A numeric array of exactly one element type and `length` entries (llama.cpp #26690 trusted both). */
function typedArray(
  metadata: ReadonlyMap<string, GgufKv>,
  key: string,
  elementType: 'i32' | 'f32',
  length: number,
  label: string,
): Int32Array | Float32Array | null {
  const kv = metadata.get(key);
  if (!kv) return null;
  if (!isGgufArray(kv.value) || kv.value.elementType !== elementType) throw wrongType(kv, `array<${elementType}>`, label);
  if (kv.value.items.length !== length) {
    throw new GgufError('invalidTokenizer', `${key} in ${label} has ${kv.value.items.length} entries for ${length} tokens.`);
  }
  return kv.value.items as Int32Array | Float32Array;
}
