/**
 * Every way a .safetensors file (or the choice of tensors inside it) can be unusable, as one typed error.
 * Callers switch on `code`; `message` is written for the person who picked the file.
 */
import { CodedError } from '../codedError';

export type SafetensorsErrorCode =
  // ── reading the file ──
  | 'io'
  | 'fileTooSmall'
  | 'headerTooLarge'
  | 'headerLengthBeyondFile'
  // ── the JSON header ──
  | 'invalidUtf8'
  | 'invalidHeaderStart'
  | 'invalidJson'
  | 'duplicateKey'
  | 'invalidMetadata'
  | 'invalidTensorInfo'
  | 'unknownDtype'
  | 'invalidShape'
  | 'invalidOffsets'
  | 'offsetsNotContiguous'
  | 'sizeOverflow'
  | 'misalignedTensor'
  | 'tensorSizeMismatch'
  | 'dataSizeMismatch'
  // ── using tensors as embedding tables ──
  | 'tensorNotFound'
  | 'noEmbeddingTensor'
  | 'unsupportedDtype'
  | 'badRank'
  | 'vocabMismatch'
  | 'dimMismatch';

export class SafetensorsError extends CodedError<SafetensorsErrorCode> {
  override readonly name = 'SafetensorsError';
}
