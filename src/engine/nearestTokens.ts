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
  /** Rows per block (default 1,024). */
  chunkRows?: number;
  /** Checked between blocks; throw from it to stop (CancellationFlag from src/shared/rpc.ts fits). */
  cancel?: { throwIfCancelled(): void };
  /** Yield to the event loop after this much work so cancels get delivered (default 16 ms; 0 = every block). */
  yieldEveryMs?: number;
}

/** Rows `[start, start+count)`; uses the tables' fast path when present. */
function rowBlock(tables: EmbeddingTables, start: number, count: number): Float32Array {
  if (tables.tokenRowsRange) return tables.tokenRowsRange(start, count);
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

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function nearestTokens(tables: EmbeddingTables, id: number, options: NearestTokensOptions = {}): Promise<NearestToken[]> {
  const vocab = tables.vocabSize;
  const dim = tables.dim;
  if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`token id ${id} is outside 0..${vocab - 1}.`);
  const kRequested = options.k ?? 10;
  if (!Number.isInteger(kRequested) || kRequested < 1) throw new RangeError(`k must be a positive integer, got ${kRequested}.`);
  const chunkRows = options.chunkRows ?? 1024;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}.`);
  const k = Math.min(kRequested, vocab - 1);
  if (k === 0) return [];
  const yieldEveryMs = options.yieldEveryMs ?? 16;

  const query = tables.tokenRows([id]);
  let qNorm = 0;
  for (let j = 0; j < dim; j++) qNorm += query[j] * query[j];
  qNorm = Math.sqrt(qNorm);

  const top = new TopK(k);
  let lastYield = performance.now();
  for (let start = 0; start < vocab; start += chunkRows) {
    options.cancel?.throwIfCancelled();
    const count = Math.min(chunkRows, vocab - start);
    const block = rowBlock(tables, start, count);
    for (let r = 0; r < count; r++) {
      const row = start + r;
      if (row === id) continue;
      const base = r * dim;
      let dot = 0;
      let norm = 0;
      for (let j = 0; j < dim; j++) {
        const v = block[base + j];
        dot += v * query[j];
        norm += v * v;
      }
      const denom = qNorm * Math.sqrt(norm);
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
