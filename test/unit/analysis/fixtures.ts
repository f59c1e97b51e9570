// Loads the analysis reference data printed by real PyTorch / NumPy (scripts/fixtures/gen_analysis_fixtures.py).
import assert from 'node:assert/strict';
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
  /** The same float32 code at chosen positions (up to 100,000), dims 3, 4, 5 (odd ones too), 128, 256, 768. */
  sinusoidalRows: { positions: number[]; dim: number; data: string }[];
  /** np.save of int64 arrays; values as decimal strings (exact beyond 2^53). */
  npyInt64: { name: string; shape: number[]; values: string[]; bytes: string }[];
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
    /** input_embeddings[0, 0, :8] as PyTorch computed it (float32 values as Python floats). */
    combinedFirstRow: number[];
    pcaCombined: PcaReference;
    pcaJoint: PcaReference;
    /** Per token of the 8×4 batch: norms of token, position, combined, combined − token; cos(token, combined). */
    stats: Record<'tokenNorm' | 'positionNorm' | 'combinedNorm' | 'shift' | 'cosTokenCombined', number[]>;
  };
}

export const reference: AnalysisReference = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'analysis-torch-reference.json'), 'utf8'));

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

/** PyTorch's float32 sinusoidal rows for these positions at this dim (from `sinusoidalRows` of the fixture). */
export function torchSinusoidalRows(positions: readonly number[], dim: number): Float32Array {
  const c = reference.sinusoidalRows.find((r) => r.dim === dim);
  assert.ok(c, `no PyTorch sinusoidal rows for dim ${dim}`);
  const all = f32(c.data);
  const out = new Float32Array(positions.length * dim);
  positions.forEach((p, r) => {
    const at = c.positions.indexOf(p);
    assert.ok(at >= 0, `no PyTorch sinusoidal row for position ${p}`);
    out.set(all.subarray(at * dim, (at + 1) * dim), r * dim);
  });
  return out;
}

/**
 * Sinusoidal rows against PyTorch's: PyTorch's vectorised expf/sinf are not correctly rounded (and vary between
 * builds), so where its div_term is an ulp off the angle pos·div_term moves by ~pos·2^-24 relative: each element
 * may differ by (pos + 1)·2^-22, and at least `minExact` of all elements must be bit-identical (the float32-step
 * formula; a float64 evaluation rounds differently almost everywhere).
 */
export function assertMatchesTorchSinusoidal(
  ours: Float32Array,
  torch: Float32Array,
  positions: readonly number[],
  dim: number,
  what: string,
  minExact = 0.75,
): void {
  assert.equal(ours.length, torch.length, `${what}: length`);
  let exact = 0;
  for (let i = 0; i < ours.length; i++) {
    const pos = positions[Math.floor(i / dim)]!;
    const allowed = (pos + 1) * 2 ** -22;
    assert.ok(Math.abs(ours[i]! - torch[i]!) <= allowed, `${what}: position ${pos} column ${i % dim}: ${ours[i]} vs PyTorch ${torch[i]}`);
    if (ours[i] === torch[i]) exact++;
  }
  assert.ok(exact >= minExact * ours.length, `${what}: only ${exact} of ${ours.length} elements are bit-identical to PyTorch's`);
}
