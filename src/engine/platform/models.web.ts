/**
 * The engine's door to whole models, browser edition: VS Code for the Web cannot open model folders or .gguf
 * files (random access to several files of gigabytes), so the command is hidden there (`!isWeb`) and a model
 * source that still arrives (settings synced from a desktop) is refused with a message saying why.
 */
import { ModelError } from '../model/errors';

export function openModelFiles(path: string): never {
  throw new ModelError('notAModel', `Opening a model (${path}) needs desktop VS Code: VS Code for the Web cannot read model folders or .gguf files.`);
}

/** The stepped form refuses the same way. */
export function openModelFilesSteps(path: string): never {
  return openModelFiles(path);
}
