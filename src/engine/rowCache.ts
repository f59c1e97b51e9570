/**
 * The embedding tables' cache of decoded rows within a byte budget, shared by the random tables, safetensors
 * files and GGUF files. Each source keys its rows as it likes (negative keys keep a positional table's rows
 * apart from the token table's).
 */
import { Lru } from './lru';

/** Default budget of one table source's row cache. */
export const DEFAULT_ROW_CACHE_BYTES = 16 * 1024 * 1024;
/** For very narrow tables the per-entry overhead, not the floats, would dominate: the count is capped too. */
const MAX_CACHED_ROWS = 65_536;

export class RowCache extends Lru<number, Float32Array> {
  /** Rows of `dim` float32 values within `bytes` (default DEFAULT_ROW_CACHE_BYTES); a budget under one row caches nothing. */
  constructor(dim: number, bytes = DEFAULT_ROW_CACHE_BYTES) {
    super(Math.max(0, Math.min(MAX_CACHED_ROWS, Math.floor(bytes / (Math.max(1, dim) * 4)))));
  }
}
