/**
 * What opening a model gives (src/engine/model/index.ts `openModel`): its tables, its tokenizer.json content and
 * a description. Types only, free of Node: the browser edition of `#engine-files` names them too.
 */
import type { ModelTables } from './modelTables';
import type { PositionScheme } from './positions';

export interface ModelDescription {
  format: 'huggingface' | 'gguf';
  path: string;
  /** config.json model_type / GGUF general.architecture. */
  architecture: string | null;
  tokenizer: {
    /** tokenizer.json model type (BPE, Unigram, WordPiece) or the GGUF tokenizer model (gpt2, llama, huggingface-json). */
    kind: string;
    /** GGUF tokenizer.ggml.pre. */
    pre: string | null;
    /** Ids the tokenizer can produce. */
    ids: number;
    file: string;
  };
  table: {
    file: string;
    tensor: string;
    /** 1-based shard number and shard count, when the checkpoint is sharded. */
    shard: { number: number; of: number } | null;
    rows: number;
    paddingRows: number;
    dim: number;
    /** Safetensors dtype or GGUF quantization type. */
    dtype: string;
  };
  positions: PositionScheme & { explanation: string };
  /** Positions the model attends over (learned table rows, or config / GGUF context length). */
  contextLength: number;
  /** Output projection shares the token table (config tie_word_embeddings; GGUF: no output.weight). */
  tiedOutput: boolean | null;
}

export interface OpenedModel {
  tables: ModelTables;
  /** Feed to the tokenizer.json engine. */
  tokenizerJson: Record<string, unknown>;
  description: ModelDescription;
}
