/**
 * Every way a GGUF file (or using it as a model) can be unusable, as one typed error. Callers switch on
 * `code`; `message` is written for the person who picked the file.
 */
import { CodedError } from '../codedError';
import { SafetensorsError } from '../safetensors/errors';

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

/**
 * The one mapping of a byte-source failure to this format's error: the shared byte reader
 * (../safetensors/byteSource.ts) speaks SafetensorsError, and a GGUF caller should see one error type. Use as
 * `catch (e) { throw asGgufError(e); }`; anything else is rethrown as it is.
 */
export function asGgufError(e: unknown): unknown {
  return e instanceof SafetensorsError ? new GgufError('io', e.message) : e;
}
