/**
 * TEST-ONLY EmbeddingTables backed by real PyTorch numbers (test/fixtures/torch-reference-rows.json, a subset
 * of /work/shared/reference/torch-embedding-init.json). It serves only the rows PyTorch recorded, which are
 * exactly the rows the book's examples need (the-verdict's first batch, the 6×3 doc table). It stands in for
 * RandomEmbeddingTables (another branch) until that is merged; it does not generate anything itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EncodingName, SourceDescription } from '../../src/shared/protocol';
import type { EmbeddingTables, Tokenizer } from '../../src/engine/types';
import { TiktokenTokenizer } from './tiktokenTokenizer';
import type { TablesSpec } from '../../src/engine/service';

interface FixtureConfig {
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

function rowsMap(full: number[][] | undefined, sparse: Record<string, number[]> | undefined): Map<number, Float32Array> {
  const m = new Map<number, Float32Array>();
  full?.forEach((r, i) => m.set(i, Float32Array.from(r)));
  for (const [k, r] of Object.entries(sparse ?? {})) m.set(Number(k), Float32Array.from(r));
  return m;
}

export class ReferenceTables implements EmbeddingTables {
  readonly vocabSize: number;
  readonly dim: number;
  readonly contextLength: number;
  /** How many row-gathering calls were made (lets cancellation tests see that work stopped). */
  gatherCalls = 0;
  private readonly tok: Map<number, Float32Array>;
  private readonly pos: Map<number, Float32Array>;

  constructor(
    private readonly config: FixtureConfig,
    private readonly positional: TablesSpec['positional'] = 'learned',
  ) {
    this.vocabSize = config.vocab;
    this.dim = config.dim;
    this.contextLength = config.ctx;
    this.tok = rowsMap(config.tok_full, config.tok_rows);
    this.pos = rowsMap(config.pos_full, config.pos_rows);
  }

  tokenRows(rows: ArrayLike<number>): Float32Array {
    this.gatherCalls++;
    return this.gather(this.tok, rows, this.vocabSize, 'token');
  }

  positionRows(rows: ArrayLike<number>): Float32Array {
    if (this.positional === 'none') {
      for (let i = 0; i < rows.length; i++) if (rows[i] < 0 || rows[i] >= this.contextLength) throw new RangeError(`position row ${rows[i]} out of range`);
      return new Float32Array(rows.length * this.dim);
    }
    if (this.positional !== 'learned') throw new Error(`reference fixture has no ${this.positional} positions`);
    return this.gather(this.pos, rows, this.contextLength, 'position');
  }

  describe(): SourceDescription {
    return { kind: 'random', seed: String(this.config.seed), vocabSize: this.vocabSize, dim: this.dim, contextLength: this.contextLength };
  }

  private gather(map: Map<number, Float32Array>, rows: ArrayLike<number>, count: number, name: string): Float32Array {
    const out = new Float32Array(rows.length * this.dim);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= count) throw new RangeError(`${name} row ${r} is outside 0..${count - 1}`);
      const v = map.get(r);
      if (!v) throw new Error(`the PyTorch reference fixture has no ${name} row ${r}`);
      out.set(v, i * this.dim);
    }
    return out;
  }
}

/** The reference config matching a spec, or undefined when PyTorch recorded nothing for it. */
export function referenceConfigFor(spec: TablesSpec): FixtureConfig | undefined {
  const w = spec.weights;
  if (w.kind !== 'random') return undefined;
  return Object.values(reference).find(
    (c) => String(c.seed) === w.seed && c.vocab === spec.vocabSize && c.dim === spec.dim && c.ctx === spec.contextLength,
  );
}

/** Service dependencies for tests: real tiktoken encodings + PyTorch reference rows. */
export function referenceDependencies(): { tokenizer(e: EncodingName): Tokenizer; tables(spec: TablesSpec): ReferenceTables; created: ReferenceTables[] } {
  const created: ReferenceTables[] = [];
  return {
    created,
    tokenizer: (e) => new TiktokenTokenizer(e),
    tables: (spec) => {
      const config = referenceConfigFor(spec);
      if (!config) throw new Error(`no PyTorch reference for ${JSON.stringify(spec)}`);
      const t = new ReferenceTables(config, spec.positional);
      created.push(t);
      return t;
    },
  };
}
