/**
 * Every way a .safetensors file (or the choice of tensors inside it) can be unusable, as one typed error.
 * Callers switch on `code`; `message` is written for the person who picked the file.
 */
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

export class SafetensorsError extends Error {
  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

export function isSafetensorsError(e: unknown): e is SafetensorsError {
  return e instanceof SafetensorsError;
}
