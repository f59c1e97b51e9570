/**
 * Nearest tokens by cosine similarity of token embeddings, for any EmbeddingTables. The vocabulary is
 * scanned in blocks of rows (one positioned read per block for file tables), a min-heap keeps the best k,
 * and the scan yields to the event loop between blocks so a cancel message can arrive and stop it.
 */
import type { EmbeddingTables } from './types';

export interface NearestToken {
  id: number;
  /** Cosine similarity in [-1, 1]; 0 for an all-zero row. */
  score: number;
}

export interface NearestTokensOptions {
  /** How many neighbours (default 10; capped at vocabSize − 1). */
  k?: number;
  /** Rows per block (default 1,024, fewer for wide tables so a block stays within 4 MB of float32). */
  chunkRows?: number;
  /** Checked between blocks; throw from it to stop (CancellationFlag from src/shared/rpc.ts fits). */
  cancel?: { throwIfCancelled(): void };
  /** Yield to the event loop after this much work so cancels get delivered (default 16 ms; 0 = every block). */
  yieldEveryMs?: number;
}

/** Rows `[start, start+count)`; uses the tables' fast path when present. */
function rowBlock(tables: EmbeddingTables, start: number, count: number, into: Float32Array): Float32Array {
  if (tables.tokenRowsRange) return tables.tokenRowsRange(start, count, into);
  const ids = new Uint32Array(count);
  for (let i = 0; i < count; i++) ids[i] = start + i;
  return tables.tokenRows(ids);
}

/** Bounded min-heap of (score, id); the root is the worst kept entry. Ties prefer the lower id. */
class TopK {
  readonly scores: Float64Array;
  readonly ids: Int32Array;
  size = 0;
  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.ids = new Int32Array(k);
  }
  /** a is worse than b */
  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }
  offer(score: number, id: number): void {
    const { scores, ids } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(score, id, scores[p], ids[p])) break;
        scores[i] = scores[p];
        ids[i] = ids[p];
        i = p;
      }
      scores[i] = score;
      ids[i] = id;
      return;
    }
    if (!this.worse(scores[0], ids[0], score, id)) return;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.worse(scores[r], ids[r], scores[l], ids[l]) ? r : l;
      if (!this.worse(scores[c], ids[c], score, id)) break;
      scores[i] = scores[c];
      ids[i] = ids[c];
      i = c;
    }
    scores[i] = score;
    ids[i] = id;
  }
  sorted(): NearestToken[] {
    const out: NearestToken[] = [];
    for (let i = 0; i < this.size; i++) out.push({ id: this.ids[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

const BLOCK_BYTES = 4 * 1024 * 1024;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function nearestTokens(tables: EmbeddingTables, id: number, options: NearestTokensOptions = {}): Promise<NearestToken[]> {
  const vocab = tables.vocabSize;
  const dim = tables.dim;
  if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`token id ${id} is outside 0..${vocab - 1}.`);
  const kRequested = options.k ?? 10;
  if (!Number.isInteger(kRequested) || kRequested < 1) throw new RangeError(`k must be a positive integer, got ${kRequested}.`);
  const chunkRows = options.chunkRows ?? Math.max(1, Math.min(1024, Math.floor(BLOCK_BYTES / (dim * 4))));
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}.`);
  const k = Math.min(kRequested, vocab - 1);
  if (k === 0) return [];
  const yieldEveryMs = options.yieldEveryMs ?? 16;

  const query = tables.tokenRows([id]);
  let qNorm = 0;
  for (let j = 0; j < dim; j++) qNorm += query[j] * query[j];
  qNorm = Math.sqrt(qNorm);

  const top = new TopK(k);
  const blockBuffer = new Float32Array(Math.min(chunkRows, vocab) * dim);
  let lastYield = performance.now();
  for (let start = 0; start < vocab; start += chunkRows) {
    options.cancel?.throwIfCancelled();
    const count = Math.min(chunkRows, vocab - start);
    const block = rowBlock(tables, start, count, blockBuffer);
    for (let r = 0; r < count; r++) {
      const row = start + r;
      if (row === id) continue;
      const base = r * dim;
      // Four independent accumulators: ~1.7x faster in V8 than one (shorter dependency chains).
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0, n0 = 0, n1 = 0, n2 = 0, n3 = 0;
      let j = 0;
      for (; j + 3 < dim; j += 4) {
        const v0 = block[base + j], v1 = block[base + j + 1], v2 = block[base + j + 2], v3 = block[base + j + 3];
        d0 += v0 * query[j];
        d1 += v1 * query[j + 1];
        d2 += v2 * query[j + 2];
        d3 += v3 * query[j + 3];
        n0 += v0 * v0;
        n1 += v1 * v1;
        n2 += v2 * v2;
        n3 += v3 * v3;
      }
      for (; j < dim; j++) {
        const v = block[base + j];
        d0 += v * query[j];
        n0 += v * v;
      }
      const dot = d0 + d1 + d2 + d3;
      const denom = qNorm * Math.sqrt(n0 + n1 + n2 + n3);
      const score = denom === 0 ? 0 : dot / denom;
      // NaN weights never rank.
      if (score === score) top.offer(score, row);
    }
    if (performance.now() - lastYield >= yieldEveryMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  options.cancel?.throwIfCancelled();
  return top.sorted();
}
