/**
 * The signal the browser build's file access gives when the engine needs a file the extension host has not
 * handed over yet. The web worker entry (src/worker/webEngineWorker.ts) catches it, asks the host for the file
 * (`workspace.fs`), stores it, and runs the request again. Node builds never throw it.
 */
import type { NeededFile } from '../../shared/engineProtocol';

export class FileNeededError extends Error {
  constructor(readonly file: NeededFile) {
    super(`${file.kind} file ${file.path} has not been loaded into the engine yet`);
    this.name = 'FileNeededError';
  }
}

export function isFileNeededError(e: unknown): e is FileNeededError {
  return e instanceof FileNeededError;
}
