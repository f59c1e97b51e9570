/**
 * Open a model — a Hugging Face folder or a .gguf file — as its tokenizer.json, its tables and a description
 * (`token-embeddings model PATH --json`, the source bar). Errors are ModelError, GgufError or SafetensorsError,
 * each with a message for the user.
 */
import { basename, resolve } from 'node:path';
import { openGgufModel, isGgufPath } from './ggufModel';
import { openHfFolder, isHfFolder, type ModelOpenOptions } from './hfFolder';
import { ModelError } from './errors';
import type { ModelTables } from './modelTables';
import { explainPositions, type PositionScheme } from './positions';

export { ModelError, type ModelErrorCode } from './errors';
export { ModelTables, checkRowsCoverIds } from './modelTables';
export { explainPositions, type PositionScheme } from './positions';
export { parseModelConfig, type ModelConfig } from './config';
export { tokenTableCandidates, positionTableCandidates } from './tensorNames';
export type { ModelOpenOptions } from './hfFolder';
export { formatModelDescription } from './format';

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

export function openModel(path: string, options: ModelOpenOptions = {}): OpenedModel {
  const abs = resolve(path);
  if (isHfFolder(abs)) {
    const m = openHfFolder(abs, options);
    const t = m.tables;
    const tensor = t.tokenTensor;
    const file = m.layout.files.get(tensor)!;
    const shardIndex = m.layout.shards.indexOf(file);
    return {
      tables: t,
      tokenizerJson: m.tokenizerJson,
      description: {
        format: 'huggingface',
        path: abs,
        architecture: m.config.modelType,
        tokenizer: { kind: m.tokenizerKind, pre: null, ids: t.tokenizerIds, file: 'tokenizer.json' },
        table: {
          file,
          tensor,
          shard: m.layout.indexFile ? { number: shardIndex + 1, of: m.layout.shards.length } : null,
          rows: t.vocabSize,
          paddingRows: t.paddingRows,
          dim: t.dim,
          dtype: t.dtype,
        },
        positions: { ...t.positions, explanation: explainPositions(t.positions) },
        contextLength: t.contextLength,
        tiedOutput: m.config.tieWordEmbeddings,
      },
    };
  }
  if (isGgufPath(abs)) {
    const m = openGgufModel(abs, options);
    const t = m.tables;
    return {
      tables: t,
      tokenizerJson: m.tokenizerJson,
      description: {
        format: 'gguf',
        path: abs,
        architecture: m.architecture,
        tokenizer: { kind: m.tokenizerKind, pre: m.pre, ids: t.tokenizerIds, file: basename(abs) },
        table: { file: basename(abs), tensor: t.tokenTensor, shard: null, rows: t.vocabSize, paddingRows: t.paddingRows, dim: t.dim, dtype: t.dtype },
        positions: { ...t.positions, explanation: explainPositions(t.positions) },
        contextLength: t.contextLength,
        tiedOutput: !m.header.tensors.has('output.weight'),
      },
    };
  }
  throw new ModelError('notAModel', `${abs} is neither a model folder (config.json, tokenizer.json, *.safetensors) nor a .gguf file.`);
}

/** Open, describe, close. */
export function describeModel(path: string, options: ModelOpenOptions = {}): ModelDescription {
  const m = openModel(path, options);
  m.tables.dispose();
  return m.description;
}
