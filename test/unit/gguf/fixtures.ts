// ggml reference blocks from test/fixtures/gguf/dequant.json (see scripts/ggml/gen-dequant-fixtures.sh), for tests
// that build GGUF files around real quantized data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GgmlCase {
  type: string;
  source: string;
  count: number;
  blocks: Uint8Array;
  values: Float32Array;
}

let cases: GgmlCase[] | null = null;

export function ggmlCases(): GgmlCase[] {
  if (cases) return cases;
  const json = JSON.parse(readFileSync(join(__dirname, '../../fixtures/gguf/dequant.json'), 'utf8')) as {
    cases: { type: string; source: string; count: number; blocks: string; values: string }[];
  };
  cases = json.cases.map((c) => ({
    type: c.type.toUpperCase(),
    source: c.source,
    count: c.count,
    blocks: Uint8Array.from(Buffer.from(c.blocks, 'hex')),
    values: new Float32Array(Uint8Array.from(Buffer.from(c.values, 'hex')).buffer),
  }));
  return cases;
}

/** The quantizer-made case of a type (not the random-blocks one). */
export function ggmlCase(type: string): GgmlCase {
  const c = ggmlCases().find((x) => x.type === type && x.source.startsWith('quantize_row'));
  if (!c) throw new Error(`no ggml fixture for ${type}`);
  return c;
}
