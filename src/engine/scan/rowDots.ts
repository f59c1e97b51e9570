/**
 * Dot products of many rows with one vector, and optionally the rows' norms: the inner loop of the nearest-token
 * scan (a whole vocabulary against one token), of the similarity matrix (a page against each of its rows) and of
 * the projection's Gram matrix and eigenvector iterations (float64 rows).
 *
 * Sums run in float64 with four accumulators over j mod 4, the remainder into the first, then d0 + d1 + d2 + d3:
 * four independent chains are ~1.7× faster in V8 than one, and a fixed order makes every result reproducible.
 * Two kernels compute exactly that: WebAssembly SIMD (rowDots.wat, two f64x2 lane pairs; ~4× faster than the
 * JS loop, which converts each float32 separately) where the runtime has it, and the JS loop below otherwise.
 * WebAssembly never fuses a multiply and an add, so both give bit-identical results (test/unit/rowDots.test.ts).
 * Where the runtime has relaxed SIMD (VS Code desktop's Electron, Chrome; not Node 20 without a flag), float32 rows
 * against a float32-valued vector run rowDotsFused.wat instead: fused multiply-adds, which round exactly as the
 * multiply and the add do here because each product of two float32 values is exact in float64 (see that file), and
 * ~1.4× faster (test/unit/rowDotsFused.test.ts checks it against the JS kernel bit for bit).
 *
 * Usage: write rows into `block` (a view into the kernel's memory, so a file read can land there directly),
 * set the vector with `setVector`, call `dotsOf(rows)` or `dotsAndNormsOf(rows)`, read `dots` / `norms`.
 *
 * Float32 rows also have screening kernels (`screenDotsOf`, `screenDotsAndNormsOf`: float32 sums, ~2.5× faster
 * than the exact ones on Node 20, not exact). They serve a scan that only needs to know which rows cannot rank:
 * their error is bounded (screenBound.ts) and every row that might rank is computed again with the exact kernels.
 */
import { ROW_DOTS_FUSED_WASM_BASE64 } from './rowDotsFusedWasm';
import { ROW_DOTS_WASM_BASE64 } from './rowDotsWasm';
import { base64ToBytes } from '../../shared/base64';

export type RowDotsBackend = 'wasm-relaxed-simd' | 'wasm-simd' | 'js';
/** The kernels of float64 rows: products of float64 values are not exact, so they never fuse. */
export type RowDots64Backend = Exclude<RowDotsBackend, 'wasm-relaxed-simd'>;

interface WasmExports {
  dots(block: number, rows: number, dim: number, vector: number, out: number): void;
  dots64(block: number, rows: number, dim: number, vector: number, out: number): void;
  dotsAndNorms(block: number, rows: number, dim: number, vector: number, out: number, norms: number): void;
  screenDots(block: number, rows: number, dim: number, vector: number, out: number): void;
  screenDotsAndNorms(block: number, rows: number, dim: number, vector: number, out: number, norms2: number): void;
}
type FusedExports = Pick<WasmExports, 'dots' | 'dotsAndNorms'>;

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Compiles a module once, on first use; null where the runtime rejects it. */
function lazyModule(base64: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      compiled = null;
      const bytes = base64ToBytes(base64);
      if (wasmApi !== undefined && wasmApi.validate(bytes)) compiled = new wasmApi.Module(bytes);
    }
    return compiled;
  };
}
/** The SIMD kernel, or null where WebAssembly SIMD is missing (then the JS kernel runs). */
const wasmModule = lazyModule(ROW_DOTS_WASM_BASE64);
/** The fused float32 kernel, or null where relaxed SIMD is missing. */
const fusedModule = lazyModule(ROW_DOTS_FUSED_WASM_BASE64);

/** Which kernel `new RowDots(…)` uses by default on this runtime (`new RowDots64(…)`: the same, never fused). */
export function defaultRowDotsBackend(): RowDotsBackend {
  if (wasmModule() === null) return 'js';
  return fusedModule() === null ? 'wasm-simd' : 'wasm-relaxed-simd';
}

function unfused(backend: RowDotsBackend): RowDots64Backend {
  return backend === 'wasm-relaxed-simd' ? 'wasm-simd' : backend;
}

const WASM_PAGE = 65536;
/** Offsets into a kernel's memory start on 16 bytes, where SIMD loads are fastest. */
const align16 = (bytes: number) => (bytes + 15) & ~15;

type Block = Float32Array | Float64Array;

/** A module's kernels bound to one instance's memory layout. */
interface BoundKernel {
  dots(rows: number, firstRow: number): void;
  dotsAndNorms(rows: number, firstRow: number): void;
}

/** The screening kernels bound to one instance's memory layout. */
interface BoundScreen {
  dots(rows: number): void;
  dotsAndNorms(rows: number): void;
}

/** Rows of float32 (`RowDots`) or float64 (`RowDots64`) against one float64 vector; see the file comment. */
abstract class RowDotsBase<B extends Block> {
  /** Rows to process, row-major `maxRows × dim`; fill it (or a prefix of it) before calling dotsOf. */
  readonly block: B;
  /** `dots[r]` = row (firstRow + r) · vector after `dotsOf(rows, firstRow)`. */
  readonly dots: Float64Array;
  /** `norms[r]` = |row firstRow + r| after `dotsAndNormsOf(rows, firstRow)` (float32 rows only). */
  readonly norms: Float64Array;
  /** `screenDots[r]` ≈ row r · vector after a screening call (float32 rows; see the file comment). */
  readonly screenDots: Float32Array;
  /** `screenNorms2[r]` ≈ row r · row r after `screenDotsAndNormsOf(rows)`. */
  readonly screenNorms2: Float32Array;
  readonly backend: RowDotsBackend;
  private readonly vector: Float64Array;
  /** The vector as float32, for the screening kernels (float32 rows in WebAssembly; meaningful while `vectorIsFloat32`). */
  private readonly vector32: Float32Array;
  /** The screening kernels; null for the JS kernel. */
  private readonly screen: BoundScreen | null = null;
  /** The SIMD kernel bound to this instance's memory layout; null for the JS kernel. */
  private readonly wasm: BoundKernel | null = null;
  /** The fused kernel on the same memory (backend 'wasm-relaxed-simd'), used while the vector is float32-valued. */
  private readonly fused: BoundKernel | null = null;
  private vectorIsFloat32 = false;

  protected constructor(
    readonly dim: number,
    readonly maxRows: number,
    backend: RowDotsBackend,
    rowBytes: 4 | 8,
  ) {
    if (!Number.isInteger(dim) || dim < 1 || !Number.isInteger(maxRows) || maxRows < 1) {
      throw new RangeError(`RowDots needs a positive dim and row count, got ${dim} × ${maxRows}`);
    }
    const module = backend === 'js' ? null : wasmModule();
    if (backend !== 'js' && module === null) throw new Error('WebAssembly SIMD is not available in this runtime');
    const fusedCode = backend === 'wasm-relaxed-simd' ? fusedModule() : null;
    if (backend === 'wasm-relaxed-simd' && (fusedCode === null || rowBytes !== 4)) {
      throw new Error(rowBytes === 4 ? 'WebAssembly relaxed SIMD is not available in this runtime' : 'float64 rows have no fused kernel');
    }
    this.backend = backend;
    const makeBlock = (buffer: ArrayBuffer, at: number) =>
      (rowBytes === 4 ? new Float32Array(buffer, at, maxRows * dim) : new Float64Array(buffer, at, maxRows * dim)) as B;
    if (module === null) {
      this.block = makeBlock(new ArrayBuffer(maxRows * dim * rowBytes), 0);
      this.dots = new Float64Array(maxRows);
      this.norms = new Float64Array(maxRows);
      this.screenDots = new Float32Array(0);
      this.screenNorms2 = new Float32Array(0);
      this.vector = new Float64Array(dim);
      this.vector32 = new Float32Array(0);
      return;
    }
    // One memory per instance (concurrent users never share one): vector (float64, then float32), dots, norms,
    // screening dots and squared norms, then the rows.
    const vectorAt = 0;
    const vector32At = align16(vectorAt + dim * 8);
    const dotsAt = align16(vector32At + dim * 4);
    const normsAt = dotsAt + maxRows * 8;
    const screenDotsAt = align16(normsAt + maxRows * 8);
    const screenNormsAt = align16(screenDotsAt + maxRows * 4);
    const blockAt = align16(screenNormsAt + maxRows * 4);
    const bytes = blockAt + maxRows * dim * rowBytes;
    const memory = new wasmApi!.Memory({ initial: Math.ceil(bytes / WASM_PAGE) });
    const exports = new wasmApi!.Instance(module, { env: { memory } }).exports as WasmExports;
    this.vector = new Float64Array(memory.buffer, vectorAt, dim);
    this.vector32 = new Float32Array(memory.buffer, vector32At, dim);
    this.dots = new Float64Array(memory.buffer, dotsAt, maxRows);
    this.norms = new Float64Array(memory.buffer, normsAt, maxRows);
    this.screenDots = new Float32Array(memory.buffer, screenDotsAt, maxRows);
    this.screenNorms2 = new Float32Array(memory.buffer, screenNormsAt, maxRows);
    this.block = makeBlock(memory.buffer, blockAt);
    const rowStride = dim * rowBytes;
    const bind = (dots: WasmExports['dots'], dotsAndNorms: WasmExports['dotsAndNorms']): BoundKernel => ({
      dots: (rows, firstRow) => dots(blockAt + firstRow * rowStride, rows, dim, vectorAt, dotsAt),
      dotsAndNorms: (rows, firstRow) => dotsAndNorms(blockAt + firstRow * rowStride, rows, dim, vectorAt, dotsAt, normsAt),
    });
    this.wasm = bind(rowBytes === 4 ? exports.dots : exports.dots64, exports.dotsAndNorms);
    if (rowBytes === 4) {
      this.screen = {
        dots: (rows) => exports.screenDots(blockAt, rows, dim, vector32At, screenDotsAt),
        dotsAndNorms: (rows) => exports.screenDotsAndNorms(blockAt, rows, dim, vector32At, screenDotsAt, screenNormsAt),
      };
    }
    if (fusedCode !== null) {
      const fused = new wasmApi!.Instance(fusedCode, { env: { memory } }).exports as FusedExports;
      this.fused = bind(fused.dots, fused.dotsAndNorms);
    }
  }

  /** The kernel the next dotsOf / dotsAndNormsOf runs: the fused one only for a float32-valued vector. */
  private get kernel(): BoundKernel | null {
    return this.fused !== null && this.vectorIsFloat32 ? this.fused : this.wasm;
  }

  /** The vector every row is multiplied with (`dim` values, widened to float64 exactly). */
  setVector(values: ArrayLike<number>): void {
    if (values.length !== this.dim) throw new RangeError(`vector has ${values.length} values, expected ${this.dim}`);
    let float32 = true;
    for (let j = 0; j < this.dim; j++) {
      const v = values[j]!;
      this.vector[j] = v;
      float32 &&= Math.fround(v) === v;
    }
    this.vectorIsFloat32 = float32;
    // Only where the screening kernels exist (not for float64 rows, whose vectors change at every projection step).
    if (this.screen !== null) this.vector32.set(this.vector);
  }

  /**
   * Whether the screening kernels can run: WebAssembly, float32 rows and a float32-valued vector (the bound in
   * screenBound.ts assumes the vector was not rounded).
   */
  get canScreen(): boolean {
    return this.screen !== null && this.vectorIsFloat32;
  }

  /** Rows `[0, rows)` of `block`, with `rows` ≤ maxRows, or the same rows from another array (copied in first). */
  load(rows: B): void {
    if (rows.buffer === this.block.buffer && rows.byteOffset === this.block.byteOffset) return;
    this.block.set(rows);
  }

  /** `dots[r]` = block row `firstRow + r` · vector, for r < rows. */
  dotsOf(rows: number, firstRow = 0): void {
    this.checkRows(rows, firstRow);
    const kernel = this.kernel;
    if (kernel) kernel.dots(rows, firstRow);
    else jsDots(this.block, firstRow, rows, this.dim, this.vector, this.dots, null);
  }

  protected dotsAndNormsOfRows(rows: number, firstRow: number): void {
    this.checkRows(rows, firstRow);
    const kernel = this.kernel;
    if (kernel) kernel.dotsAndNorms(rows, firstRow);
    else jsDots(this.block, firstRow, rows, this.dim, this.vector, this.dots, this.norms);
  }

  /** The screening kernels of rows `[0, rows)`, or an error where they cannot run (see canScreen). */
  protected screenOf(rows: number): BoundScreen {
    this.checkRows(rows, 0);
    if (!this.canScreen) throw new Error('the screening kernels need WebAssembly SIMD, float32 rows and a float32-valued vector');
    return this.screen!;
  }

  private checkRows(rows: number, firstRow: number): void {
    if (!Number.isInteger(rows) || !Number.isInteger(firstRow) || rows < 0 || firstRow < 0 || firstRow + rows > this.maxRows) {
      throw new RangeError(`rows [${firstRow}, +${rows}) are outside 0..${this.maxRows}`);
    }
  }
}

/** Float32 rows (table rows as read or generated). */
export class RowDots extends RowDotsBase<Float32Array> {
  constructor(dim: number, maxRows: number, backend: RowDotsBackend = defaultRowDotsBackend()) {
    super(dim, maxRows, backend, 4);
  }

  /** `dots[r]` and `norms[r]` of block row `firstRow + r`, for r < rows, in one pass. */
  dotsAndNormsOf(rows: number, firstRow = 0): void {
    this.dotsAndNormsOfRows(rows, firstRow);
  }

  /** `screenDots[r]` ≈ block row r · vector, for r < rows (float32 sums; see the file comment). */
  screenDotsOf(rows: number): void {
    this.screenOf(rows).dots(rows);
  }

  /** `screenDots` and `screenNorms2[r]` ≈ block row r · itself, for r < rows, in one pass. */
  screenDotsAndNormsOf(rows: number): void {
    this.screenOf(rows).dotsAndNorms(rows);
  }
}

/** Float64 rows (centred data, Gram matrices). */
export class RowDots64 extends RowDotsBase<Float64Array> {
  constructor(dim: number, maxRows: number, backend: RowDots64Backend = unfused(defaultRowDotsBackend())) {
    super(dim, maxRows, backend, 8);
  }
}

/** The JS kernel: same summation order as rowDots.wat. Norms too when `norms` is given. */
function jsDots(block: Block, firstRow: number, rows: number, dim: number, vector: Float64Array, dots: Float64Array, norms: Float64Array | null): void {
  for (let r = 0; r < rows; r++) {
    const base = (firstRow + r) * dim;
    let d0 = 0,
      d1 = 0,
      d2 = 0,
      d3 = 0,
      n0 = 0,
      n1 = 0,
      n2 = 0,
      n3 = 0;
    let j = 0;
    for (; j + 3 < dim; j += 4) {
      const v0 = block[base + j]!,
        v1 = block[base + j + 1]!,
        v2 = block[base + j + 2]!,
        v3 = block[base + j + 3]!;
      d0 += v0 * vector[j]!;
      d1 += v1 * vector[j + 1]!;
      d2 += v2 * vector[j + 2]!;
      d3 += v3 * vector[j + 3]!;
      if (norms !== null) {
        n0 += v0 * v0;
        n1 += v1 * v1;
        n2 += v2 * v2;
        n3 += v3 * v3;
      }
    }
    for (; j < dim; j++) {
      const v = block[base + j]!;
      d0 += v * vector[j]!;
      n0 += v * v;
    }
    dots[r] = d0 + d1 + d2 + d3;
    if (norms !== null) norms[r] = Math.sqrt(n0 + n1 + n2 + n3);
  }
}
