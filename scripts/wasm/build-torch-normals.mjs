// src/engine/torchNormals.wat → src/engine/torchNormalsWasm.ts (see assemble.mjs); test/unit/torchNormals.test.ts checks the committed bytes.
// Run: node scripts/wasm/build-torch-normals.mjs
import { fileURLToPath } from 'node:url';
import { assembleWat, wasmModuleSource, writeWasmModule } from './assemble.mjs';

const WAT = 'src/engine/torchNormals.wat';

export const assembleTorchNormals = () => assembleWat(WAT);
export const torchNormalsModuleSource = (bytes) => wasmModuleSource('scripts/wasm/build-torch-normals.mjs', WAT, 'TORCH_NORMALS_WASM_BASE64', bytes);

if (process.argv[1] === fileURLToPath(import.meta.url))
  await writeWasmModule('scripts/wasm/build-torch-normals.mjs', WAT, 'src/engine/torchNormalsWasm.ts', 'TORCH_NORMALS_WASM_BASE64');
