/**
 * The words every boundary speaks: encodings, positional schemes, where the tables come from, the
 * settings of one inspection and one token of a text. Imported by the engine protocol, the webview
 * protocol, the engine, the host, the CLI and the webviews.
 * Plain data only; this file imports nothing (src/shared is compiled by host, worker and webview alike).
 */

export const ENCODINGS = ['gpt2', 'r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

export const POSITIONAL_SCHEMES = ['learned', 'sinusoidal', 'none'] as const;
export type PositionalScheme = (typeof POSITIONAL_SCHEMES)[number];

/** Which tokenizer turns text into ids. */
export type TokenizerSource =
  | { kind: 'encoding'; encoding: EncodingName } // built-in
  | { kind: 'tokenizer.json'; path: string } // tokenizer.json file or a folder holding one (incl. HF cache snapshots)
  | { kind: 'model'; path: string }; // a HF model folder's or .gguf file's own tokenizer

/** Where the embedding tables come from. Seeds are decimal strings: they go up to 2^64−1. */
export type WeightsSource =
  | { kind: 'random'; seed: string }
  | { kind: 'file'; path: string; tokenTensor?: string; positionTensor?: string }
  | { kind: 'model'; path: string };

export interface TokenizeOptions {
  tokenizer: TokenizerSource;
  /** Treat special-token text such as `<|endoftext|>` as the special token instead of plain text. */
  allowSpecial: boolean;
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
  dim: number;
  contextLength: number;
  stride: number;
  batchSize: number;
  positional: PositionalScheme;
  weights: WeightsSource;
}

/** Describes the active tables so views can say which source they show. */
export type SourceDescription =
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
    };
