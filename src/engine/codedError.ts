/**
 * Base of the engine's input errors (GgufError, SafetensorsError, ModelError, HfTokenizerError): `code` says
 * what kind of problem it is, for tests and callers that react to it; the message, written for the person who
 * chose the file, says what and where. Subclasses name themselves (`name`), which survives minification.
 */
export abstract class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}
