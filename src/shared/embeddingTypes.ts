/**
 * The words every boundary speaks: encodings, positional schemes, where the tables come from, the
 * settings of one inspection and one token of a text. Imported by the engine protocol, the webview
 * protocol, the engine, the host, the CLI and the webviews.
 * Plain data and small pure helpers only; this file imports nothing (src/shared is compiled by host, worker and
 * webview alike).
 */

export const ENCODINGS = ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

export const POSITIONAL_SCHEMES = ['learned', 'sinusoidal', 'none'] as const;
export type PositionalScheme = (typeof POSITIONAL_SCHEMES)[number];

/**
 * Where the tokenizer comes from:
 * - `encoding`: a built-in OpenAI encoding (tiktoken-exact BPE, ships with the extension);
 * - `tokenizer.json`: a Hugging Face tokenizer.json file, or a folder holding one (a model folder, a Hugging Face
 *   cache folder `models--ORG--NAME` or one of its `snapshots/REV/` folders);
 * - `model`: the model's own tokenizer of a Hugging Face model folder or a .gguf file (see WeightsSource `model`).
 */
export type TokenizerSource = { kind: 'encoding'; encoding: EncodingName } | { kind: 'tokenizer.json'; path: string } | { kind: 'model'; path: string };
export const TOKENIZER_SOURCE_KINDS = ['encoding', 'tokenizer.json', 'model'] as const satisfies readonly TokenizerSource['kind'][];

/**
 * Where the embedding tables come from. Seeds are decimal strings: they go up to 2^64−1.
 * `model`: a Hugging Face model folder or a .gguf file; its token table and its own positions (a learned table,
 * or RoPE/ALiBi where nothing is added to the token vector) replace the settings' positional scheme.
 */
export type WeightsSource =
  { kind: 'random'; seed: string } | { kind: 'file'; path: string; tokenTensor?: string; positionTensor?: string } | { kind: 'model'; path: string };

export interface TokenizeOptions {
  tokenizer: TokenizerSource;
  /** Treat special-token text such as `<|endoftext|>` as the special token instead of plain text. */
  allowSpecial: boolean;
  /**
   * Add the tokens a tokenizer.json's post-processor puts around a text (TemplateProcessing: BOS such as
   * `<|begin_of_text|>`, BERT's [CLS]/[SEP]), with empty spans. Off when omitted; built-in encodings add none.
   */
  addSpecialTokens?: boolean;
}

/** One BPE token of a text. Spans are UTF-16 `[start, end)` offsets into the tokenized text. */
export interface TokenInfo {
  id: number;
  start: number;
  end: number;
  /** The token's raw bytes (UTF-8 fragments for partial characters). */
  bytes: number[];
  /** Display text: the decoded text, or `<0xF0 0x9F>` style for bytes that are not whole characters. */
  text: string;
}

export interface EmbeddingSettings {
  tokenizer: TokenizerSource;
  allowSpecial: boolean;
  /** See TokenizeOptions.addSpecialTokens. */
  addSpecialTokens?: boolean;
  dim: number;
  contextLength: number;
  stride: number;
  batchSize: number;
  positional: PositionalScheme;
  weights: WeightsSource;
}

/** Which tokenizer is active, for views (`tokenizerLabel`) and the CLI. */
export interface TokenizerDescription {
  kind: TokenizerSource['kind'];
  /** The encoding name, or the model/folder name a tokenizer.json came from (`meta-llama/Llama-3.2-1B`, `gpt2`…). */
  name: string;
  /** The tokenizer.json file actually read, or the model folder / .gguf file; absent for built-in encodings. */
  path?: string;
  /** The tokenizer's model type: `BPE` (built-in encodings too) or `WordPiece`. */
  model: string;
  /** Highest id + 1: the rows a token table needs (gpt2 50,257). */
  vocabSize: number;
}

/** How a model tells positions apart (see src/engine/model/positions.ts). */
export type ModelPositions =
  | { kind: 'learned'; tensor: string; file: string; rows: number; offset: number }
  | { kind: 'rope'; theta: number; headDim: number | null; rotaryDim: number | null }
  | { kind: 'alibi' }
  | { kind: 'none' };

/** Describes the active tables (EmbeddingTables.describe()). */
export type TableDescription =
  | { kind: 'random'; seed: string; vocabSize: number; dim: number; contextLength: number }
  | {
      kind: 'file';
      path: string;
      tokenTensor: string;
      positionTensor: string | null;
      dtype: string;
      vocabSize: number;
      dim: number;
      contextLength: number;
    }
  | {
      kind: 'model';
      format: 'huggingface' | 'gguf';
      /** The model folder or .gguf file. */
      path: string;
      /** config.json model_type / GGUF general.architecture. */
      architecture: string | null;
      /** File (within the folder) holding the token table, and its tensor name. */
      file: string;
      tokenTensor: string;
      /** 1-based shard number and shard count when the checkpoint is sharded. */
      shard: { number: number; of: number } | null;
      /** Safetensors dtype or GGUF quantization type (Q6_K…) of the token table. */
      dtype: string;
      vocabSize: number;
      dim: number;
      /** Window length used for positions (rows of a learned table; else the settings' context length). */
      contextLength: number;
      /** Positions the model attends over (config / GGUF metadata; the learned table's rows). */
      modelContextLength: number;
      /** How the model tells positions apart (data: views word it; the CLI's model description explains it). */
      positions: ModelPositions;
    };

/**
 * Describes the active source so views can say what they show: the tables, the active tokenizer, and how many
 * token-table rows lie past the tokenizer's ids (padding rows: present, never produced by the tokenizer, never
 * trained — nanoGPT's 50,304 rows for GPT-2's 50,257 ids, Qwen 3's 151,936 for 151,669).
 */
export type SourceDescription = TableDescription & { tokenizer: TokenizerDescription; paddingRows: number };

/** Short label of a tokenizer source for status bars, pickers and headers: `gpt2`, `Llama-3.2-1B (tokenizer.json)`. */
export function tokenizerLabel(source: TokenizerSource | TokenizerDescription): string {
  if (source.kind === 'encoding') return 'name' in source ? source.name : source.encoding;
  const name = 'name' in source ? source.name : sourcePathName(source.path);
  return `${name} (${source.kind === 'model' ? 'model' : 'tokenizer.json'})`;
}

/** One string per tokenizer source (cache keys, comparisons). */
export function tokenizerKey(source: TokenizerSource): string {
  return source.kind === 'encoding' ? `encoding:${source.encoding}` : `${source.kind}:${source.path}`;
}

/**
 * The name a tokenizer or model path is shown by (host and engine alike): a Hugging Face cache path
 * (`…/models--ORG--NAME/snapshots/REV/…`) → `ORG/NAME`; a `.json` file → its folder (`…/Llama-3.2-1B/tokenizer.json`
 * → `Llama-3.2-1B`); anything else → its last segment (a model folder, `model.gguf`).
 */
export function sourcePathName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p.length > 0);
  const cache = parts.findIndex((p) => p.startsWith('models--'));
  if (cache >= 0) return parts[cache].slice('models--'.length).split('--').join('/');
  const last = parts[parts.length - 1] ?? '';
  const name = last.toLowerCase().endsWith('.json') ? parts[parts.length - 2] : last;
  return name || path;
}
