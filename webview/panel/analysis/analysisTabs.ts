/**
 * The panel's tab bar: Embeddings (the heatmaps, passed in) | Similarity | Projection | Token | Positions |
 * Export, one module per tab. Every number the analysis tabs show was computed by the engine worker: a tab
 * asks the host for its analysis of the current page when it is opened (or the state changes while it is
 * open), and the reply is kept until the state changes. Token texts reach the DOM through textContent and
 * canvases through fillText only.
 */
import type { AnalysisKind, AnalysisResult, HostToWebview, WebviewToHost } from '../../../src/shared/protocol';
import { h } from '../../shared/dom';
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
  post(m: WebviewToHost): void;
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
    this.exportTab = new ExportTab(opts.post);
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

  /** Handles analysis replies; false for messages that are not for the tabs. */
  onMessage(m: HostToWebview): boolean {
    switch (m.type) {
      case 'analysis': {
        const r = m.result;
        const state = this.opts.store.state;
        // A reply for another page (the user paged on meanwhile) is dropped; the newer request answers later.
        if (!state || r.page.firstToken !== state.result.firstToken) return true;
        this.results.set(r.kind, r);
        this.requested.delete(r.kind);
        const active = this.activeAnalysis();
        if (active?.kind === r.kind) active.draw(r as never);
        return true;
      }
      case 'analysisError': {
        this.requested.delete(m.kind);
        this.tabFor(m.kind).status.show(m.message, true);
        return true;
      }
      case 'actionDone':
        this.exportTab.showOutcome(m.message, m.ok);
        return true;
      default:
        return false;
    }
  }

  private entries(): [AnalysisTabId, AnalysisTab][] {
    return Object.entries(this.analyses) as [AnalysisTabId, AnalysisTab][];
  }

  private activeAnalysis(): AnalysisTab | undefined {
    const id = this.tabs.active;
    return id === 'embeddings' || id === 'export' ? undefined : this.analyses[id];
  }

  private tabFor(kind: AnalysisKind): AnalysisTab {
    return this.entries().find(([, t]) => t.kind === kind)![1];
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
    if (this.requested.has(tab.kind)) return;
    this.requested.add(tab.kind);
    tab.status.show('Computing…');
    this.opts.post({ type: 'analysis', kind: tab.kind });
  }
}
