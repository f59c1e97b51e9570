/**
 * Every way a GGUF file (or using it as a model) can be unusable, as one typed error. Callers switch on
 * `code`; `message` is written for the person who picked the file.
 */
import { CodedError } from '../codedError';

export type GgufErrorCode =
  // ── reading the file ──
  | 'io'
  | 'truncated'
  | 'badMagic'
  | 'unsupportedVersion'
  | 'headerTooLarge'
  // ── key/values ──
  | 'countTooLarge'
  | 'stringTooLong'
  | 'invalidUtf8'
  | 'duplicateKey'
  | 'unknownValueType'
  | 'invalidBool'
  | 'nestingTooDeep'
  | 'wrongValueType'
  | 'invalidAlignment'
  // ── tensor infos and data layout ──
  | 'invalidTensorInfo'
  | 'duplicateTensor'
  | 'unknownGgmlType'
  | 'sizeOverflow'
  | 'misalignedTensor'
  | 'overlappingTensors'
  | 'tensorBeyondFile'
  // ── using the file as a model ──
  | 'unsupportedType'
  | 'tensorNotFound'
  | 'badShape'
  | 'invalidTokenizer'
  | 'unknownPreTokenizer';

export class GgufError extends CodedError<GgufErrorCode> {
  override readonly name = 'GgufError';
}
