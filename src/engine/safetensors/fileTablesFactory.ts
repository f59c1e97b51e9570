/**
 * Opens the tables the engine service asks for when `settings.weights` is a .safetensors file, applying the
 * positional scheme, and turns every problem with the file into RpcError('invalidInput') with the reader's
 * message (it is the user's file: they can pick another one, or another tensor / encoding / scheme).
 */
import type { PositionalScheme, WeightsSource } from '../../shared/protocol';
import { RpcError } from '../../shared/rpc';
import { withPositionalScheme } from '../positionalTables';
import type { EmbeddingTables } from '../types';
import { SafetensorsError } from './errors';
import { FileEmbeddingTables } from './fileEmbeddingTables';

export interface FileTablesRequest {
  weights: Extract<WeightsSource, { kind: 'file' }>;
  /** Rows the encoding needs; the file's token table must have exactly this many. */
  vocabSize: number;
  /** Slots for sinusoidal / none positions (a learned table brings its own). */
  contextLength: number;
  positional: PositionalScheme;
}

export function openFileTables(request: FileTablesRequest): EmbeddingTables {
  const { weights, positional } = request;
  let tables: FileEmbeddingTables;
  try {
    tables = FileEmbeddingTables.open(weights.path, {
      tokenTensor: weights.tokenTensor,
      // Only a learned scheme reads the file's positional table.
      positionTensor: positional === 'learned' ? weights.positionTensor : null,
      expectedVocabSize: request.vocabSize,
    });
  } catch (e) {
    if (e instanceof SafetensorsError) throw new RpcError('invalidInput', e.message);
    throw e;
  }
  if (positional === 'learned' && !tables.hasPositionTable) {
    tables.dispose();
    throw new RpcError(
      'invalidInput',
      `${weights.path} has no learned positional table (models with rotary or ALiBi positions, like Llama, have none); ` +
        'choose positional "sinusoidal" or "none", or name the table with positionTensor.',
    );
  }
  return withPositionalScheme(tables, positional, request.contextLength);
}
