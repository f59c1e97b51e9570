import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
/**
 * Test helpers: PyTorch reference numbers (test/fixtures/torch-reference-rows.json, a subset of
 * /work/shared/reference/torch-embedding-init.json) and the engine's real dependencies with a call counter on
 * the tables, so cancellation tests can see how much work was actually done.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import { RandomEmbeddingTables } from '../../src/engine/randomTables';
import type { EngineDependencies, TablesSpec } from '../../src/engine/service';

export interface FixtureConfig {
  seed: number;
  vocab: number;
  dim: number;
  ctx: number;
  tok_rows?: Record<string, number[]>;
  pos_rows?: Record<string, number[]>;
  tok_full?: number[][];
  pos_full?: number[][];
}

export const fixtureDir = join(__dirname, '..', 'fixtures');
export const reference = JSON.parse(readFileSync(join(fixtureDir, 'torch-reference-rows.json'), 'utf8')) as {
  seed_doc_6x3: FixtureConfig;
  book_50257x256: FixtureConfig;
};

/** RandomEmbeddingTables that counts token-row gathers. */
export class CountingTables extends RandomEmbeddingTables {
  gatherCalls = 0;
  override tokenRows(rows: ArrayLike<number>): Float32Array {
    this.gatherCalls++;
    return super.tokenRows(rows);
  }
}

/** The real tokenizer and PyTorch-exact random tables; `created` lists every table the service asked for. */
export function countingDependencies(): EngineDependencies & { created: CountingTables[]; specs: TablesSpec[] } {
  const created: CountingTables[] = [];
  const specs: TablesSpec[] = [];
  const real = defaultEngineDependencies();
  return {
    created,
    specs,
    tokenizer: real.tokenizer,
    tables: (spec) => {
      if (spec.weights.kind !== 'random') return real.tables(spec);
      specs.push(spec);
      const t = new CountingTables({ seed: spec.weights.seed, vocabSize: spec.vocabSize, dim: spec.dim, contextLength: spec.contextLength });
      created.push(t);
      return t;
    },
  };
}

/** Asserts |got − want| ≤ 1e-5 elementwise (PyTorch's avx2 and scalar kernels differ by ~2e-6). */
export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, label: string, tolerance = 1e-5): void {
  if (got.length !== want.length) throw new Error(`${label}: length ${got.length}, PyTorch ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) throw new Error(`${label}[${i}]: ${got[i]} vs PyTorch ${want[i]}`);
  }
}

/** The book's chapter-2 settings (gpt2, dim 256, seed 123, context 4, stride 4, batch 8, learned positions). */
export const BOOK_SETTINGS: EmbeddingSettings = {
  tokenizer: { kind: 'encoding', encoding: 'gpt2' },
  allowSpecial: false,
  dim: 256,
  contextLength: 4,
  stride: 4,
  batchSize: 8,
  positional: 'learned',
  weights: { kind: 'random', seed: '123' },
};
