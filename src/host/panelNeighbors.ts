/**
 * Nearest tokens of the inspector's selected row: a whole-vocabulary cosine scan in the worker on the
 * `panelNeighbors` channel, so selecting another row supersedes (cancels) the scan still running.
 * Posts `loading`, then `ready` or `error`, tagged with the row so the webview drops stale replies.
 */
import type { HostToPanel, PanelState } from '../shared/webviewProtocol';
import { describeEngineError, isCancellation, type Engine } from './engine';

/** How many nearest tokens the panel lists. */
export const PANEL_NEIGHBORS_K = 10;

export class PanelNeighbors {
  private controller: AbortController | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly post: (message: HostToPanel) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Scans for the state's row `row` (nothing for `null`, which only cancels a running scan). */
  async show(state: PanelState | undefined, row: number | null): Promise<void> {
    this.controller?.abort();
    this.controller = undefined;
    if (!state || row === null) return;
    const token = state.result.tokens[row];
    if (!token) return;
    const controller = new AbortController();
    this.controller = controller;
    this.post({ type: 'neighbors', row, id: token.id, status: 'loading', neighbors: [] });
    try {
      const result = await this.engine.call(
        'neighbors',
        { settings: state.settings, vocabSize: state.result.source.vocabSize, id: token.id, k: PANEL_NEIGHBORS_K },
        { channel: 'panelNeighbors', signal: controller.signal, timeoutMs: 60_000 },
      );
      if (this.controller !== controller) return;
      this.post({ type: 'neighbors', row, id: token.id, status: 'ready', neighbors: result.neighbors });
    } catch (e) {
      if (isCancellation(e) || this.controller !== controller) return;
      const message = describeEngineError(e);
      this.log(`nearest tokens of ${token.id}: ${message}`);
      this.post({ type: 'neighbors', row, id: token.id, status: 'error', neighbors: [], message });
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = undefined;
  }
}
