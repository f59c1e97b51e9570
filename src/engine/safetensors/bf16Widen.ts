/**
 * bfloat16 → float32 for large runs (whole-table scans of BF16 checkpoints such as Llama 3's 128,256 × 4,096
 * embed_tokens): WebAssembly SIMD (bf16Widen.wat) shifts eight values per instruction, several times the JS
 * loop's speed; the bits are the same (a shift, no float arithmetic). Where WebAssembly SIMD is missing,
 * `widenBf16` returns false and the caller's JS loop runs.
 */
import { BF16_WIDEN_WASM_BASE64 } from './bf16WidenWasm';
import { base64ToBytes } from '../../shared/base64';

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  widen(src: number, dst: number, n: number): void;
}

/** Values per call into the module: its memory then stays at 6 × this many bytes (1.5 MB). */
const CHUNK_VALUES = 256 * 1024;
const WASM_PAGE = 65536;

let instance: Exports | null | undefined;

function widener(): Exports | null {
  if (instance === undefined) {
    instance = null;
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = base64ToBytes(BF16_WIDEN_WASM_BASE64);
    if (api !== undefined && api.validate(bytes)) {
      const exports = new api.Instance(new api.Module(bytes), {}).exports as Exports;
      const need = Math.ceil((CHUNK_VALUES * 6) / WASM_PAGE);
      const have = exports.memory.buffer.byteLength / WASM_PAGE;
      if (need > have) exports.memory.grow(need - have);
      instance = exports;
    }
  }
  return instance;
}

/**
 * Widen `count` bf16 values (little-endian, at `src`) into `out[outOffset…]`. Returns false (and writes nothing)
 * when WebAssembly SIMD is unavailable.
 */
export function widenBf16(src: Uint8Array, count: number, out: Float32Array, outOffset: number): boolean {
  const w = widener();
  if (!w) return false;
  const dstAt = CHUNK_VALUES * 2;
  for (let done = 0; done < count; done += CHUNK_VALUES) {
    const n = Math.min(CHUNK_VALUES, count - done);
    const mem = new Uint8Array(w.memory.buffer);
    mem.set(src.subarray(done * 2, (done + n) * 2), 0);
    const simd = n - (n % 8);
    w.widen(0, dstAt, simd);
    // Float32Array → Float32Array set copies bytes, so every bit pattern (NaNs too) arrives unchanged.
    out.set(new Float32Array(w.memory.buffer, dstAt, simd), outOffset + done);
    if (simd < n) {
      const bits = new Uint32Array(out.buffer, out.byteOffset + (outOffset + done + simd) * 4, n - simd);
      for (let i = 0; i < n - simd; i++) bits[i] = (src[(done + simd + i) * 2] | (src[(done + simd + i) * 2 + 1] << 8)) << 16;
    }
  }
  return true;
}
