/**
 * The engine's real parts, wired for the worker and the CLI: the tiktoken-exact BPE tokenizer (ranks from
 * dist/ranks) and the PyTorch-exact random tables. File-backed tables come with the safetensors reader.
 */
import type { EngineDependencies } from './service';
import { getTokenizer } from './tokenizer';
import { RandomEmbeddingTables } from './randomTables';
import { RpcError } from '../shared/rpc';

export function defaultEngineDependencies(): EngineDependencies {
  return {
    tokenizer: (encoding) => getTokenizer(encoding),
    tables: (spec) => {
      if (spec.weights.kind === 'random') {
        return new RandomEmbeddingTables({
          seed: spec.weights.seed,
          vocabSize: spec.vocabSize,
          dim: spec.dim,
          contextLength: spec.contextLength,
        });
      }
      throw new RpcError('invalidInput', `reading weights from ${spec.weights.path} is not supported by this build yet`);
    },
  };
}
