// Public surface of the GGUF reader.
export { GgufError, type GgufErrorCode } from './errors';
export { ggmlType, DEQUANTIZABLE_TYPES, isDequantizable, type GgmlTypeInfo, type DequantizableType } from './ggmlTypes';
export { GGUF_VALUE_TYPES, isGgufArray, type GgufArray, type GgufKv, type GgufValue, type GgufValueType } from './values';
export {
  DEFAULT_ALIGNMENT,
  MAX_ARRAY_NESTING,
  MAX_GGUF_HEADER_BYTES,
  MAX_GGUF_STRING_BYTES,
  parseGgufBytes,
  readGgufHeader,
  type GgufFile,
  type GgufTensorInfo,
} from './header';
export { dequantize, bytesForValues, requireDequantizable } from './dequantize';
export { GgufEmbeddingTables, GGUF_TOKEN_TENSOR, type GgufTablesOptions } from './ggufEmbeddingTables';
export {
  ggufTokenizerJson,
  tokenizerJsonIds,
  SUPPORTED_PRE_TOKENIZERS,
  type GgufTokenizer,
  type GgufTokenizerKind,
  type TokenizerJsonIds,
} from './tokenizerJson';
