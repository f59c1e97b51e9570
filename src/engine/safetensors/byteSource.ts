/**
 * Random access to the bytes of a weights file. The tables read only the rows they need through this,
 * never the whole model; tests wrap it to count the bytes actually read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SafetensorsError } from './errors';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Fill `target` completely with the bytes starting at `position`, or throw SafetensorsError('io'). */
  readAt(target: Uint8Array, position: number): void;
  close(): void;
}

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

/** Bytes already in memory (tests, fuzzing). */
export class MemoryByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  readAt(target: Uint8Array, position: number): void {
    if (position < 0 || position + target.length > this.bytes.length) {
      throw new SafetensorsError('io', 'read beyond the end of the data');
    }
    target.set(this.bytes.subarray(position, position + target.length));
  }
  close(): void {}
}
