/** The TableDescription of tables read from a file (safetensors, GGUF, a model folder): one shape for all three. */
import type { TableDescription } from '../shared/embeddingTypes';
import type { EmbeddingTables } from './types';

type FileDescription = Extract<TableDescription, { kind: 'file' }>;

export function describeFileTables(
  path: string,
  tables: Pick<EmbeddingTables, 'vocabSize' | 'dim' | 'contextLength'>,
  tensors: Pick<FileDescription, 'tokenTensor' | 'positionTensor' | 'dtype'>,
): FileDescription {
  return { kind: 'file', path, ...tensors, vocabSize: tables.vocabSize, dim: tables.dim, contextLength: tables.contextLength };
}
