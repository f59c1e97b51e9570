/**
 * Open a model — a Hugging Face folder or a .gguf file — as its tokenizer.json, its tables and a description
 * (`token-embeddings model PATH --json`, the source bar). Errors are ModelError, GgufError or SafetensorsError,
 * each with a message for the user.
 */
import { basename, resolve } from 'node:path';
import { openGgufModelSteps, isGgufPath } from './ggufModel';
import { openHfFolderSteps, isHfFolder, type ModelOpenOptions } from './hfFolder';
import { runSteps } from '../steps';
import { ModelError } from './errors';
import { explainPositions } from './positions';
import type { ModelDescription, OpenedModel } from './description';

export { ModelError, type ModelErrorCode } from './errors';
export { ModelTables, checkRowsCoverIds } from './modelTables';
export { explainPositions, type PositionScheme } from './positions';
export { parseModelConfig, type ModelConfig } from './config';
export { tokenTableCandidates, positionTableCandidates } from './tensorNames';
export type { ModelOpenOptions } from './hfFolder';
export { formatModelDescription } from './format';
export type { ModelDescription, OpenedModel } from './description';

export function openModel(path: string, options: ModelOpenOptions = {}): OpenedModel {
  return runSteps(openModelSteps(path, options));
}

/**
 * `openModel` in steps: a Hugging Face folder's tokenizer.json, and a .gguf file's vocabulary arrays and the
 * tokenizer built from them, are read a few thousand entries at a time (the engine worker answers other requests
 * between steps).
 */
export function* openModelSteps(path: string, options: ModelOpenOptions = {}): Generator<void, OpenedModel, void> {
  const abs = resolve(path);
  if (isHfFolder(abs)) {
    const m = yield* openHfFolderSteps(abs, options);
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
    const m = yield* openGgufModelSteps(abs, options);
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
