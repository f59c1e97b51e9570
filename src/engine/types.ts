/**
 * Contracts between the engine's parts. The service (worker side) composes a Tokenizer with an
 * EmbeddingTables implementation (random PyTorch-exact init, or a .safetensors file) without knowing which.
 */
import type { EncodingName, TableDescription, TokenInfo } from '../shared/embeddingTypes';

export interface Encoded {
  /** Token IDs in order. */
  ids: Uint32Array;
  /** Flattened UTF-16 spans: token i covers `[spans[2i], spans[2i+1])` of the text. */
  spans: Int32Array;
}

export interface EncodeOptions {
  /** Special-token text (`<|endoftext|>`) becomes the special token; otherwise it is plain text. */
  allowSpecial: boolean;
  /** Add the tokens the tokenizer's post-processor puts around a text (BOS…), with empty spans. */
  addSpecialTokens?: boolean;
}

export interface Tokenizer {
  /** 'encoding': a built-in OpenAI encoding; 'tokenizer.json': a Hugging Face tokenizer file. */
  readonly kind: 'encoding' | 'tokenizer.json';
  /** Short name for views: the encoding name, or the model/folder a tokenizer.json came from. */
  readonly name: string;
  /** The OpenAI encoding, for built-in tokenizers. */
  readonly encoding?: EncodingName;
  /** Rows an embedding table needs: highest id + 1 (gpt2 50,257; cl100k 100,277; o200k 200,019). */
  readonly vocabSize: number;
  encode(text: string, options: EncodeOptions): Encoded;
  /**
   * The same tokenization in steps (optional): the generator pauses after each bounded chunk of work so the
   * caller can yield to the event loop and check for a cancel; it returns exactly what `encode` returns.
   * Nothing may carry over a pause in shared state: other texts are encoded while one is paused.
   */
  encodeSteps?(text: string, options: EncodeOptions): Generator<void, Encoded, void>;
  /** The raw bytes of one token id. */
  tokenBytes(id: number): Uint8Array;
  /** Display info for tokens `[from, to)` of an encoded text. */
  tokenInfos(text: string, encoded: Encoded, from: number, to: number): TokenInfo[];
}

export interface EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  /** Rows of the positional table (the context length). */
  readonly contextLength: number;
  /** Row-major `rows.length × dim` copy of the requested token-table rows. Throws RangeError on a bad row. */
  tokenRows(rows: ArrayLike<number>): Float32Array;
  /** Row-major `rows.length × dim` copy of the requested positional-table rows. */
  positionRows(rows: ArrayLike<number>): Float32Array;
  /**
   * Optional fast path: row-major copy of token rows `[start, start + count)` in one go (one file read for
   * file tables). Scans such as nearest tokens use it when present and fall back to `tokenRows`.
   * When `into` (at least `count × dim` long) is given, implementations may fill and return a view of it
   * instead of allocating, so a whole-vocabulary scan reuses one buffer.
   */
  tokenRowsRange?(start: number, count: number, into?: Float32Array): Float32Array;
  describe(): TableDescription;
  /** Release file handles etc. */
  dispose?(): void;
}
