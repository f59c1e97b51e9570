/**
 * The engine's real parts, wired for the worker and the CLI: the js-tiktoken-based tokenizer and the
 * PyTorch-exact random tables (file-backed tables come with the safetensors reader).
 */
import type { EngineDependencies } from './service';
import { RpcError } from '../shared/rpc';

export function defaultEngineDependencies(): EngineDependencies {
  return {
    tokenizer: (encoding) => {
      throw new RpcError('internal', `the ${encoding} tokenizer is not part of this build yet (src/engine/tokenizer is not merged)`);
    },
    tables: (spec) => {
      throw new RpcError('internal', `${spec.weights.kind} embedding tables are not part of this build yet`);
    },
  };
}
