/**
 * The engine's real parts, wired for the worker and the CLI: the tiktoken-exact BPE tokenizer (ranks from
 * dist/ranks), the PyTorch-exact random tables, and tables read from a local .safetensors file.
 */
import type { EngineDependencies } from './service';
import { getTokenizer } from './tokenizer';
import { RandomEmbeddingTables } from './randomTables';
import { openFileTables } from './safetensors/fileTablesFactory';

export function defaultEngineDependencies(): EngineDependencies {
  return {
    tokenizer: (encoding) => getTokenizer(encoding),
    tables: (spec) => {
      if (spec.weights.kind === 'file') {
        return openFileTables({ weights: spec.weights, vocabSize: spec.vocabSize, contextLength: spec.contextLength });
      }
      return new RandomEmbeddingTables({
        seed: spec.weights.seed,
        vocabSize: spec.vocabSize,
        dim: spec.dim,
        contextLength: spec.contextLength,
      });
    },
  };
}
