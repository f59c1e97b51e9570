// A small GPT-2-vocabulary .safetensors file for the end-to-end tests (50,257 × 8 token rows, 16 × 8
// positional rows, values from a hash of the index), written with the project's writer; the rows are
// exported so a test can compare what the panel shows with what is in the file.
import { writeFileSync } from 'node:fs';
import { buildSafetensors } from '../unit/helpers/safetensorsWriter';

export const VOCAB = 50_257;
export const DIM = 8;
export const CONTEXT = 16;
/** Token 2885 (" always" is 1464) gets twice 1464's row: cosine similarity exactly 1, its nearest token. */
export const TWIN = { of: 1464, twin: 2885 };

/** Deterministic values in [-0.5, 0.5) (MurmurHash3's finaliser of the index): no two rows share a direction by accident. */
function spread(i: number): number {
  let h = (i + 1) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.fround((h >>> 0) / 2 ** 32 - 0.5);
}
export function tokenRow(id: number): Float32Array {
  const row = new Float32Array(DIM);
  const source = id === TWIN.twin ? TWIN.of : id;
  for (let c = 0; c < DIM; c++) row[c] = spread(source * DIM + c) * (id === TWIN.twin ? 2 : 1);
  return row;
}
export function positionRow(p: number): Float32Array {
  const row = new Float32Array(DIM);
  for (let c = 0; c < DIM; c++) row[c] = Math.fround(spread(10_000_000 + p * DIM + c) / 4);
  return row;
}
function table(rows: number, row: (i: number) => Float32Array): Uint8Array {
  const out = new Float32Array(rows * DIM);
  for (let i = 0; i < rows; i++) out.set(row(i), i * DIM);
  return new Uint8Array(out.buffer);
}

/** Writes the file (wte.weight + wpe.weight, F32) to `path`. */
export function writeTinyGpt2Weights(path: string): void {
  writeFileSync(
    path,
    buildSafetensors(
      [
        { name: 'wte.weight', dtype: 'F32', shape: [VOCAB, DIM], data: table(VOCAB, tokenRow) },
        { name: 'wpe.weight', dtype: 'F32', shape: [CONTEXT, DIM], data: table(CONTEXT, positionRow) },
      ],
      { format: 'pt' },
    ),
  );
}

/** A file whose vocabulary (1,000 rows) matches no encoding. */
export function writeWrongVocabWeights(path: string): void {
  writeFileSync(path, buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [1000, DIM], data: table(1000, tokenRow) }]));
}
