// Typed access to test/fixtures/torch-embedding-init.json: reference values produced by real PyTorch 2.11 (CPU)
// with `torch.manual_seed(seed); nn.Embedding(vocab, dim); nn.Embedding(ctx, dim)`, for PyTorch's AVX2 and
// portable ("default") kernels, plus `torch.manual_seed(123); torch.empty(n).normal_()` streams.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

export interface ReferenceTables {
  seed: number;
  vocab: number;
  dim: number;
  ctx: number;
  tok_sum: number;
  tok_abs_sum: number;
  tok_sq_sum: number;
  pos_sum: number;
  tok_first32: number[];
  tok_last32: number[];
  tok_rows: Record<string, number[]>;
  pos_rows: Record<string, number[]>;
  tok_full?: number[][];
  pos_full?: number[][];
}

export type Kernel = 'avx2' | 'default';
export const KERNELS: readonly Kernel[] = ['avx2', 'default'];

export interface TorchReference {
  about: string;
  torch: string;
  configs: Record<string, Record<Kernel, ReferenceTables>>;
  normal_streams: Record<Kernel, Record<string, number[]>>;
}

export const reference: TorchReference = JSON.parse(readFileSync(new URL('../fixtures/torch-embedding-init.json', import.meta.url), 'utf8')) as TorchReference;

/** The tolerance the product promises against PyTorch (either CPU kernel). */
export const TOLERANCE = 1e-5;

/** Asserts |actual[i] − expected[i]| ≤ tolerance for all i; returns the largest difference. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = TOLERANCE): number {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= tolerance)) assert.fail(`${what}[${i}]: got ${actual[i]}, PyTorch gives ${expected[i]} (|diff| ${diff})`);
    worst = Math.max(worst, diff);
  }
  return worst;
}
