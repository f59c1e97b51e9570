// Loads the analysis reference data printed by real PyTorch / NumPy (scripts/fixtures/gen_analysis_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReprCase {
  name: string;
  shape: number[];
  data: string;
  repr: string;
  parameter?: boolean;
  requiresGrad?: boolean;
  gradFn?: string;
}

export interface PcaReference {
  ratio: number[];
  variance: number[];
  components: number[][];
  coords: number[][];
}

export interface AnalysisReference {
  torch: string;
  numpy: string;
  repr: ReprCase[];
  npy: { shape: number[]; bytes: string }[];
  sinusoidal: { contextLength: number; dim: number; data: string }[];
  book: {
    seed: number;
    vocab: number;
    dim: number;
    context: number;
    inputs: number[][];
    rowIds: number[];
    tokenRows: string;
    positionRows: string;
    tokenRepr: string;
    posRepr: string;
    combinedRepr: string;
    tokenShape: string;
    combinedShape: string;
    inputsRepr: string;
    pcaCombined: PcaReference;
    pcaJoint: PcaReference;
  };
}

export const reference: AnalysisReference = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'analysis-torch-reference.json'), 'utf8'),
);

export function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** The book's first batch (8×4) as token / positional / combined float32 tensors, from PyTorch's own rows. */
export function bookBatch() {
  const b = reference.book;
  const rows = f32(b.tokenRows);
  const pos = f32(b.positionRows);
  const d = b.dim;
  const rowOf = new Map(b.rowIds.map((id, i) => [id, i] as const));
  const flatIds = b.inputs.flat();
  const tok = new Float32Array(flatIds.length * d);
  flatIds.forEach((id, t) => tok.set(rows.subarray(rowOf.get(id)! * d, (rowOf.get(id)! + 1) * d), t * d));
  const comb = new Float32Array(tok.length);
  for (let t = 0; t < flatIds.length; t++) {
    for (let j = 0; j < d; j++) comb[t * d + j] = Math.fround(tok[t * d + j]! + pos[(t % b.context) * d + j]!);
  }
  return { ids: flatIds, batch: b.inputs.length, context: b.context, dim: d, tok, pos, comb, rows, rowOf };
}
