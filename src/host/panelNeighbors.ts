/**
 * Nearest tokens of a row the inspector panel selected: a whole-vocabulary cosine scan in the worker. The
 * panel asks with a request id (PanelMethods.neighbors) and cancels it when the selection or the state
 * changes, which aborts the scan; a request for a row the host no longer shows is refused as cancelled.
 */
import type { Neighbor } from '../shared/engineProtocol';
import type { PanelState } from '../shared/webviewProtocol';
import { RpcError } from '../shared/rpc';
import type { Engine } from './engine';

/** How many nearest tokens the panel lists. */
export const PANEL_NEIGHBORS_K = 10;

export async function neighborsOfRow(
  engine: Engine,
  state: PanelState | undefined,
  row: number,
  id: number,
  signal: AbortSignal,
): Promise<{ neighbors: Neighbor[] }> {
  const token = state?.result.tokens[row];
  // The panel asked about a state it no longer shows (a new one is on its way to it): nothing to answer.
  if (!state || !token || token.id !== id) throw new RpcError('cancelled', `row ${row} (id ${id}) is not on the page the host shows`);
  const result = await engine.call(
    'neighbors',
    { settings: state.settings, vocabSize: state.result.source.vocabSize, id, k: PANEL_NEIGHBORS_K },
    { signal, timeoutMs: 60_000 },
  );
  return { neighbors: result.neighbors };
}
