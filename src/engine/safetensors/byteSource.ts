/**
 * Random access to the bytes of a weights file. The tables read only the rows they need through this,
 * never the whole model; tests wrap it to count the bytes actually read. Files on disk are opened through
 * src/engine/platform/files.ts (FileByteSource in fileByteSource.ts), so this module stays free of Node.
 */
import { SafetensorsError } from './errors';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Fill `target` completely with the bytes starting at `position`, or throw SafetensorsError('io'). */
  readAt(target: Uint8Array, position: number): void;
  close(): void;
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
