/**
 * A weights file on disk as a ByteSource: one file descriptor, positioned reads with `fs.readSync`.
 * Node only: the engine reaches it through src/engine/platform/files.ts, which the browser build replaces.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from './byteSource';
import { SafetensorsError } from './errors';

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return err instanceof Error ? err.message : String(e);
  }
}

/** One file descriptor, positioned reads with `fs.readSync`. */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private fd: number | null;

  constructor(readonly path: string) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new SafetensorsError('io', `Cannot open weights file ${path}: ${describeFsError(e)}.`);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new SafetensorsError('io', `Cannot read weights file ${path}: it is not a regular file.`);
      this.size = st.size;
    } catch (e) {
      closeSync(fd);
      if (e instanceof SafetensorsError) throw e;
      throw new SafetensorsError('io', `Cannot read weights file ${path}: ${describeFsError(e)}.`);
    }
    this.fd = fd;
  }

  readAt(target: Uint8Array, position: number): void {
    if (this.fd === null) throw new SafetensorsError('io', `Weights file ${this.path} is already closed.`);
    let done = 0;
    while (done < target.length) {
      let n: number;
      try {
        n = readSync(this.fd, target, done, target.length - done, position + done);
      } catch (e) {
        throw new SafetensorsError('io', `Cannot read weights file ${this.path}: ${describeFsError(e)}.`);
      }
      // A short file here means it changed on disk after it was validated.
      if (n === 0) {
        throw new SafetensorsError('io', `Weights file ${this.path} ended early (was it changed while open?).`);
      }
      done += n;
    }
  }

  close(): void {
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      closeSync(fd);
    }
  }
}
