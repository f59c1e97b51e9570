/** Real PyTorch rows (seed 123, 50257 × 256, context 4) copied from /work/shared/reference into test/fixtures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BookReference {
  seed: number;
  vocab: number;
  dim: number;
  ctx: number;
  tok_rows: Record<string, number[]>;
  pos_rows: Record<string, number[]>;
}

export function bookReference(): BookReference {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'webview-book-seed123.json'), 'utf8')) as BookReference;
}
