/**
 * The signal the browser build's file access gives when the engine needs a file the extension host has not
 * handed over yet. The web worker entry (src/worker/webEngineWorker.ts) catches it, asks the host for the file
 * (`workspace.fs`), stores it, and runs the request again. Node builds never throw it.
 */
export type NeededFile =
  /** A file shipped inside the extension, relative to its dist/ folder (e.g. `ranks/cl100k_base.json`). */
  | { kind: 'bundled'; path: string }
  /** A user's file (a weights file), as the path or URI string the settings name it by. */
  | { kind: 'user'; path: string };

export class FileNeededError extends Error {
  constructor(readonly file: NeededFile) {
    super(`${file.kind} file ${file.path} has not been loaded into the engine yet`);
    this.name = 'FileNeededError';
  }
}

export function isFileNeededError(e: unknown): e is FileNeededError {
  return e instanceof FileNeededError;
}
