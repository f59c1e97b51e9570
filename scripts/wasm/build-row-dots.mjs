// src/engine/scan/rowDots.wat → src/engine/scan/rowDotsWasm.ts (see assemble.mjs); test/unit/rowDots.test.ts checks the committed bytes.
// Run: node scripts/wasm/build-row-dots.mjs
import { fileURLToPath } from 'node:url';
import { assembleWat, wasmModuleSource, writeWasmModule } from './assemble.mjs';

const WAT = 'src/engine/scan/rowDots.wat';

export const assembleRowDots = () => assembleWat(WAT);
export const rowDotsModuleSource = (bytes) => wasmModuleSource('scripts/wasm/build-row-dots.mjs', WAT, 'ROW_DOTS_WASM_BASE64', bytes);

if (process.argv[1] === fileURLToPath(import.meta.url))
  await writeWasmModule('scripts/wasm/build-row-dots.mjs', WAT, 'src/engine/scan/rowDotsWasm.ts', 'ROW_DOTS_WASM_BASE64');
