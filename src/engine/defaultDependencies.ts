/**
 * The engine's real parts, wired for the worker and the CLI: the engine's BPE tokenizer (js-tiktoken ranks
 * shipped in dist/ranks) and the PyTorch-exact random tables, with the positional scheme applied to the
 * positional rows. File-backed tables come with the safetensors reader.
 * (Host branch: minimal wiring so the extension runs end to end; the worker-cli branch owns this file.)
 */
import type { EngineDependencies, TablesSpec } from './service';
import type { EmbeddingTables } from './types';
import { RpcError } from '../shared/rpc';
import { getTokenizer } from './tokenizer';
import { RandomEmbeddingTables } from './randomTables';
import { positionalRows } from './positional';

/** Applies `sinusoidal`/`none` to a table's positional rows; `learned` reads the table itself. */
function withScheme(tables: EmbeddingTables, scheme: TablesSpec['positional']): EmbeddingTables {
  if (scheme === 'learned') return tables;
  return {
    vocabSize: tables.vocabSize,
    dim: tables.dim,
    contextLength: tables.contextLength,
    tokenRows: (rows) => tables.tokenRows(rows),
    positionRows: (rows) => {
      for (let i = 0; i < rows.length; i++) {
        if (rows[i] >= tables.contextLength) throw new RangeError(`position row ${rows[i]} is outside 0..${tables.contextLength - 1}`);
      }
      return positionalRows(scheme, tables, rows);
    },
    describe: () => tables.describe(),
    dispose: () => tables.dispose?.(),
  };
}

export function defaultEngineDependencies(): EngineDependencies {
  return {
    tokenizer: (encoding) => getTokenizer(encoding),
    tables: (spec) => {
      if (spec.weights.kind !== 'random') {
        throw new RpcError('invalidInput', 'embedding tables from .safetensors files are not part of this build yet');
      }
      const tables = new RandomEmbeddingTables({
        seed: spec.weights.seed,
        vocabSize: spec.vocabSize,
        dim: spec.dim,
        contextLength: spec.contextLength,
      });
      return withScheme(tables, spec.positional);
    },
  };
}
