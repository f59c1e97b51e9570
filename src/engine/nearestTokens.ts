/**
 * Nearest tokens by cosine similarity of token embeddings, for any EmbeddingTables. The vocabulary is
 * scanned in blocks of rows (one positioned read per block for file tables, one generated range for random
 * tables), a min-heap keeps the best k, and the scan yields to the event loop between blocks so a cancel
 * message can arrive and stop it.
 *
 * Every score returned is exact: float64 sums in a fixed order (scan/rowDots.ts), the same bit for bit whichever
 * kernel ran. Computing that for all rows costs more than reading the table (float64 needs a widening, a multiply
 * and an add per value), so where WebAssembly runs, a block is first screened: float32 dot products (and, the
 * first time, float32 squared norms, cached per table) give every row a score within a proven bound of its exact
 * score (scan/screenBound.ts), and only rows whose screening score plus the bound reaches the worst score kept are
 * computed exactly — the ones that can rank, a few hundred of 50,257 in a GPT-2 scan. The answer is the exact
 * scan's (test/unit/nearestTokensScreen.test.ts). Where the time goes (bench/weights.bench.ts, GPT-2 × 768 from the
 * page cache): the read itself, then the screening dots at ~0.35× of the read (~0.5× with the norms of a first scan).
 * Without WebAssembly every row is computed exactly, with exact norms cached per table.
 */
import { RowDots, defaultRowDotsBackend, type RowDotsBackend } from './scan/rowDots';
import { isScreenableSquaredNorm, screenInverseNorm, screenScoreBound } from './scan/screenBound';
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
  /** Counts of this scan's work, added to (for benches and tests). */
  stats?: ScanStats;
}

export interface ScanStats {
  /** Rows scored. */
  rows: number;
  /** Of those, rows whose exact score was computed (all of them when the scan does not screen). */
  exactRows: number;
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
type NormCache = WeakMap<EmbeddingTables, RowNorms>;
/** Exact norms (scans without screening). */
const exactNormCache: NormCache = new WeakMap();
/** 1 / the screening norm, NaN for rows the screen cannot judge (scans with screening). */
const screenInverseNormCache: NormCache = new WeakMap();

function rowNormsOf(cache: NormCache, tables: EmbeddingTables): RowNorms {
  let entry = cache.get(tables);
  if (entry === undefined || entry.norms.length !== tables.vocabSize) {
    entry = { norms: new Float64Array(tables.vocabSize), filled: 0 };
    cache.set(tables, entry);
  }
  return entry;
}

/**
 * The cached norms of rows `[start, start + count)` after running `dotsOnly` if they are all cached, or `withNorms`
 * (which writes them from `start`) if not; only a block that continues the cached prefix extends it.
 */
function blockNorms(
  cache: NormCache,
  tables: EmbeddingTables,
  start: number,
  count: number,
  dotsOnly: () => void,
  withNorms: (norms: Float64Array, start: number) => void,
): Float64Array {
  const cached = rowNormsOf(cache, tables);
  if (start + count <= cached.filled) {
    dotsOnly();
  } else {
    withNorms(cached.norms, start);
    if (cached.filled >= start) cached.filled = start + count;
  }
  return cached.norms;
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
    kernel.setVector(query);
    const bound = screenScoreBound(dim);
    const scan = kernel.canScreen && isScreenableSquaredNorm(qNormSquared) && bound < Infinity ? screenedScan(bound) : exactScan;
    await scanBlocks(tables, id, qNorm, chunkRows, kernel, top, options, scan);
  } finally {
    returnKernel(kernel);
  }
  options.cancel?.throwIfCancelled();
  return top.sorted();
}

/**
 * Scores one block of rows `[start, start + count)` already in the kernel and offers them to the heap; returns how
 * many of them it computed exactly.
 */
type BlockScan = (block: BlockContext, start: number, count: number) => number;

interface BlockContext {
  tables: EmbeddingTables;
  kernel: RowDots;
  top: TopK;
  /** The query row (never its own neighbour). */
  id: number;
  qNorm: number;
}

/** A row's exact score from its exact dot product with the query and its exact norm (0 for an all-zero row). */
function cosine(dot: number, qNorm: number, norm: number): number {
  const denom = qNorm * norm;
  return denom === 0 ? 0 : dot / denom;
}

/**
 * Offers an exact score. While the heap is full, a row enters only if it beats the worst kept score: rows come in id
 * order, so an equal score has the higher id and loses the tie (exactly TopK.offer's test, without the call for the
 * ~all rows that fail). NaN weights never rank.
 */
function offerExact(top: TopK, score: number, row: number): void {
  if (score > (top.size === top.k ? top.scores[0]! : -Infinity) || (score === score && top.size < top.k)) top.offer(score, row);
}

/** Every row exact: dot products (with norms the first time, cached per table). */
const exactScan: BlockScan = ({ tables, kernel, top, id, qNorm }, start, count) => {
  const norms = blockNorms(
    exactNormCache,
    tables,
    start,
    count,
    () => kernel.dotsOf(count),
    (into, at) => {
      kernel.dotsAndNormsOf(count);
      into.set(kernel.norms.subarray(0, count), at);
    },
  );
  const dots = kernel.dots;
  let exact = 0;
  for (let r = 0; r < count; r++) {
    const row = start + r;
    if (row === id) continue;
    offerExact(top, cosine(dots[r]!, qNorm, norms[row]!), row);
    exact++;
  }
  return exact;
};

/**
 * Screening first (see the file comment): float32 dot products (with float32 squared norms the first time, their
 * inverses cached per table), and the exact score only for a row that the bound cannot rule out — one whose
 * screening score plus `bound` is not below the worst score kept, any row while the heap is not full, and any row
 * the screen cannot judge (NaN screening score).
 */
const screenedScan =
  (bound: number): BlockScan =>
  ({ tables, kernel, top, id, qNorm }, start, count) => {
    const inverseNorms = blockNorms(
      screenInverseNormCache,
      tables,
      start,
      count,
      () => kernel.screenDotsOf(count),
      (into, at) => {
        kernel.screenDotsAndNormsOf(count);
        const norms2 = kernel.screenNorms2;
        for (let r = 0; r < count; r++) into[at + r] = screenInverseNorm(norms2[r]!);
      },
    );
    const screenDots = kernel.screenDots;
    const inverseQNorm = 1 / qNorm;
    let threshold = top.size === top.k ? top.scores[0]! - bound : -Infinity;
    let exact = 0;
    for (let r = 0; r < count; r++) {
      const row = start + r;
      // Written so that a NaN screening score is not "below": such a row is computed exactly.
      if (!(screenDots[r]! * inverseNorms[row]! * inverseQNorm < threshold) && row !== id) {
        kernel.dotsAndNormsOf(1, r);
        exact++;
        offerExact(top, cosine(kernel.dots[0]!, qNorm, kernel.norms[0]!), row);
        if (top.size === top.k) threshold = top.scores[0]! - bound;
      }
    }
    return exact;
  };

async function scanBlocks(
  tables: EmbeddingTables,
  id: number,
  qNorm: number,
  chunkRows: number,
  kernel: RowDots,
  top: TopK,
  options: NearestTokensOptions,
  scan: BlockScan,
): Promise<void> {
  const vocab = tables.vocabSize;
  const yieldEveryMs = options.yieldEveryMs ?? 16;
  const stats = options.stats ?? { rows: 0, exactRows: 0 };
  const context: BlockContext = { tables, kernel, top, id, qNorm };
  let lastYield = performance.now();
  for (let start = 0; start < vocab; start += chunkRows) {
    options.cancel?.throwIfCancelled();
    const count = Math.min(chunkRows, vocab - start);
    // File and random tables write the rows straight into the kernel's memory.
    kernel.load(rowBlock(tables, start, count, kernel.block));
    stats.exactRows += scan(context, start, count);
    stats.rows += count - (id >= start && id < start + count ? 1 : 0);
    if (performance.now() - lastYield >= yieldEveryMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}
