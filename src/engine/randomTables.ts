/**
 * PyTorch-exact random embedding tables answered row by row, without materialising the whole table.
 *
 * `torch.manual_seed(seed); nn.Embedding(V, D); nn.Embedding(C, D)` consumes one mt19937 stream: the token table
 * (V·D elements) first, the positional table right after. On PyTorch's vectorised `normal_` path every float
 * uniform consumes exactly one mt19937 output, so element i of a table starting at stream offset S comes from
 * outputs S + 16·⌊i/16⌋ … +15 (its Box–Muller block), except the last 16 elements of a table whose size is not
 * a multiple of 16: those come from 16 extra outputs drawn after the table. We therefore keep mt19937 state
 * snapshots ("checkpoints") every K twists, built lazily on the first pass, restore the nearest one, twist
 * forward a little and generate only the blocks a row needs. Recently used rows sit in an LRU cache.
 * Whole-vocabulary scans (nearest tokens) read consecutive rows with `tokenRowsRange`, which generates the
 * range in one sequential pass without touching the row cache.
 */
import type { TableDescription } from '../shared/embeddingTypes';
import { RowCache } from './rowCache';
import type { EmbeddingTables } from './types';
import {
  MT19937,
  MT_N,
  TorchGenerator,
  VECTOR_PATH_MIN,
  floatUniform,
  locateOutput,
  normalFill16,
  parseTorchSeed,
  temper,
  torchEmbeddingInit,
  vectorPathOutputs,
} from './torchRandom';
import { type TorchNormalsKernel, torchNormalsKernel } from './torchNormals';

export interface RandomTablesOptions {
  /** Any integer seed torch.manual_seed accepts ([-2^63, 2^64-1]); decimal string or bigint for big ones. */
  seed: bigint | number | string;
  vocabSize: number;
  dim: number;
  contextLength: number;
  /** Byte budget of the recently-used-rows cache (token and positional rows together). Default 16 MiB. */
  rowCacheBytes?: number;
  /** Tables with at most this many elements in total (token + positional) are built in full. Default 2^18. */
  materializeLimit?: number;
  /** Upper bound on mt19937 state snapshots (2,496 bytes each). Default 4,096 (≈10 MB). */
  maxCheckpoints?: number;
  /** Generate long runs with the WebAssembly kernel (torchNormals.ts) when the runtime has SIMD. Default true; false for baselines. */
  wasm?: boolean;
}

export interface RandomTablesStats {
  /** Whether both tables were built in full (small tables) instead of being answered row by row. */
  materialized: boolean;
  /** Twists between two checkpoints. */
  checkpointInterval: number;
  checkpoints: number;
  checkpointBytes: number;
  cachedRows: number;
  cacheBytes: number;
}

const DEFAULT_MATERIALIZE_LIMIT = 1 << 18;
const DEFAULT_MAX_CHECKPOINTS = 4096;

/** mt19937 snapshots every `interval` twists, created lazily by one forward-running builder. */
class CheckpointStore {
  private readonly snapshots: Uint32Array[] = [];
  private readonly builder: MT19937;

  constructor(
    seed32: number,
    readonly interval: number,
  ) {
    this.builder = new MT19937(seed32);
    this.snapshots.push(this.builder.state.slice());
  }

  get count(): number {
    return this.snapshots.length;
  }

  /** Restores into `target` the latest snapshot taken at or before `twists` twists. */
  restoreBefore(target: MT19937, twists: number): void {
    const slot = Math.floor(twists / this.interval);
    while (this.snapshots.length <= slot) {
      for (let i = 0; i < this.interval; i++) this.builder.twist();
      this.snapshots.push(this.builder.state.slice());
    }
    target.state.set(this.snapshots[slot]!);
    target.twists = slot * this.interval;
    target.index = MT_N;
  }
}

/** An mt19937 that can be positioned at any output index of the stream, reusing its state when moving forward. */
class StreamCursor {
  readonly mt = new MT19937();

  constructor(private readonly store: CheckpointStore) {
    store.restoreBefore(this.mt, 0);
  }

  /** After this, `mt.nextU32()` returns stream output `n`. */
  seek(n: number): void {
    const target = locateOutput(n);
    const ahead = target.twists - this.mt.twists;
    if (ahead < 0 || ahead > this.store.interval) this.store.restoreBefore(this.mt, target.twists);
    while (this.mt.twists < target.twists) this.mt.twist();
    this.mt.index = target.index;
  }
}

/** Location of one table in the stream when it is generated on PyTorch's vectorised (≥16 elements) path. */
interface VectorTable {
  /** Stream offset (mt19937 output index) of the table's first uniform. */
  start: number;
  size: number;
  /** Elements below this index come from the main pass; the rest from the redrawn tail block. */
  mainEnd: number;
  /** The 16 values of the tail block, once computed. */
  tail: Float32Array | null;
}

function vectorTable(start: number, size: number): VectorTable {
  return { start, size, mainEnd: size % 16 === 0 ? size : size - 16, tail: null };
}

function checkDimension(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
}

const TWO_PI = 2 * Math.PI;
const UNIFORM_SCALE = 2 ** -24;
const blockUniforms = new Float64Array(16);
// Module-local aliases: when this file runs as CommonJS (tsx, the benches), every use of an imported binding is a
// getter call on the other module's exports, which costs more than the arithmetic in normalBlocks' loop.
const STATE_WORDS = MT_N;
const temperWord = temper;

/** From this many blocks on, the WebAssembly kernel (torchNormals.ts) generates them; below, its call costs more. */
const KERNEL_MIN_BLOCKS = 8;

/**
 * `blocks` consecutive Box–Muller blocks of the stream, starting at `mt`'s next output, written to
 * `out[outOffset …]`: the same values as `floatUniform` on 16 outputs followed by `normalFill16(…, 0, 1)`
 * (torchRandom.ts). Long runs go to the WebAssembly kernel; the JS loop below is fused so the uniforms never go
 * through a Float32Array and the generator's state is read directly. Float32 rounding steps are those of
 * normalFill16; `+ 0` keeps its −0 → +0.
 */
function normalBlocks(mt: MT19937, blocks: number, out: Float32Array, outOffset: number, kernel: TorchNormalsKernel | null): void {
  if (kernel !== null && blocks >= KERNEL_MIN_BLOCKS) {
    kernel.fill(mt, blocks, out, outOffset);
    return;
  }
  const fr = Math.fround;
  const state = mt.state;
  const u = blockUniforms;
  let index = mt.index;
  let o = outOffset;
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 16; i++) {
      if (index >= STATE_WORDS) {
        mt.twist();
        index = 0;
      }
      u[i] = (temperWord(state[index++]!) & 0xffffff) * UNIFORM_SCALE;
    }
    for (let j = 0; j < 8; j++) {
      const radius = fr(Math.sqrt(-2 * fr(Math.log(1 - u[j]!))));
      const theta = fr(TWO_PI * u[j + 8]!);
      out[o + j] = radius * fr(Math.cos(theta)) + 0;
      out[o + j + 8] = radius * fr(Math.sin(theta)) + 0;
    }
    o += 16;
  }
  mt.index = index;
}

export class RandomEmbeddingTables implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  readonly contextLength: number;
  /** The uint64 seed (negative inputs already mapped to two's complement). */
  readonly seed: bigint;

  private readonly seed32: number;
  /** Full tables when small (or for a part that falls on PyTorch's scalar path). */
  private tokenFull: Float32Array | null = null;
  private positionFull: Float32Array | null = null;
  private readonly tokenVector: VectorTable | null = null;
  private positionVector: VectorTable | null = null;
  /** Stream offset where the positional table starts (known up front). */
  private readonly positionStart: number;
  private readonly store: CheckpointStore | null = null;
  private readonly cursor: StreamCursor | null = null;
  private readonly cache: RowCache;
  /** One Box–Muller block, for ranges that start or end inside a block. */
  private readonly blockScratch = new Float32Array(16);
  private readonly kernel: TorchNormalsKernel | null;

  constructor(options: RandomTablesOptions) {
    const { vocabSize, dim, contextLength } = options;
    checkDimension('vocabSize', vocabSize);
    checkDimension('dim', dim);
    checkDimension('contextLength', contextLength);
    if (!Number.isSafeInteger(vocabSize * dim) || !Number.isSafeInteger(contextLength * dim)) {
      throw new RangeError(`Table of ${vocabSize}×${dim} / ${contextLength}×${dim} is too large.`);
    }
    this.vocabSize = vocabSize;
    this.dim = dim;
    this.contextLength = contextLength;
    this.seed = parseTorchSeed(options.seed);
    this.seed32 = Number(this.seed & 0xffffffffn);
    this.cache = new RowCache(dim, options.rowCacheBytes);
    this.kernel = options.wasm === false ? null : torchNormalsKernel();

    const tokenSize = vocabSize * dim;
    const positionSize = contextLength * dim;
    const materializeLimit = options.materializeLimit ?? DEFAULT_MATERIALIZE_LIMIT;
    if (tokenSize + positionSize <= materializeLimit) {
      const full = torchEmbeddingInit(this.seed, vocabSize, dim, contextLength);
      this.tokenFull = full.token;
      this.positionFull = full.position;
      this.positionStart = NaN;
      return;
    }

    let positionStart: number;
    if (tokenSize < VECTOR_PATH_MIN) {
      // Scalar-path token table: tiny; but positional then is large (else we'd have materialised).
      const generator = new TorchGenerator(this.seed);
      this.tokenFull = generator.normal_(new Float32Array(tokenSize));
      positionStart = generator.position;
      // A scalar-path positional table must continue this generator: it may use its cached normal sample.
      if (positionSize < VECTOR_PATH_MIN) this.positionFull = generator.normal_(new Float32Array(positionSize));
    } else {
      this.tokenVector = vectorTable(0, tokenSize);
      positionStart = vectorPathOutputs(tokenSize);
    }
    this.positionStart = positionStart;
    if (positionSize >= VECTOR_PATH_MIN) this.positionVector = vectorTable(positionStart, positionSize);

    const totalOutputs = positionStart + (positionSize >= VECTOR_PATH_MIN ? vectorPathOutputs(positionSize) : 4 * positionSize);
    const totalTwists = Math.ceil(totalOutputs / MT_N);
    const maxCheckpoints = Math.max(1, options.maxCheckpoints ?? DEFAULT_MAX_CHECKPOINTS);
    const interval = Math.max(1, Math.ceil(totalTwists / maxCheckpoints));
    this.store = new CheckpointStore(this.seed32, interval);
    this.cursor = new StreamCursor(this.store);
  }

  /** Row-major `rows.length × dim` copy of token-table rows. */
  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.rowsOf('token', rows);
  }

  /**
   * Token rows `[start, start + count)` in one sequential pass over the stream (no per-row lookups, no row
   * cache): what a whole-vocabulary scan needs. Fills `into` when it is long enough.
   */
  tokenRowsRange(start: number, count: number, into?: Float32Array): Float32Array {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.vocabSize) {
      throw new RangeError(`token rows [${start}, ${start}+${count}) are outside 0..${this.vocabSize}.`);
    }
    const dim = this.dim;
    const n = count * dim;
    const out = into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
    if (this.tokenFull !== null) out.set(this.tokenFull.subarray(start * dim, start * dim + n));
    else this.fillRange(this.tokenVector!, start * dim, start * dim + n, out, 0);
    return out;
  }

  /** Row-major `rows.length × dim` copy of positional-table rows. */
  positionRows(rows: ArrayLike<number>): Float32Array {
    return this.rowsOf('position', rows);
  }

  describe(): TableDescription {
    return {
      kind: 'random',
      seed: this.seed.toString(),
      vocabSize: this.vocabSize,
      dim: this.dim,
      contextLength: this.contextLength,
    };
  }

  /** Walks the stream to the end of the positional table once, so later positional lookups are instant. */
  prepare(): void {
    if (this.positionFull === null && this.contextLength > 0) this.positionRows([this.contextLength - 1]);
  }

  stats(): RandomTablesStats {
    const checkpoints = this.store?.count ?? 0;
    return {
      materialized: this.store === null,
      checkpointInterval: this.store?.interval ?? 0,
      checkpoints,
      checkpointBytes: checkpoints * MT_N * 4,
      cachedRows: this.cache.size,
      cacheBytes: this.cache.size * this.dim * 4,
    };
  }

  private rowsOf(table: 'token' | 'position', rows: ArrayLike<number>): Float32Array {
    const limit = table === 'token' ? this.vocabSize : this.contextLength;
    const dim = this.dim;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= limit) {
        throw new RangeError(`${table === 'token' ? 'Token' : 'Position'} row ${row} is outside the ${table} table (valid: 0..${limit - 1}).`);
      }
    }
    const out = new Float32Array(rows.length * dim);
    const full = table === 'token' ? this.tokenFull : this.positionFull;
    if (full !== null) {
      for (let i = 0; i < rows.length; i++) out.set(full.subarray(rows[i]! * dim, (rows[i]! + 1) * dim), i * dim);
      return out;
    }
    if (table === 'position' && this.positionVector === null) {
      this.positionFull = this.scalarPositionTable();
      return this.rowsOf(table, rows);
    }
    const vector = (table === 'token' ? this.tokenVector : this.positionVector)!;
    // Cache keys: token rows as is, positional rows as negatives.
    const keyOf = table === 'token' ? (row: number) => row : (row: number) => -1 - row;

    const found = new Map<number, Float32Array>();
    const missingSet = new Set<number>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (found.has(row) || missingSet.has(row)) continue;
      const cached = this.cache.get(keyOf(row));
      if (cached !== undefined) found.set(row, cached);
      else missingSet.add(row);
    }
    // Ascending order lets the cursor move forward through the stream instead of restoring checkpoints.
    const missing = [...missingSet].sort((a, b) => a - b);
    for (const row of missing) {
      const values = new Float32Array(dim);
      this.fillRange(vector, row * dim, (row + 1) * dim, values, 0);
      found.set(row, values);
      this.cache.set(keyOf(row), values);
    }
    for (let i = 0; i < rows.length; i++) out.set(found.get(rows[i]!)!, i * dim);
    return out;
  }

  /** Writes elements `[from, to)` of a vectorised-path table into `out` at `outOffset`. */
  private fillRange(table: VectorTable, from: number, to: number, out: Float32Array, outOffset: number): void {
    const mainTo = Math.min(to, table.mainEnd);
    if (from < mainTo) {
      const cursor = this.cursor!;
      cursor.seek(table.start + Math.floor(from / 16) * 16);
      let at = from;
      // A partial first block goes through a 16-element scratch, whole blocks straight into `out`, then a partial last one.
      const head = at % 16;
      if (head !== 0) {
        const block = this.blockScratch;
        normalBlocks(cursor.mt, 1, block, 0, null);
        const take = Math.min(16 - head, mainTo - at);
        out.set(block.subarray(head, head + take), outOffset);
        at += take;
      }
      const whole = Math.floor((mainTo - at) / 16);
      if (whole > 0) {
        normalBlocks(cursor.mt, whole, out, outOffset + (at - from), this.kernel);
        at += whole * 16;
      }
      if (at < mainTo) {
        const block = this.blockScratch;
        normalBlocks(cursor.mt, 1, block, 0, null);
        out.set(block.subarray(0, mainTo - at), outOffset + (at - from));
      }
    }
    if (to > table.mainEnd) {
      const tail = this.tailOf(table);
      const tailStart = table.size - 16;
      const first = Math.max(from, table.mainEnd);
      out.set(tail.subarray(first - tailStart, to - tailStart), outOffset + (first - from));
    }
  }

  /** The redrawn last 16 elements of a table whose size is not a multiple of 16. */
  private tailOf(table: VectorTable): Float32Array {
    if (table.tail === null) {
      const tail = new Float32Array(16);
      const cursor = this.cursor!;
      cursor.seek(table.start + table.size);
      for (let i = 0; i < 16; i++) tail[i] = floatUniform(cursor.mt.nextU32());
      normalFill16(tail, 0);
      table.tail = tail;
    }
    return table.tail;
  }

  /** A positional table under 16 elements after a vectorised token table: PyTorch's scalar path. */
  private scalarPositionTable(): Float32Array {
    const generator = new TorchGenerator(this.seed);
    this.cursor!.seek(this.positionStart);
    generator.mt.copyFrom(this.cursor!.mt);
    return generator.normal_(new Float32Array(this.contextLength * this.dim));
  }
}
