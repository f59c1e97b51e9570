/**
 * The hover's optional "nearest: …" line (setting `tokenEmbeddings.hover.neighbors`, default off). Off by
 * default because it scans the whole vocabulary (≈0.3 s for 50k × 768 F16 rows, up to ~3 s for 200k-token
 * random tables) where the rest of the hover is a binary search; the scan runs in the worker on the
 * `hoverNeighbors` channel, so moving to another token cancels it, and a failed scan only drops the line.
 */
import type { EmbeddingSettings } from '../shared/embeddingTypes';
import type { Neighbor } from '../shared/engineProtocol';
import type { Engine } from './engine';
import { displayTokenText } from './hoverContent';
import { PADDING_NOTE } from '../shared/sourceWords';

export const HOVER_NEIGHBORS_K = 5;

/** `nearest: “ the” 0.812 · “ a” 0.790 · id 50300 0.75 padding (never trained) …` (markdown-escaped token text). */
export function renderNeighborsLine(neighbors: readonly Neighbor[]): string {
  if (neighbors.length === 0) return 'nearest: (no other tokens)';
  const one = (n: Neighbor) =>
    `${n.text === null ? `id ${n.id}` : `“${displayTokenText(n.text)}”`} ${n.score.toFixed(3)}${n.padding ? ` ${PADDING_NOTE}` : ''}`;
  return `nearest: ${neighbors.map(one).join(' · ')}`;
}

export async function hoverNeighborsLine(engine: Engine, settings: EmbeddingSettings, id: number, signal: AbortSignal): Promise<string> {
  const result = await engine.call('neighbors', { settings, id, k: HOVER_NEIGHBORS_K }, { channel: 'hoverNeighbors', signal, timeoutMs: 30_000 });
  return renderNeighborsLine(result.neighbors);
}
