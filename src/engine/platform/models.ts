/**
 * The engine's door to whole models, Node edition (engine worker, CLI, tests): `#engine-models` (package.json
 * "imports"). A Hugging Face folder or a .gguf file is opened with random access to several files, which only a
 * file system gives; the browser edition (models.web.ts) refuses with a clear message.
 */
import { openModel, openModelSteps } from '../model';
import type { OpenedModel } from '../model/description';

/** A Hugging Face model folder or a .gguf file (src/engine/model): tables, tokenizer.json content, description. */
export function openModelFiles(path: string): OpenedModel {
  return openModel(path);
}

/** `openModelFiles` in steps (a folder's tokenizer.json is read a few thousand entries at a time). */
export function openModelFilesSteps(path: string): Generator<void, OpenedModel, void> {
  return openModelSteps(path);
}
