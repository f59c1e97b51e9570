/**
 * Nearest tokens by cosine similarity of token embeddings, for any EmbeddingTables. The vocabulary is
 * scanned in blocks of rows (one positioned read per block for file tables, one generated range for random
 * tables), a min-heap keeps the best k, and the scan yields to the event loop between blocks so a cancel
 * message can arrive and stop it. Row norms are computed once per table and cached, so repeat scans only
 * compute dot products (scan/rowDots.ts: WebAssembly SIMD, fused multiply-adds where the runtime has relaxed SIMD,
 * float64 sums in a fixed order, so a score is the same bit for bit whichever kernel ran and whether the norm was
 * cached). Where the time goes (bench/weights.bench.ts, GPT-2 × 768 from the page cache): the read itself, then the
 * dot products at ~0.6× (fused) or ~0.85× (plain SIMD) of the read; the norms of a first scan add ~0.35× more.
 */
import { RowDots, defaultRowDotsBackend, type RowDotsBackend } from './scan/rowDots';
import type { EmbeddingTables } from './types';
import { yieldToEventLoop } from '../shared/rpc';

export interface NearestToken {
  id: number;
  /** Cosine similarity in [-1, 1]; 0 for an all-zero row. */
  score: number;
}

export interface NearestTokensOptions {
  /** How many neighbours (default 10; capped at vocabSize − 1). */
  k?: number;
  /** Rows per block (default 1,024, fewer for wide tables so a block stays within 512 KB of float32). */
  chunkRows?: number;
  /** Checked between blocks; throw from it to stop (CancellationFlag from src/shared/rpc.ts fits). */
  cancel?: { throwIfCancelled(): void };
  /** Yield to the event loop after this much work so cancels get delivered (default 16 ms; 0 = every block). */
  yieldEveryMs?: number;
  /** The dot-product kernel (default: the fastest this runtime has; all give the same result bit for bit). For benches and tests. */
  backend?: RowDotsBackend;
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

/**
 * Rows per block: ~512 KB of float32, so the rows just read are still in the CPU cache when they are multiplied
 * (smaller blocks cost more reads, larger ones no longer fit the cache), rounded down to a multiple of four, the
 * rows the fused kernel takes per pass.
 */
const BLOCK_BYTES = 512 * 1024;
function defaultChunkRows(dim: number): number {
  const rows = Math.min(1024, Math.floor(BLOCK_BYTES / (dim * 4)));
  return rows >= 4 ? rows & ~3 : Math.max(1, rows);
}

/**
 * Kernels of finished scans, reused by the next scan of the same width (a kernel owns ~0.5 MB of WebAssembly
 * memory; a scan that is running holds its own, so concurrent scans never share one).
 */
const idleKernels: RowDots[] = [];
const IDLE_KERNELS_KEPT = 2;

function takeKernel(dim: number, rows: number, backend: RowDotsBackend): RowDots {
  const i = idleKernels.findIndex((k) => k.dim === dim && k.maxRows === rows && k.backend === backend);
  return i >= 0 ? idleKernels.splice(i, 1)[0]! : new RowDots(dim, rows, backend);
}

function returnKernel(kernel: RowDots): void {
  idleKernels.unshift(kernel);
  idleKernels.length = Math.min(idleKernels.length, IDLE_KERNELS_KEPT);
}

/**
 * Euclidean norms of a table's token rows, filled by the first scan (in row order, so a cancelled scan leaves a
 * valid prefix) and reused by every later one: a repeat scan then only needs the dot products. Keyed by the
 * tables object, which is immutable for its lifetime (a new file or seed is a new object); 8 bytes per row.
 */
interface RowNorms {
  norms: Float64Array;
  /** Rows `[0, filled)` hold their norm. */
  filled: number;
}
const rowNormCache = new WeakMap<EmbeddingTables, RowNorms>();

function rowNormsOf(tables: EmbeddingTables): RowNorms {
  let entry = rowNormCache.get(tables);
  if (entry === undefined || entry.norms.length !== tables.vocabSize) {
    entry = { norms: new Float64Array(tables.vocabSize), filled: 0 };
    rowNormCache.set(tables, entry);
  }
  return entry;
}

export async function nearestTokens(tables: EmbeddingTables, id: number, options: NearestTokensOptions = {}): Promise<NearestToken[]> {
  const vocab = tables.vocabSize;
  const dim = tables.dim;
  if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`token id ${id} is outside 0..${vocab - 1}.`);
  const kRequested = options.k ?? 10;
  if (!Number.isInteger(kRequested) || kRequested < 1) throw new RangeError(`k must be a positive integer, got ${kRequested}.`);
  const chunkRows = options.chunkRows ?? defaultChunkRows(dim);
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}.`);
  const k = Math.min(kRequested, vocab - 1);
  if (k === 0) return [];

  const query = tables.tokenRows([id]);
  let qNormSquared = 0;
  for (let j = 0; j < dim; j++) qNormSquared += query[j]! * query[j]!;
  const qNorm = Math.sqrt(qNormSquared);

  const top = new TopK(k);
  const kernel = takeKernel(dim, Math.min(chunkRows, vocab), options.backend ?? defaultRowDotsBackend());
  try {
    await scanBlocks(tables, id, query, qNorm, chunkRows, kernel, top, options);
  } finally {
    returnKernel(kernel);
  }
  options.cancel?.throwIfCancelled();
  return top.sorted();
}

async function scanBlocks(
  tables: EmbeddingTables,
  id: number,
  query: Float32Array,
  qNorm: number,
  chunkRows: number,
  kernel: RowDots,
  top: TopK,
  options: NearestTokensOptions,
): Promise<void> {
  const vocab = tables.vocabSize;
  const yieldEveryMs = options.yieldEveryMs ?? 16;
  const cached = rowNormsOf(tables);
  const norms = cached.norms;
  kernel.setVector(query);
  const dots = kernel.dots;
  // While the heap is full, a row enters only if it beats the worst kept score: rows come in id order, so an equal
  // score has the higher id and loses the tie (exactly TopK.offer's test, without the call for the ~all rows that fail).
  let worst = top.size === top.k ? top.scores[0]! : -Infinity;
  let lastYield = performance.now();
  for (let start = 0; start < vocab; start += chunkRows) {
    options.cancel?.throwIfCancelled();
    const count = Math.min(chunkRows, vocab - start);
    // File and random tables write the rows straight into the kernel's memory.
    kernel.load(rowBlock(tables, start, count, kernel.block));
    if (start + count <= cached.filled) {
      kernel.dotsOf(count);
    } else {
      kernel.dotsAndNormsOf(count);
      norms.set(kernel.norms.subarray(0, count), start);
      if (cached.filled >= start) cached.filled = start + count;
    }
    for (let r = 0; r < count; r++) {
      const row = start + r;
      if (row === id) continue;
      const denom = qNorm * norms[row]!;
      const score = denom === 0 ? 0 : dots[r]! / denom;
      // NaN weights never rank.
      if (score > worst || (score === score && top.size < top.k)) {
        top.offer(score, row);
        if (top.size === top.k) worst = top.scores[0]!;
      }
    }
    if (performance.now() - lastYield >= yieldEveryMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}
