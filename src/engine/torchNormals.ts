/**
 * The random-init tables' hot loop in WebAssembly SIMD (torchNormals.wat): mt19937 float uniforms and PyTorch's
 * Box–Muller blocks of 16, with exactly the values of `normalFill16` in torchRandom.ts (and so of PyTorch).
 * float32 results of log/cos/sin are only taken where rounding is certain; the kernel lists the other pairs
 * (about one in 20,000) and `fill` computes those with Math.* as the JS path does. A whole GPT-2 × 768 table
 * is ~4× faster this way than in JS, where Math.log/cos/sin and the generator dominated.
 * Where WebAssembly SIMD is missing, `torchNormalsKernel()` is null and the JS path runs.
 */
import { base64ToBytes } from '../shared/base64';
import { MT_N, type MT19937 } from './torchRandom';
import { TORCH_NORMALS_WASM_BASE64 } from './torchNormalsWasm';

interface Exports {
  uniforms(index: number, count: number, out: number): number;
  boxMuller(u: number, blocks: number, out: number, fix: number): number;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const WASM_PAGE = 65536;
/** Blocks per kernel call: 512 KB of uniforms and as much output, so both stay in cache. */
const CHUNK_BLOCKS = 8192;
const STATE_BYTES = 4096;
const TWO_PI = 2 * Math.PI;

export class TorchNormalsKernel {
  private readonly exports: Exports;
  private readonly state: Uint32Array;
  private readonly uniforms: Float32Array;
  private readonly normals: Float32Array;
  private readonly fix: Int32Array;
  private readonly uniformsAt = STATE_BYTES;
  private readonly normalsAt = STATE_BYTES + CHUNK_BLOCKS * 64;
  private readonly fixAt = STATE_BYTES + 2 * CHUNK_BLOCKS * 64;

  constructor(api: WasmApi, module: object) {
    const bytes = this.fixAt + CHUNK_BLOCKS * 8 * 4;
    const memory = new api.Memory({ initial: Math.ceil(bytes / WASM_PAGE) });
    this.exports = new api.Instance(module, { env: { memory } }).exports as Exports;
    this.state = new Uint32Array(memory.buffer, 0, MT_N);
    this.uniforms = new Float32Array(memory.buffer, this.uniformsAt, CHUNK_BLOCKS * 16);
    this.normals = new Float32Array(memory.buffer, this.normalsAt, CHUNK_BLOCKS * 16);
    this.fix = new Int32Array(memory.buffer, this.fixAt, CHUNK_BLOCKS * 8);
  }

  /**
   * `blocks` consecutive Box–Muller blocks of the stream, starting at `mt`'s next output, into
   * `out[outOffset …]`; `mt` moves on exactly as if it had produced the 16·blocks outputs itself. Returns how
   * many pairs were computed in JS.
   */
  fill(mt: MT19937, blocks: number, out: Float32Array, outOffset: number): number {
    let inJs = 0;
    for (let done = 0; done < blocks;) {
      const chunk = Math.min(CHUNK_BLOCKS, blocks - done);
      const count = chunk * 16;
      const startIndex = mt.index;
      this.state.set(mt.state);
      const index = this.exports.uniforms(startIndex, count, this.uniformsAt);
      mt.state.set(this.state);
      // Twists: none while the current state lasts, then one per 624 outputs.
      const left = Math.max(0, MT_N - startIndex);
      mt.twists += count <= left ? 0 : Math.ceil((count - left) / MT_N);
      mt.index = index;
      inJs += this.transform(chunk);
      out.set(this.normals.subarray(0, count), outOffset + done * 16);
      done += chunk;
    }
    return inJs;
  }

  /**
   * Box–Muller blocks of given uniforms (a multiple of 16 of them) into `out`, as normalFill16 does in place;
   * returns how many pairs were computed in JS (tests sweep every possible uniform through this).
   */
  fromUniforms(uniforms: Float32Array, out: Float32Array): number {
    if (uniforms.length % 16 !== 0 || out.length < uniforms.length) throw new RangeError('whole blocks of 16 uniforms, and room for them');
    let inJs = 0;
    for (let at = 0; at < uniforms.length; at += CHUNK_BLOCKS * 16) {
      const count = Math.min(CHUNK_BLOCKS * 16, uniforms.length - at);
      this.uniforms.set(uniforms.subarray(at, at + count));
      inJs += this.transform(count / 16);
      out.set(this.normals.subarray(0, count), at);
    }
    return inJs;
  }

  /** Box–Muller over the first `blocks` blocks of the uniforms buffer into the normals buffer; returns the pairs done in JS. */
  private transform(blocks: number): number {
    const fixes = this.exports.boxMuller(this.uniformsAt, blocks, this.normalsAt, this.fixAt);
    for (let k = 0; k < fixes; k++) this.pairInJs(this.fix[k]!);
    return fixes;
  }

  /** Pair (e, e+8) of the current chunk as normalFill16 computes it (torchRandom.ts). */
  private pairInJs(e: number): void {
    const fr = Math.fround;
    const radius = fr(Math.sqrt(-2 * fr(Math.log(1 - this.uniforms[e]!))));
    const theta = fr(TWO_PI * this.uniforms[e + 8]!);
    this.normals[e] = radius * fr(Math.cos(theta)) + 0;
    this.normals[e + 8] = radius * fr(Math.sin(theta)) + 0;
  }
}

let shared: TorchNormalsKernel | null | undefined;

/** The kernel (one per thread, created on first use), or null where WebAssembly SIMD is missing. */
export function torchNormalsKernel(): TorchNormalsKernel | null {
  if (shared === undefined) {
    shared = null;
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = base64ToBytes(TORCH_NORMALS_WASM_BASE64);
    if (api !== undefined && api.validate(bytes)) shared = new TorchNormalsKernel(api, new api.Module(bytes));
  }
  return shared;
}
