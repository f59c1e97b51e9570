/**
 * Problems with a model folder or file as a whole (the files inside have their own errors: SafetensorsError,
 * GgufError). `message` is written for the person who picked the model.
 */
import { CodedError } from '../codedError';

export type ModelErrorCode =
  | 'notFound'
  | 'notAModel'
  | 'invalidConfig'
  | 'invalidIndex'
  | 'noTokenizer'
  | 'invalidTokenizer'
  | 'noWeights'
  | 'noTokenTable'
  | 'ambiguousTokenTable'
  | 'tooFewRows'
  | 'dimMismatch';

export class ModelError extends CodedError<ModelErrorCode> {
  override readonly name = 'ModelError';
}
