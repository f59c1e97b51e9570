/**
 * Compact side-panel view: the selection's tokens as chips and the focused token's three vectors
 * (token, positional, combined) as one-row heatmap strips on a shared scale, plus "Open Inspector".
 * Replays its last state (vscode.setState) when shown again or reloaded.
 */
import type { ViewInspectResult } from '../../src/shared/webviewProtocol';
import type { HostToSidebar, PanelState } from '../../src/shared/webviewProtocol';
import { assertNever } from '../../src/shared/assertNever';
import { h } from '../shared/dom';
import { ErrorBanner } from '../shared/errorBanner';
import { fmt4, pageText, sumLine } from '../shared/format';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { tokenizerLabel } from '../../src/shared/embeddingTypes';
import { HeatmapView, type HeatmapModel } from '../shared/heatmapChart';
import { LUT_STEPS, legendValues, robustScale } from '../shared/heatmapMath';
import { connectHost } from '../shared/hostChannel';
import { readTheme, watchTheme, type ThemeColors } from '../shared/theme';
import { TokenStrip } from '../shared/tokenStrip';
import { sourceLines, sourceSummary } from '../shared/sourceLines';

let theme: ThemeColors = readTheme();
let state: PanelState | null = null;
let focused: number | null = null;

const app = document.getElementById('app')!;
const tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
const summary = h('p', { class: 'side-summary' });
/** The side panel's source bar: tables, dtype, tokenizer, padding rows (and a model's positions as its tooltip). */
const sourceLine = h('p', { class: 'side-summary side-source', id: 'side-source' });
const openButton = h('button', { type: 'button', class: 'open-panel' }, 'Open Inspector');
const errors = new ErrorBanner();
const busy = h(
  'div',
  { class: 'busy', role: 'status', hidden: true },
  h('span', { class: 'spinner', 'aria-hidden': 'true' }),
  h('span', { class: 'busy-text' }, 'Computing…'),
);
const strip = new TokenStrip({
  firstToken: 0,
  idPrefix: 'side-chip',
  onActivate: (row) => {
    focus(row, true);
    reveal(row);
  },
  onMove: (row) => focus(row, true),
});
const focusTitle = h('p', { class: 'focus-title' });
const vectorBoxes = {
  tok: h('div', { class: 'chart-box vector-box', id: 'side-token' }),
  pos: h('div', { class: 'chart-box vector-box', id: 'side-position' }),
  comb: h('div', { class: 'chart-box vector-box', id: 'side-combined' }),
  legend: h('div', { class: 'chart-box vector-legend', id: 'side-legend' }),
};
const vectors = h(
  'section',
  { class: 'vectors', 'aria-label': 'Vectors of the focused token' },
  focusTitle,
  h('div', { class: 'vector-label' }, 'token'),
  vectorBoxes.tok,
  h('div', { class: 'vector-label' }, 'position'),
  vectorBoxes.pos,
  h('div', { class: 'vector-label' }, 'combined'),
  vectorBoxes.comb,
  vectorBoxes.legend,
);
const empty = h('p', { class: 'empty' }, 'Select text in an editor to see its tokens.');
const content = h('div', { class: 'content', hidden: true }, summary, sourceLine, strip.element, vectors);
app.replaceChildren(h('div', { class: 'side-actions' }, openButton), busy, errors.element, empty, content);
document.body.append(tooltip);
app.removeAttribute('aria-busy');

let views: Record<'tok' | 'pos' | 'comb' | 'legend', HeatmapView> | null = null;

function vectorModels(r: ViewInspectResult, row: number) {
  const d = r.dim;
  const p = r.positions[row]!;
  const tok = r.tokenEmbeddings.subarray(row * d, row * d + d);
  const pos = r.positionalEmbeddings.subarray(p * d, p * d + d);
  const comb = r.combinedEmbeddings.subarray(row * d, row * d + d);
  const maxAbs = robustScale([tok, pos, comb]).maxAbs;
  const base = { rows: 1, cols: d, maxAbs, lut: theme.lut, highlight: theme.highlight, selectedRow: null };
  return {
    tok: { ...base, values: tok },
    pos: { ...base, values: pos },
    comb: { ...base, values: comb },
    legend: { ...base, cols: LUT_STEPS, values: legendValues(maxAbs, LUT_STEPS) },
  } satisfies Record<string, HeatmapModel>;
}

function describe(col: number) {
  if (!state || focused === null) return null;
  const r = state.result;
  const t = r.tokens[focused]!;
  const p = r.positions[focused]!;
  return {
    title: `“${visibleTokenText(t.text)}” · id ${t.id} · dim ${col}`,
    lines: [sumLine(r.tokenEmbeddings[focused * r.dim + col]!, r.positionalEmbeddings[p * r.dim + col]!, r.combinedEmbeddings[focused * r.dim + col]!)],
  };
}

function renderVectors(themeChanged: boolean): void {
  if (!state || focused === null) {
    vectors.hidden = true;
    return;
  }
  vectors.hidden = false;
  const r = state.result;
  const t = r.tokens[focused]!;
  focusTitle.textContent = `token ${r.firstToken + focused} “${visibleTokenText(t.text)}” · id ${t.id} · position ${r.positions[focused]} · ${r.dim} dims`;
  const m = vectorModels(r, focused);
  if (!views) {
    const opts = { xTitle: '', yTitle: '', showYAxis: false, showXAxis: false, tooltipEl: tooltip, describe: (_row: number, col: number) => describe(col) };
    views = {
      tok: new HeatmapView({ ...opts, container: vectorBoxes.tok }, m.tok, theme),
      pos: new HeatmapView({ ...opts, container: vectorBoxes.pos }, m.pos, theme),
      comb: new HeatmapView({ ...opts, container: vectorBoxes.comb }, m.comb, theme),
      legend: new HeatmapView(
        { container: vectorBoxes.legend, xTitle: '', yTitle: '', showYAxis: false, xRange: [-m.legend.maxAbs, m.legend.maxAbs], tooltips: false },
        m.legend,
        theme,
      ),
    };
    views.tok.canvas.id = 'side-canvas-token';
    views.pos.canvas.id = 'side-canvas-position';
    views.comb.canvas.id = 'side-canvas-combined';
    for (const v of [views.tok, views.pos, views.comb]) {
      v.canvas.setAttribute('role', 'img');
      v.canvas.setAttribute(
        'aria-label',
        `${focusTitle.textContent}; values: ${Array.from(v.currentModel.values.subarray(0, 8), fmt4).join(', ')}${v.currentModel.cols > 8 ? ', …' : ''}`,
      );
    }
  } else {
    views.tok.setModel(m.tok, themeChanged ? theme : undefined);
    views.pos.setModel(m.pos, themeChanged ? theme : undefined);
    views.comb.setModel(m.comb, themeChanged ? theme : undefined);
    views.legend.setModel(m.legend, theme);
    views.legend.setXRange(-m.legend.maxAbs, m.legend.maxAbs);
  }
}

function focus(row: number | null, fromUser: boolean): void {
  if (!state) return;
  if (row !== null && (row < 0 || row >= state.result.tokens.length)) row = null;
  if (row === focused) return;
  focused = row;
  strip.select(row);
  renderVectors(false);
  channel.persist(state, focused);
  if (fromUser) channel.post({ type: 'selectRow', row });
}

function reveal(row: number): void {
  if (!state) return;
  const t = state.result.tokens[row];
  // Offsets into the inspected text; the host adds state.textOffset for the document.
  if (t) channel.post({ type: 'revealToken', start: t.start, end: t.end });
}

function showState(s: PanelState, restoredRow?: number | null): void {
  state = s;
  const n = s.result.tokens.length;
  const wanted = restoredRow !== undefined ? restoredRow : s.selectedRow;
  focused = n === 0 ? null : wanted !== null && wanted < n ? wanted : 0;
  errors.hide();
  empty.hidden = n > 0;
  content.hidden = n === 0;
  summary.textContent = `${s.documentLabel ? `${s.documentLabel} · ` : ''}${tokenizerLabel(s.result.source.tokenizer)} · ${pageText(s.result)}`;
  const source = sourceLines(s.result.source);
  sourceLine.textContent = sourceSummary(s.result.source);
  sourceLine.title = [source.title, source.tokenizer, source.positions].filter(Boolean).join('\n');
  strip.setTokens(s.result.tokens, s.result.firstToken);
  strip.select(focused, false);
  renderVectors(false);
  document.body.dataset.state = 'ready';
  channel.persist(s, focused);
}

function onMessage(m: HostToSidebar): void {
  switch (m.type) {
    case 'state':
      showState(m.state);
      return;
    case 'busy':
      busy.hidden = !m.busy;
      return;
    case 'error':
      errors.show(m.message);
      return;
    case 'selectRow':
      focus(m.row, false);
      return;
    default:
      assertNever(m, 'host message');
  }
}

const channel = connectHost(onMessage, (err) => {
  errors.show(`Ignored a malformed message from the extension: ${err.message}`);
});
openButton.addEventListener('click', () => channel.post({ type: 'openPanel' }));
watchTheme((t) => {
  theme = t;
  document.body.dataset.themeKind = t.kind;
  renderVectors(true);
});

if (channel.restored?.state) showState(channel.restored.state, channel.restored.selectedRow);
channel.post({ type: 'ready' });
