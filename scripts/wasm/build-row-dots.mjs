// src/engine/scan/rowDots.wat → rowDotsWasm.ts and rowDotsFused.wat → rowDotsFusedWasm.ts (see assemble.mjs);
// test/unit/rowDots.test.ts and rowDotsFused.test.ts check the committed bytes.
// Run: node scripts/wasm/build-row-dots.mjs
import { fileURLToPath } from 'node:url';
import { assembleWat, wasmModuleSource, writeWasmModule } from './assemble.mjs';

const SCRIPT = 'scripts/wasm/build-row-dots.mjs';
const WAT = 'src/engine/scan/rowDots.wat';
const FUSED_WAT = 'src/engine/scan/rowDotsFused.wat';

export const assembleRowDots = () => assembleWat(WAT);
export const rowDotsModuleSource = (bytes) => wasmModuleSource(SCRIPT, WAT, 'ROW_DOTS_WASM_BASE64', bytes);
export const assembleRowDotsFused = () => assembleWat(FUSED_WAT);
export const rowDotsFusedModuleSource = (bytes) => wasmModuleSource(SCRIPT, FUSED_WAT, 'ROW_DOTS_FUSED_WASM_BASE64', bytes);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeWasmModule(SCRIPT, WAT, 'src/engine/scan/rowDotsWasm.ts', 'ROW_DOTS_WASM_BASE64');
  await writeWasmModule(SCRIPT, FUSED_WAT, 'src/engine/scan/rowDotsFusedWasm.ts', 'ROW_DOTS_FUSED_WASM_BASE64');
}
