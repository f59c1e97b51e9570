/**
 * The human-readable form of a ModelDescription (`token-embeddings model PATH` without --json, and the source
 * bar's tooltip). One fact per line, in the order a reader checks them.
 */
import type { ModelDescription } from './description';

const n = (x: number) => x.toLocaleString('en-US');

export function formatModelDescription(d: ModelDescription): string {
  const t = d.table;
  const lines = [
    `${d.format === 'gguf' ? 'GGUF file' : 'Hugging Face folder'}: ${d.path}`,
    `architecture: ${d.architecture ?? 'unknown'}`,
    `tokenizer: ${d.tokenizer.kind}${d.tokenizer.pre ? ` (pre-tokenizer ${d.tokenizer.pre})` : ''}, ${n(d.tokenizer.ids)} ids, from ${d.tokenizer.file}`,
    `token table: ${t.tensor} in ${t.file}${t.shard ? ` (shard ${t.shard.number} of ${t.shard.of})` : ''}, ${n(t.rows)} × ${n(t.dim)} ${t.dtype}` +
      (t.paddingRows > 0 ? `, ${n(t.paddingRows)} padding rows (${n(d.tokenizer.ids)}…${n(t.rows - 1)}, never produced by the tokenizer)` : ''),
    `positions: ${d.positions.explanation}`,
    `context length: ${n(d.contextLength)}`,
  ];
  if (d.tiedOutput !== null) lines.push(`output layer: ${d.tiedOutput ? 'tied to the token table' : 'its own weights'}`);
  return lines.join('\n');
}
