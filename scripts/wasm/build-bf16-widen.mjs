// src/engine/safetensors/bf16Widen.wat → src/engine/safetensors/bf16WidenWasm.ts (see assemble.mjs); test/unit/gguf/bf16Widen.test.ts checks the committed bytes.
// Run: node scripts/wasm/build-bf16-widen.mjs
import { fileURLToPath } from 'node:url';
import { assembleWat, wasmModuleSource, writeWasmModule } from './assemble.mjs';

const WAT = 'src/engine/safetensors/bf16Widen.wat';

export const assembleBf16Widen = () => assembleWat(WAT);
export const bf16WidenModuleSource = (bytes) => wasmModuleSource('scripts/wasm/build-bf16-widen.mjs', WAT, 'BF16_WIDEN_WASM_BASE64', bytes);

if (process.argv[1] === fileURLToPath(import.meta.url))
  await writeWasmModule('scripts/wasm/build-bf16-widen.mjs', WAT, 'src/engine/safetensors/bf16WidenWasm.ts', 'BF16_WIDEN_WASM_BASE64');
