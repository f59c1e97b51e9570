/**
 * The panel's tabs: Embeddings (the existing heatmaps, passed in) | Similarity | Projection | Token | Positions |
 * Export. Every number shown here was computed by the engine worker: a tab asks the host for its analysis of the
 * current page when it is opened (or the page changes while it is open) and draws the reply. Only the Token
 * tab's vector chart reads the page's vectors straight from the state (plain data, nothing computed).
 * Token texts reach the DOM through textContent and the canvas through fillText only.
 */
import { ANALYSIS_MAX_TOKENS, EXPORT_FILE_FORMATS, EXPORT_MATRICES, type AnalysisKind, type AnalysisResult, type ExportFileFormat, type ExportMatrix } from '../../../src/shared/engineProtocol';
import type { HostToWebview, PanelState, WebviewToHost } from '../../../src/shared/webviewProtocol';
import { h } from '../../shared/dom';
import { fmt4, fmtInt, visibleTokenText } from '../../shared/format';
import { HeatmapView, type HeatmapModel } from '../../shared/heatmapChart';
import type { ThemeColors } from '../../shared/theme';
import { paddedBounds } from './arrowGeometry';
import { ChartSlot, arrowPlugin, axis, baseOptions, lineColors, seriesColors } from './charts';
import { Tabs } from './tabs';

export type TabId = 'embeddings' | 'similarity' | 'projection' | 'token' | 'positions' | 'export';
const TAB_KIND: Partial<Record<TabId, AnalysisKind>> = { similarity: 'similarity', projection: 'projection', token: 'tokenStats', positions: 'positionalLab' };

type Result<K extends AnalysisKind> = Extract<AnalysisResult, { kind: K }>;

export interface AnalysisTabsOptions {
  /** What the Embeddings tab shows (the existing heatmaps and values table). */
  embeddings: HTMLElement[];
  tooltip: HTMLElement;
  post(m: WebviewToHost): void;
  /** Select a token row everywhere (strip, heatmaps, these tabs) as if the user picked it. */
  selectRow(row: number | null): void;
  theme: ThemeColors;
}

const EXPORT_LABELS: Record<ExportMatrix, string> = {
  token: 'Token embeddings (tokens × dim)',
  positional: 'Positional table (context × dim)',
  combined: 'Combined = token + position (tokens × dim)',
  ids: 'Token IDs and spans',
};
const FORMAT_LABELS: Record<ExportFileFormat, string> = { csv: 'CSV', json: 'JSON', npy: 'NumPy .npy' };
const SCHEME_LABELS = { learned: 'Learned (additive table)', sinusoidal: 'Sinusoidal (additive)', rope: 'RoPE (rotary)' } as const;

function status(): HTMLElement {
  return h('p', { class: 'analysis-status', role: 'status' });
}

function sizeBox(box: HTMLElement, px: number): void {
  box.style.height = `${px}px`; // CSSOM writes are allowed by the CSP (inline style attributes are not)
}

export class AnalysisTabs {
  readonly element: HTMLElement;
  private readonly tabs: Tabs<TabId>;
  private state: PanelState | null = null;
  private selected: number | null = null;
  private theme: ThemeColors;
  private readonly results = new Map<AnalysisKind, AnalysisResult>();
  private readonly requested = new Set<AnalysisKind>();

  // similarity
  private readonly simStatus = status();
  private readonly simTokenBox = h('div', { class: 'chart-box sim-box', id: 'sim-token-box' });
  private readonly simCombinedBox = h('div', { class: 'chart-box sim-box', id: 'sim-combined-box' });
  private readonly simPairs = h('div', { class: 'sim-pairs', id: 'sim-pairs' });
  private simToken: HeatmapView | null = null;
  private simCombined: HeatmapView | null = null;
  private simRepeated = new Set<number>();
  // projection
  private readonly projStatus = status();
  private readonly projBox = h('div', { class: 'chart-box proj-box', id: 'projection-box' });
  private readonly proj: ChartSlot;
  private hovered: number | null = null;
  // token
  private readonly tokStatus = status();
  private readonly vecBox = h('div', { class: 'chart-box vec-box', id: 'token-vectors-box' });
  private readonly normBox = h('div', { class: 'chart-box vec-box', id: 'token-norms-box' });
  private readonly vec: ChartSlot;
  private readonly norms: ChartSlot;
  private readonly vecCaption = h('figcaption', {}, 'Vectors of the selected token');
  // positions
  private readonly posStatus = status();
  private readonly labCharts = h('div', { class: 'lab-charts', id: 'lab-charts' });
  private readonly labText = h('div', { class: 'lab-text', id: 'lab-text' });
  private labSlots: ChartSlot[] = [];
  // export
  private readonly exportWhat = h('select', { name: 'exportWhat', id: 'export-what' }, ...EXPORT_MATRICES.map((w) => h('option', { value: w }, EXPORT_LABELS[w])));
  private readonly exportFormat = h('select', { name: 'exportFormat', id: 'export-format' }, ...EXPORT_FILE_FORMATS.map((f) => h('option', { value: f }, FORMAT_LABELS[f])));
  private readonly exportButton = h('button', { type: 'button', id: 'export-button' }, 'Export…');
  private readonly copyButton = h('button', { type: 'button', id: 'copy-pytorch', class: 'secondary' }, 'Copy as PyTorch');
  private readonly exportStatus = h('p', { class: 'analysis-status', role: 'status', id: 'export-status' });

  constructor(private readonly opts: AnalysisTabsOptions) {
    this.theme = opts.theme;
    const panel = (...children: (Node | string)[]) => h('div', {}, ...children);
    const figure = (caption: string | HTMLElement, box: HTMLElement) => h('figure', { class: 'map' }, typeof caption === 'string' ? h('figcaption', {}, caption) : caption, box);

    const similarity = panel(
      h('p', { class: 'muted' }, 'Cosine similarity of every pair of tokens, before and after adding positions. The same token at two positions is identical in the token table (1) and differs once its position is added. Repeated tokens are marked ● on the axes.'),
      this.simStatus,
      h('div', { class: 'sim-grid' }, figure('Token only: cos(tokᵢ, tokⱼ)', this.simTokenBox), figure('Token + position: cos(inᵢ, inⱼ)', this.simCombinedBox)),
      h('h3', {}, 'Repeated tokens'),
      this.simPairs,
    );
    this.proj = new ChartSlot(this.projBox, 'PCA scatter: token vectors and token + position vectors, with an arrow from each token to its position-shifted vector');
    this.proj.canvas.id = 'projection-canvas';
    this.proj.canvas.tabIndex = 0;
    this.proj.canvas.addEventListener('keydown', (e) => this.rowKeys(e));
    sizeBox(this.projBox, 440);
    const projection = panel(
      h('p', { class: 'muted' }, 'A 2-D PCA of the token vectors (circles) and the combined token + position vectors (squares) in one basis. Each arrow is what the position did to that token. Hover a point to select its token.'),
      this.projStatus,
      figure('Projection (PCA)', this.projBox),
    );
    this.vec = new ChartSlot(this.vecBox, 'Line chart of the selected token’s token, positional and combined vectors over the dimensions');
    this.vec.canvas.id = 'token-vectors-canvas';
    this.norms = new ChartSlot(this.normBox, 'Bar chart of the vector lengths of every token by position');
    this.norms.canvas.id = 'token-norms-canvas';
    sizeBox(this.vecBox, 260);
    sizeBox(this.normBox, 260);
    const token = panel(this.tokStatus, figure(this.vecCaption, this.vecBox), figure('Vector lengths by position: |token|, |position|, |token + position|', this.normBox));
    const positions = panel(
      h('p', { class: 'muted' }, 'The same two token vectors q and k, placed at positions m and m + offset by each scheme; the plot is the attention-style score q·k against the offset, one line per start m. With RoPE all lines coincide: the score depends only on the relative offset. With additive (learned or sinusoidal) positions they do not.'),
      this.posStatus,
      this.labCharts,
      this.labText,
    );
    const exportPanel = panel(
      h('p', { class: 'muted' }, 'Take the page’s tensors away: the same numbers the panel shows, exactly as float32.'),
      h('div', { class: 'controls' }, h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'What'), this.exportWhat), h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Format'), this.exportFormat), this.exportButton),
      h('div', { class: 'controls' }, this.copyButton, h('span', { class: 'muted' }, 'A Python script rebuilding these tables and inputs with torch.manual_seed and nn.Embedding.')),
      this.exportStatus,
    );
    this.exportButton.addEventListener('click', () => {
      this.exportStatus.textContent = 'Exporting…';
      opts.post({ type: 'export', what: this.exportWhat.value as ExportMatrix, format: this.exportFormat.value as ExportFileFormat });
    });
    this.copyButton.addEventListener('click', () => {
      this.exportStatus.textContent = 'Generating the PyTorch script…';
      opts.post({ type: 'copyPytorch' });
    });

    this.tabs = new Tabs<TabId>(
      [
        { id: 'embeddings', label: 'Embeddings', panel: panel(...opts.embeddings) },
        { id: 'similarity', label: 'Similarity', panel: similarity },
        { id: 'projection', label: 'Projection', panel: projection },
        { id: 'token', label: 'Token', panel: token },
        { id: 'positions', label: 'Positions', panel: positions },
        { id: 'export', label: 'Export', panel: exportPanel },
      ],
      (id) => this.onTab(id),
    );
    this.element = this.tabs.element;
  }

  // ───────────── inputs from main.ts ─────────────

  setState(s: PanelState, selectedRow: number | null): void {
    this.state = s;
    this.selected = selectedRow;
    this.results.clear();
    this.requested.clear();
    this.onTab(this.tabs.active);
  }

  setSelectedRow(row: number | null): void {
    if (row === this.selected) return;
    this.selected = row;
    this.simToken?.setSelectedRow(row);
    this.simCombined?.setSelectedRow(row);
    // Update in place: the selection may come from one of these charts' own event handlers, and destroying a
    // chart inside its handler leaves chart.js drawing on a released canvas.
    this.proj.current?.update('none');
    if (this.tabs.active === 'token') this.drawTokenVectors();
  }

  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.simToken?.destroy();
    this.simCombined?.destroy();
    this.simToken = this.simCombined = null;
    this.onTab(this.tabs.active);
  }

  /** Handles analysis replies; false for messages that are not for the tabs. */
  onMessage(m: HostToWebview): boolean {
    switch (m.type) {
      case 'analysis': {
        const r = m.result;
        // A reply for another page (the user paged on meanwhile) is dropped; the newer request answers later.
        if (!this.state || r.page.firstToken !== this.state.result.firstToken) return true;
        this.results.set(r.kind, r);
        this.requested.delete(r.kind);
        if (TAB_KIND[this.tabs.active] === r.kind) this.draw(this.tabs.active);
        return true;
      }
      case 'analysisError': {
        this.requested.delete(m.kind);
        const target = { similarity: this.simStatus, projection: this.projStatus, tokenStats: this.tokStatus, positionalLab: this.posStatus }[m.kind];
        target.textContent = m.message;
        target.classList.add('error-text');
        return true;
      }
      case 'actionDone':
        this.exportStatus.textContent = m.message;
        this.exportStatus.classList.toggle('error-text', !m.ok);
        return true;
      default:
        return false;
    }
  }

  // ───────────── requests ─────────────

  private onTab(id: TabId): void {
    document.body.dataset.tab = id;
    const kind = TAB_KIND[id];
    if (!kind || !this.state) return;
    if (this.results.has(kind)) {
      this.draw(id);
      return;
    }
    if (id === 'token') this.drawTokenVectors(); // the vector chart needs no worker answer
    if (this.requested.has(kind)) return;
    this.requested.add(kind);
    const s = { similarity: this.simStatus, projection: this.projStatus, tokenStats: this.tokStatus, positionalLab: this.posStatus }[kind];
    s.classList.remove('error-text');
    s.textContent = 'Computing…';
    this.opts.post({ type: 'analysis', kind });
  }

  private draw(id: TabId): void {
    if (id === 'similarity') this.drawSimilarity();
    else if (id === 'projection') this.drawProjection();
    else if (id === 'token') this.drawToken();
    else if (id === 'positions') this.drawPositions();
  }

  private tokenText(row: number): string {
    const t = this.state?.result.tokens[row];
    return t ? visibleTokenText(t.text) : '';
  }

  private rowKeys(e: KeyboardEvent): void {
    const n = this.state?.result.tokens.length ?? 0;
    if (n === 0) return;
    const step: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    if (!(e.key in step)) return;
    e.preventDefault();
    this.opts.selectRow(Math.max(0, Math.min(n - 1, (this.selected ?? -1) + step[e.key]!)));
  }

  private pageNotice(r: AnalysisResult): string {
    const p = r.page;
    const range = `tokens ${fmtInt(p.firstToken)}–${fmtInt(p.firstToken + p.count - 1)}`;
    return p.capped ? `Showing the first ${fmtInt(ANALYSIS_MAX_TOKENS)} tokens of this page (${range}); page on to see the rest.` : `${fmtInt(p.count)} tokens (${range}).`;
  }

  // ───────────── similarity ─────────────

  private drawSimilarity(): void {
    const r = this.results.get('similarity') as Result<'similarity'> | undefined;
    if (!r || !this.state) return;
    const n = r.page.count;
    const repeated = new Set(r.repeated.flatMap((g) => g.indices));
    this.simStatus.classList.remove('error-text');
    this.simStatus.textContent = this.pageNotice(r);
    // Labels and tooltips read the newest result: the views keep the callbacks they were created with.
    const current = () => this.results.get('similarity') as Result<'similarity'> | undefined;
    this.simRepeated = repeated;
    const label = (row: number) => `${(current()?.page.firstToken ?? 0) + row}${this.simRepeated.has(row) ? ' ●' : ''}`;
    const model = (values: Float32Array): HeatmapModel => ({ rows: n, cols: n, values, maxAbs: 1, lut: this.theme.lut, highlight: this.theme.highlight, selectedRow: this.selected });
    const describe = (which: 'token' | 'combined') => (row: number, col: number) => {
      const c = current();
      const ids = this.state?.result.tokens;
      if (!c || !ids) return null;
      const f = c.page.firstToken;
      return {
        title: `“${this.tokenText(row)}” (${f + row}) · “${this.tokenText(col)}” (${f + col})`,
        lines: [`cos ${fmt4(c[which][row * c.page.count + col]!)}`, ...(ids[row]?.id === ids[col]?.id ? ['same token id'] : [])],
      };
    };
    const px = Math.min(420, Math.max(160, n * 14)) + 56;
    sizeBox(this.simTokenBox, px);
    sizeBox(this.simCombinedBox, px);
    for (const [slot, box, values, id, which] of [
      ['simToken', this.simTokenBox, r.token, 'sim-token-canvas', 'token'],
      ['simCombined', this.simCombinedBox, r.combined, 'sim-combined-canvas', 'combined'],
    ] as const) {
      const existing = this[slot];
      if (existing) existing.setModel(model(values));
      else {
        const v = new HeatmapView(
          { container: box, xTitle: 'token', yTitle: 'token', rowLabel: label, describe: describe(which), tooltipEl: this.opts.tooltip, onSelectRow: (row) => this.opts.selectRow(row) },
          model(values),
          this.theme,
        );
        v.canvas.id = id;
        v.canvas.setAttribute('role', 'img');
        v.canvas.setAttribute('aria-label', `${id === 'sim-token-canvas' ? 'Token-only' : 'Combined'} cosine similarity heatmap; the repeated-token table below lists the key values.`);
        this[slot] = v;
      }
    }
    this.renderPairs(r);
  }

  private renderPairs(r: Result<'similarity'>): void {
    if (r.pairs.length === 0) {
      this.simPairs.replaceChildren(h('p', { class: 'muted' }, 'No token occurs twice on this page. Try a text that repeats a word.'));
      return;
    }
    const first = r.page.firstToken;
    const rows = r.pairs.slice(0, 200).map((p) =>
      h(
        'tr',
        { 'data-i': p.i, 'data-j': p.j },
        h('td', { class: 'tok' }, `“${this.tokenText(p.i)}”`),
        h('td', {}, String(p.id)),
        h('td', {}, `${first + p.i} & ${first + p.j}`),
        h('td', { class: 'sim-token' }, fmt4(p.tokenSimilarity)),
        h('td', { class: 'sim-combined' }, fmt4(p.combinedSimilarity)),
      ),
    );
    this.simPairs.replaceChildren(
      h(
        'table',
        { class: 'pairs' },
        h('thead', {}, h('tr', {}, h('th', {}, 'token'), h('th', {}, 'id'), h('th', {}, 'at'), h('th', {}, 'token only'), h('th', {}, 'token + position'))),
        h('tbody', {}, ...rows),
      ),
      ...(r.pairs.length > 200 ? [h('p', { class: 'muted' }, `…and ${fmtInt(r.pairs.length - 200)} more pairs.`)] : []),
    );
  }

  // ───────────── projection ─────────────

  private drawProjection(): void {
    const r = this.results.get('projection') as Result<'projection'> | undefined;
    if (!r || !this.state) return;
    const n = r.page.count;
    const [e1, e2] = r.explainedVarianceRatio;
    this.projStatus.classList.remove('error-text');
    this.projStatus.textContent = `${this.pageNotice(r)} PC1 explains ${(e1 * 100).toFixed(1)}% and PC2 ${(e2 * 100).toFixed(1)}% of the variance.`;
    const pts = (c: Float32Array) => Array.from({ length: n }, (_, i) => ({ x: c[2 * i]!, y: c[2 * i + 1]! }));
    const colors = seriesColors(this.theme);
    // Scriptable options read the live selection, so a new selection only needs chart.update().
    const isSel = (i: number) => i === this.selected;
    const radius = (i: number) => (isSel(i) ? 7 : 3);
    const b = paddedBounds(r.tokenCoords, r.combinedCoords);
    this.hovered = null;
    const theme = this.theme;
    const chart = this.proj.set<'scatter'>({
      type: 'scatter',
      data: {
        datasets: [
          { label: 'token', data: pts(r.tokenCoords), backgroundColor: colors.token, borderColor: (c) => (isSel(c.dataIndex) ? theme.highlight : colors.token), pointRadius: (c) => radius(c.dataIndex), pointStyle: 'circle' },
          { label: 'token + position', data: pts(r.combinedCoords), backgroundColor: colors.combined, borderColor: (c) => (isSel(c.dataIndex) ? theme.highlight : colors.combined), pointRadius: (c) => radius(c.dataIndex), pointStyle: 'rect' },
        ],
      },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'PC1', { min: b.xMin, max: b.xMax }), y: axis(theme, 'PC2', { min: b.yMin, max: b.yMax }) },
        onHover: (_e, active) => {
          // chart.js replays the last mouse event on every update: select only when the hovered point
          // changes, so a keyboard selection is not snapped back to the point under a resting mouse.
          const hit = active[0]?.index ?? null;
          if (hit === this.hovered) return;
          this.hovered = hit;
          if (hit !== null && hit !== this.selected) this.opts.selectRow(hit);
        },
        plugins: {
          ...baseOptions(theme).plugins,
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? `“${this.tokenText(items[0].dataIndex)}” · token ${r.page.firstToken + items[0].dataIndex}` : ''),
              label: (item) => `${item.datasetIndex === 0 ? 'token' : 'token + position'}: (${fmt4(item.parsed.x ?? NaN)}, ${fmt4(item.parsed.y ?? NaN)})`,
            },
          },
        },
      },
      plugins: [
        arrowPlugin({
          color: () => theme.muted,
          labelColor: () => theme.foreground,
          font: () => `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`,
          label: (i) => (n <= 64 || isSel(i) ? this.tokenText(i) : null),
        }),
      ],
    });
    chart.canvas.dataset.points = String(n);
  }

  // ───────────── token ─────────────

  private drawToken(): void {
    this.drawTokenVectors();
    this.drawNorms();
  }

  /** The selected token's three vectors over the dimensions (plain data from the state). */
  private drawTokenVectors(): void {
    const s = this.state;
    if (!s) return;
    const r = s.result;
    const row = this.selected ?? (r.tokens.length ? 0 : null);
    const colors = seriesColors(this.theme);
    const theme = this.theme;
    if (row === null) {
      this.vec.clear();
    } else {
      const d = r.dim;
      const p = r.positions[row]!;
      const dims = Array.from({ length: d }, (_, i) => String(i));
      this.vecCaption.textContent = `Vectors of token ${r.firstToken + row} “${this.tokenText(row)}” (id ${r.tokens[row]!.id}) at position ${p}${this.selected === null ? ' — select a token to change' : ''}`;
      const line = (label: string, data: Float32Array, color: string) => ({ label, data: Array.from(data), borderColor: color, backgroundColor: color, pointRadius: d <= 64 ? 2 : 0, borderWidth: 1 });
      this.vec.set<'line'>({
        type: 'line',
        data: {
          labels: dims,
          datasets: [
            line('token', r.tokenEmbeddings.subarray(row * d, (row + 1) * d), colors.token),
            line(`position ${p}`, r.positionalEmbeddings.subarray(p * d, (p + 1) * d), colors.position),
            line('token + position', r.combinedEmbeddings.subarray(row * d, (row + 1) * d), colors.combined),
          ],
        },
        options: { ...baseOptions(theme), interaction: { mode: 'index', intersect: false }, scales: { x: axis(theme, 'dimension'), y: axis(theme, 'value') } },
      });
    }
  }

  /** |token|, |position|, |token + position| of every token (the worker's tokenStats). */
  private drawNorms(): void {
    const s = this.state;
    const st = this.results.get('tokenStats') as Result<'tokenStats'> | undefined;
    if (!s || !st) return;
    const r = s.result;
    const colors = seriesColors(this.theme);
    const theme = this.theme;
    this.tokStatus.classList.remove('error-text');
    this.tokStatus.textContent = this.pageNotice(st);
    const labels = Array.from({ length: st.page.count }, (_, i) => `${r.positions[i]}: ${this.tokenText(i)}`);
    const bar = (label: string, data: Float64Array, color: string) => ({ label, data: Array.from(data), backgroundColor: color });
    const chart = this.norms.set<'bar'>({
      type: 'bar',
      data: { labels, datasets: [bar('|token|', st.tokenNorm, colors.token), bar('|position|', st.positionNorm, colors.position), bar('|token + position|', st.combinedNorm, colors.combined)] },
      options: {
        ...baseOptions(theme),
        scales: { x: axis(theme, 'position: token'), y: axis(theme, 'length (L2 norm)') },
        onClick: (_e, active) => {
          if (active[0]) this.opts.selectRow(active[0].index);
        },
      },
    });
    chart.canvas.dataset.bars = String(st.page.count);
  }

  // ───────────── positions ─────────────

  private drawPositions(): void {
    const r = this.results.get('positionalLab') as Result<'positionalLab'> | undefined;
    if (!r || !this.state) return;
    const theme = this.theme;
    for (const slot of this.labSlots) slot.clear();
    this.labSlots = [];
    const figures: HTMLElement[] = [];
    this.posStatus.classList.remove('error-text');
    this.posStatus.textContent = `q = token id ${r.qId}, k = token id ${r.kId} (the first tokens of this page), context length ${fmtInt(r.contextLength)}.`;
    for (const s of r.series) {
      const box = h('div', { class: 'chart-box lab-box', id: `lab-${s.scheme}-box` });
      sizeBox(box, 220);
      const invariant = s.maxSpread < 1e-6 * Math.max(1, ...Array.from(s.scores, Math.abs));
      const verdict = invariant
        ? `lines coincide (largest spread ${s.maxSpread.toExponential(1)}): the score depends only on the offset`
        : `lines differ by up to ${fmt4(s.maxSpread)}: the score depends on the absolute positions`;
      const fig = h('figure', { class: 'map lab', id: `lab-${s.scheme}`, 'data-invariant': String(invariant) }, h('figcaption', {}, `${SCHEME_LABELS[s.scheme]} — ${verdict}`), box);
      figures.push(fig);
      const slot = new ChartSlot(box, `Score versus offset for ${SCHEME_LABELS[s.scheme]}`);
      slot.canvas.id = `lab-${s.scheme}-canvas`;
      this.labSlots.push(slot);
      const colors = lineColors(theme, s.starts.length);
      const nOff = s.offsets.length;
      slot.set<'line'>({
        type: 'line',
        data: {
          labels: s.offsets.map(String),
          datasets: s.starts.map((m, i) => ({
            label: `q at m = ${m}`,
            data: Array.from(s.scores.subarray(i * nOff, (i + 1) * nOff)),
            borderColor: colors[i],
            backgroundColor: colors[i],
            borderWidth: 1.5,
            borderDash: i === 0 ? [] : [4 + 2 * i, 3],
            pointRadius: nOff <= 32 ? 2 : 0,
          })),
        },
        options: { ...baseOptions(theme), scales: { x: axis(theme, 'offset n − m'), y: axis(theme, 'score q·k') } },
      });
    }
    if (r.learnedUnavailable) figures.unshift(h('p', { class: 'muted' }, `Learned positions are not available: ${r.learnedUnavailable}`));
    this.labCharts.replaceChildren(...figures);
    const current = this.state.result.positional;
    const dl = h('dl', { class: 'longer' });
    for (const k of ['learned', 'sinusoidal', 'rope', 'none'] as const) {
      dl.append(h('dt', { class: k === current ? 'current' : '' }, k === current ? `${k} (this panel)` : k), h('dd', {}, r.longerThanContext[k]));
    }
    this.labText.replaceChildren(h('h3', {}, 'When the text is longer than the context'), h('p', { id: 'lab-windowing' }, r.windowing), dl);
  }
}
