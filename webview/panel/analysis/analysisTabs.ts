/**
 * The panel's tab bar: Embeddings (the heatmaps, passed in) | Similarity | Projection | Token | Positions |
 * Export, one module per tab. Every number the analysis tabs show was computed by the engine worker: a tab
 * asks the host for its analysis of the current state when it is opened (or the state changes while it is
 * open), and the reply is kept until the state changes. Requests carry ids (hostChannel.call) and the
 * state's signal: a new state cancels them, so a reply computed for an older state (another seed, dim,
 * page…) is never drawn or kept. Token texts reach the DOM through textContent and canvases through fillText.
 */
import type { AnalysisKind, AnalysisResult } from '../../../src/shared/engineProtocol';
import { RpcError } from '../../../src/shared/rpc';
import { h } from '../../shared/dom';
import type { CallHost } from '../../shared/hostChannel';
import { ExportTab } from './exportTab';
import { PositionsTab } from './positionsTab';
import { ProjectionTab } from './projectionTab';
import { SimilarityTab } from './similarityTab';
import type { AnalysisResultOf, AnalysisTab, TabContext } from './tab';
import { Tabs } from './tabs';
import { TokenTab } from './tokenTab';

export type TabId = 'embeddings' | 'similarity' | 'projection' | 'token' | 'positions' | 'export';
type AnalysisTabId = Exclude<TabId, 'embeddings' | 'export'>;

export interface AnalysisTabsOptions extends TabContext {
  /** What the Embeddings tab shows (the heatmaps and values table). */
  embeddings: HTMLElement[];
  call: CallHost;
}

export class AnalysisTabs {
  readonly element: HTMLElement;
  private readonly tabs: Tabs<TabId>;
  private readonly analyses: { [Id in AnalysisTabId]: AnalysisTab };
  private readonly exportTab: ExportTab;
  private readonly results = new Map<AnalysisKind, AnalysisResult>();
  private readonly requested = new Set<AnalysisKind>();

  constructor(private readonly opts: AnalysisTabsOptions) {
    this.analyses = { similarity: new SimilarityTab(opts), projection: new ProjectionTab(opts), token: new TokenTab(opts), positions: new PositionsTab(opts) };
    this.exportTab = new ExportTab(opts.call);
    const a = this.analyses;
    this.tabs = new Tabs<TabId>(
      [
        { id: 'embeddings', label: 'Embeddings', panel: h('div', {}, ...opts.embeddings) },
        { id: 'similarity', label: 'Similarity', panel: a.similarity.panel },
        { id: 'projection', label: 'Projection', panel: a.projection.panel },
        { id: 'token', label: 'Token', panel: a.token.panel },
        { id: 'positions', label: 'Positions', panel: a.positions.panel },
        { id: 'export', label: 'Export', panel: this.exportTab.panel },
      ],
      (id) => this.open(id),
    );
    this.element = this.tabs.element;
    const store = opts.store;
    store.onState.on(() => {
      this.results.clear();
      this.requested.clear();
      this.open(this.tabs.active);
    });
    store.onSelect.on((row, changed) => {
      if (!changed) return;
      for (const [id, tab] of this.entries()) tab.select?.(row, this.tabs.active === id);
    });
    store.onTheme.on(() => {
      for (const [, tab] of this.entries()) tab.retheme?.();
      this.open(this.tabs.active);
    });
  }

  private entries(): [AnalysisTabId, AnalysisTab][] {
    return Object.entries(this.analyses) as [AnalysisTabId, AnalysisTab][];
  }

  private activeAnalysis(): AnalysisTab | undefined {
    const id = this.tabs.active;
    return id === 'embeddings' || id === 'export' ? undefined : this.analyses[id];
  }

  private open(id: TabId): void {
    document.body.dataset.tab = id;
    const tab = this.activeAnalysis();
    if (!tab || !this.opts.store.state) return;
    const done = this.results.get(tab.kind);
    if (done) {
      tab.draw(done as AnalysisResultOf<typeof tab.kind>);
      return;
    }
    tab.pending?.();
    if (!this.requested.has(tab.kind)) void this.request(tab);
  }

  private async request(tab: AnalysisTab): Promise<void> {
    const kind = tab.kind;
    const signal = this.opts.store.stateSignal;
    this.requested.add(kind);
    tab.status.show('Computing…');
    try {
      const result = await this.opts.call('analysis', { kind }, { signal, channel: `analysis:${kind}` });
      if (signal.aborted) return; // the state changed meanwhile (the call was cancelled; belt and braces)
      this.results.set(kind, result);
      if (this.activeAnalysis()?.kind === kind) tab.draw(result as never);
    } catch (e) {
      if (signal.aborted) return; // superseded by the new state, which asks again
      const cancelled = e instanceof RpcError && e.kind === 'cancelled';
      // Cancelled by the host without a new state here yet: the new state (or a reopened tab) asks again.
      tab.status.show(cancelled ? 'Cancelled.' : e instanceof Error ? e.message : String(e), !cancelled);
    } finally {
      if (!signal.aborted) this.requested.delete(kind);
    }
  }
}
