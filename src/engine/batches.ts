/**
 * The book's `create_dataloader_v1` (Raschka, "Build a Large Language Model from Scratch", ch. 2) without PyTorch:
 * `GPTDatasetV1` cuts the token ids into sliding windows,
 *   for i in range(0, len(ids) - max_length, stride):
 *       input  = ids[i : i + max_length]
 *       target = ids[i + 1 : i + max_length + 1]
 * and `DataLoader(batch_size, shuffle=False, drop_last=True)` groups consecutive windows into batches.
 * Batches are cut on demand, so a long text costs nothing until a batch is asked for.
 */

export interface SlidingWindowOptions {
  /** Tokens per window (the book's `max_length`, usually the context length). */
  maxLength: number;
  /** Step between window starts. */
  stride: number;
  batchSize: number;
  /** Drop a last, incomplete batch (PyTorch DataLoader `drop_last`; the book passes True). Default true. */
  dropLast?: boolean;
}

export interface Batch {
  /** Batch index k. */
  index: number;
  /** Windows in this batch (batchSize, or fewer for a kept last batch). */
  rows: number;
  /** Tokens per window. */
  maxLength: number;
  /** Row-major `rows × maxLength` input ids. */
  inputs: Int32Array;
  /** Row-major `rows × maxLength` target ids (inputs shifted by one token). */
  targets: Int32Array;
  /** Token index in the text where each window starts. */
  windowStarts: Int32Array;
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}.`);
}

/** `len(range(0, tokenCount - maxLength, stride))`: number of windows GPTDatasetV1 makes. */
export function countWindows(tokenCount: number, maxLength: number, stride: number): number {
  checkPositiveInteger('maxLength', maxLength);
  checkPositiveInteger('stride', stride);
  if (!Number.isSafeInteger(tokenCount) || tokenCount < 0) {
    throw new RangeError(`tokenCount must be a non-negative integer, got ${tokenCount}.`);
  }
  return Math.max(0, Math.ceil((tokenCount - maxLength) / stride));
}

/** `len(DataLoader(dataset, batch_size, drop_last))`. */
export function countBatches(windows: number, batchSize: number, dropLast = true): number {
  checkPositiveInteger('batchSize', batchSize);
  return dropLast ? Math.floor(windows / batchSize) : Math.ceil(windows / batchSize);
}

export class SlidingWindowLoader {
  readonly maxLength: number;
  readonly stride: number;
  readonly batchSize: number;
  readonly dropLast: boolean;
  /** Number of (input, target) windows. */
  readonly windows: number;
  /** Number of batches. */
  readonly batches: number;
  private readonly ids: ArrayLike<number>;

  constructor(ids: ArrayLike<number>, options: SlidingWindowOptions) {
    this.maxLength = options.maxLength;
    this.stride = options.stride;
    this.batchSize = options.batchSize;
    this.dropLast = options.dropLast ?? true;
    this.windows = countWindows(ids.length, this.maxLength, this.stride);
    this.batches = countBatches(this.windows, this.batchSize, this.dropLast);
    if (ids.length <= this.maxLength) {
      throw new RangeError(
        `The text has ${ids.length} tokens; a window of maxLength ${this.maxLength} needs at least ` +
          `${this.maxLength + 1} (inputs plus the shifted target). Select more text or lower the context length.`,
      );
    }
    this.ids = ids;
  }

  /** Token index where window w starts. */
  windowStart(window: number): number {
    return window * this.stride;
  }

  /** Batch k (0-based) in DataLoader order (shuffle=False). */
  batch(k: number): Batch {
    if (!Number.isInteger(k) || k < 0 || k >= this.batches) {
      throw new RangeError(`Batch ${k} does not exist: the loader has ${this.batches} batch(es) (valid: 0..${this.batches - 1}).`);
    }
    const firstWindow = k * this.batchSize;
    const rows = Math.min(this.batchSize, this.windows - firstWindow);
    const T = this.maxLength;
    const inputs = new Int32Array(rows * T);
    const targets = new Int32Array(rows * T);
    const windowStarts = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const start = this.windowStart(firstWindow + r);
      windowStarts[r] = start;
      for (let t = 0; t < T; t++) {
        inputs[r * T + t] = this.ids[start + t]!;
        targets[r * T + t] = this.ids[start + t + 1]!;
      }
    }
    return { index: k, rows, maxLength: T, inputs, targets, windowStarts };
  }

  *[Symbol.iterator](): IterableIterator<Batch> {
    for (let k = 0; k < this.batches; k++) yield this.batch(k);
  }
}

/** Like the book's `create_dataloader_v1(txt, …, shuffle=False)`, on already tokenized ids. */
export function createDataloaderV1(ids: ArrayLike<number>, options: SlidingWindowOptions): SlidingWindowLoader {
  return new SlidingWindowLoader(ids, options);
}
