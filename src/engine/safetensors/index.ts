// Public surface of the safetensors reader.
export { SafetensorsError, type SafetensorsErrorCode } from './errors';
export { MemoryByteSource, type ByteSource } from './byteSource';
export { FileByteSource } from './fileByteSource';
export { DTYPE_BITS, READABLE_DTYPES, isReadableDtype, type ReadableDtype } from './dtypes';
export { MAX_HEADER_BYTES, MAX_RANK, readSafetensorsHeader, parseSafetensorsBytes, type SafetensorsHeader, type SafetensorsTensorInfo } from './header';
export {
  FileEmbeddingTables,
  TOKEN_TENSOR_NAMES,
  POSITION_TENSOR_NAMES,
  listEmbeddingCandidates,
  listEmbeddingCandidatesInFile,
  summarizeWeightsFile,
  type WeightsFileSummary,
  type EmbeddingCandidate,
  type FileEmbeddingOptions,
} from './fileEmbeddingTables';
export { openFileTables, type FileTablesRequest } from './fileTablesFactory';
