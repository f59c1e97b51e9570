/**
 * Problems with a model folder or file as a whole (the files inside have their own errors: SafetensorsError,
 * GgufError). `message` is written for the person who picked the model.
 */
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

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
