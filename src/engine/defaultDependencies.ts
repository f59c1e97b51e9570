/**
 * The engine's real parts, wired for the worker and the CLI: the tiktoken-exact BPE tokenizer, PyTorch-exact
 * random tables, and tables read from a local .safetensors file.
 */
import type { EngineDependencies } from './service';
import { withPositionalScheme } from './positionalTables';
import { RandomEmbeddingTables } from './randomTables';
import { openFileTables } from './safetensors/fileTablesFactory';
import { getTokenizer } from './tokenizer';

export function defaultEngineDependencies(): EngineDependencies {
  return {
    tokenizer: (encoding) => getTokenizer(encoding),
    tables: (spec) => {
      if (spec.weights.kind === 'file') {
        return openFileTables({ weights: spec.weights, vocabSize: spec.vocabSize, contextLength: spec.contextLength, positional: spec.positional });
      }
      // The token table does not depend on the positional scheme: nn.Embedding(vocab, dim) is drawn first.
      const random = new RandomEmbeddingTables({
        seed: spec.weights.seed,
        vocabSize: spec.vocabSize,
        dim: spec.dim,
        contextLength: spec.contextLength,
      });
      return withPositionalScheme(random, spec.positional, spec.contextLength);
    },
  };
}
