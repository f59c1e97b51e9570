/**
 * The inspector panel: header (encoding, counts, source, book-style shapes), settings controls, token strip,
 * three heatmaps (token / positional / combined) on one shared diverging scale with a colour-bar legend,
 * and a values table for the selected row. All data arrives by message; nothing is inlined in the HTML.
 */
import { ENCODINGS, POSITIONAL_SCHEMES, type EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { HostToWebview, PanelState, ViewInspectResult } from '../../src/shared/webviewProtocol';
import { MAX_POSITIONAL_VALUES, MAX_SEED, SETTING_LIMITS, canonicalSeed } from '../../src/shared/limits';
import { assertNever } from '../../src/shared/assertNever';
import { h } from '../shared/dom';
import { fmt4, fmtInt, pageText, shapeLines, sourceText, sumLine, visibleTokenText } from '../shared/format';
import { HeatmapView, type HeatmapModel } from '../shared/heatmapChart';
import { LUT_STEPS, legendValues, robustScale, type ScaleRange } from '../shared/heatmapMath';
import { connectHost } from '../shared/hostChannel';
import { readTheme, watchTheme, type ThemeColors } from '../shared/theme';
import { TokenStrip } from '../shared/tokenStrip';
import { renderValuesTable } from '../shared/valuesTable';
import { AnalysisTabs } from './analysis/analysisTabs';
import { NeighborsList } from './neighbors';
import { SourceBar } from './sourceBar';

const ROW_PX = 14;

let theme: ThemeColors = readTheme();
let state: PanelState | null = null;
let selectedRow: number | null = null;

const app = document.getElementById('app')!;
const tooltip = h('div', { class: 'tooltip', role: 'tooltip', id: 'heatmap-tooltip', hidden: true });
/** Screen readers hear which token got selected (keyboard users do not see the hover tooltip). */
const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announcer' });

// ───────────── skeleton ─────────────
const title = h('h1', {}, 'Token embeddings');
const docLabel = h('span', { class: 'doc-label' });
const facts = h('dl', { class: 'facts' });
const shapes = h('table', { class: 'shapes' });
const header = h('header', { class: 'summary' }, h('div', { class: 'title-row' }, title, docLabel), facts, shapes);

const controlError = h('p', { class: 'control-error', role: 'alert', hidden: true });
function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'field-hint' }, hint) : null);
}
function select(name: string, options: readonly string[]): HTMLSelectElement {
  return h('select', { name }, ...options.map((o) => h('option', { value: o }, o)));
}
const encodingSelect = select('encoding', ENCODINGS);
const positionalSelect = select('positional', POSITIONAL_SCHEMES);
const dimInput = h('input', { name: 'dim', type: 'number', min: 1, step: 1, inputmode: 'numeric' });
const seedInput = h('input', { name: 'seed', type: 'text', inputmode: 'numeric', spellcheck: 'false', autocomplete: 'off' });
const contextInput = h('input', { name: 'contextLength', type: 'number', min: 1, step: 1, inputmode: 'numeric' });
const strideInput = h('input', { name: 'stride', type: 'number', min: 1, step: 1, inputmode: 'numeric' });
const controls = h(
  'form',
  { class: 'controls', 'aria-label': 'Embedding settings' },
  field('Encoding', encodingSelect),
  field('Dim', dimInput),
  field('Seed', seedInput),
  field('Context', contextInput),
  field('Stride', strideInput),
  field('Positions', positionalSelect),
  controlError,
);
controls.addEventListener('submit', (e) => e.preventDefault());

const busyText = h('span', { class: 'busy-text' }, 'Computing…');
const cancelButton = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
const busyBar = h('div', { class: 'busy', role: 'status', hidden: true }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), busyText, cancelButton);
const errorText = h('span', { class: 'error-text' });
const dismissButton = h('button', { type: 'button', class: 'secondary' }, 'Dismiss');
const errorBanner = h('div', { class: 'error-banner', role: 'alert', hidden: true }, errorText, dismissButton);

const pageInfo = h('span', { class: 'page-info' });
const prevButton = h('button', { type: 'button', class: 'secondary' }, '◀ Previous');
const nextButton = h('button', { type: 'button', class: 'secondary' }, 'Next ▶');
const pager = h('nav', { class: 'pager', 'aria-label': 'Token pages', hidden: true }, prevButton, pageInfo, nextButton);

const strip = new TokenStrip({
  firstToken: 0,
  idPrefix: 'chip',
  onActivate: (row) => {
    selectRow(row, true);
    reveal(row);
  },
  onMove: (row) => selectRow(row, true),
});
const stripSection = h('section', { class: 'strip-section', 'aria-label': 'Tokens' }, h('h2', {}, 'Tokens'), strip.element);

function mapFigure(id: string, caption: string): { figure: HTMLElement; box: HTMLElement; notice: HTMLElement; caption: HTMLElement } {
  const cap = h('figcaption', {}, caption);
  const box = h('div', { class: 'chart-box', id: `${id}-box` });
  const notice = h('p', { class: 'notice', hidden: true });
  return { figure: h('figure', { class: 'map', id }, cap, box, notice), box, notice, caption: cap };
}
const tokFig = mapFigure('map-token', 'Token embeddings');
const posFig = mapFigure('map-position', 'Positional embeddings');
const combFig = mapFigure('map-combined', 'Combined = token + position');
const legendBox = h('div', { class: 'chart-box legend-box', id: 'legend-box' });
const legendCaption = h('figcaption', {}, 'Shared colour scale (symmetric around 0)');
const legend = h('figure', { class: 'legend', id: 'legend' }, legendCaption, legendBox);
const maps = h('section', { class: 'maps', 'aria-label': 'Heatmaps' }, legend, tokFig.figure, posFig.figure, combFig.figure);

const valuesTarget = h('div', { class: 'values-wrap', id: 'values' });
const valuesSection = h('details', { class: 'values-section' }, h('summary', {}, 'Values of the selected row (table)'), valuesTarget);

const emptyNote = h('p', { class: 'empty' }, 'Select text in an editor and run “Token Embeddings: Inspect Selection”.');
// Tabs: Embeddings (the heatmaps above) | Similarity | Projection | Token | Positions | Export (./analysis/).
const analysisTabs = new AnalysisTabs({
  embeddings: [maps, valuesSection],
  tooltip,
  theme,
  post: (m) => channel.post(m),
  selectRow: (row) => selectRow(row, true),
});
const content = h('div', { class: 'content', hidden: true }, header, pager, stripSection, analysisTabs.element);
// Weights UI: which tables are shown (and the way to change them); nearest tokens of the selected row.
const sourceBar = new SourceBar((m) => channel.post(m));
const neighborsList = new NeighborsList();
maps.after(neighborsList.element); // below the maps (inside the Embeddings tab): rows arriving later must not shift them
// Controls, busy indicator and errors stay in view while the maps scroll.
const topbar = h('div', { class: 'topbar' }, controls, sourceBar.element, busyBar, errorBanner);
app.replaceChildren(topbar, emptyNote, content);
document.body.append(tooltip, announcer);
app.removeAttribute('aria-busy');

// ───────────── heatmaps ─────────────
let tokView: HeatmapView | null = null;
let posView: HeatmapView | null = null;
let combView: HeatmapView | null = null;
let legendView: HeatmapView | null = null;

function describeTokenCell(r: ViewInspectResult, row: number, col: number) {
  const t = r.tokens[row];
  if (!t) return null;
  const p = r.positions[row]!;
  const d = r.dim;
  return {
    title: `“${visibleTokenText(t.text)}” · id ${t.id}`,
    lines: [
      `token ${r.firstToken + row} · position ${p} · dim ${col}`,
      sumLine(r.tokenEmbeddings[row * d + col]!, r.positionalEmbeddings[p * d + col]!, r.combinedEmbeddings[row * d + col]!),
    ],
  };
}
function describePositionCell(r: ViewInspectResult, row: number, col: number) {
  const users: number[] = [];
  for (let i = 0; i < r.tokens.length && users.length < 6; i++) if (r.positions[i] === row) users.push(r.firstToken + i);
  return {
    title: `position ${row} · dim ${col}`,
    lines: [
      `pos ${fmt4(r.positionalEmbeddings[row * r.dim + col]!)}`,
      users.length ? `used by token${users.length > 1 ? 's' : ''} ${users.join(', ')}${users.length === 6 ? ', …' : ''}` : 'no token of this page at this slot',
    ],
  };
}

function noticeFor(notice: HTMLElement) {
  return (m: HeatmapModel) => {
    const { rows, cols, plan: p } = m;
    const sampled = p !== undefined && (p.rowsPerCell > 1 || p.colsPerCell > 1);
    notice.hidden = !sampled;
    if (sampled) {
      notice.textContent =
        `Down-sampled to fit: ${fmtInt(rows)} × ${fmtInt(cols)} values drawn as ${fmtInt(p.outRows)} × ${fmtInt(p.outCols)} pixels; ` +
        `each pixel shows the largest-magnitude value of up to ${p.rowsPerCell} × ${p.colsPerCell} cells. Hover or select a row for exact values.`;
    }
  };
}

function sizeBox(box: HTMLElement, rows: number, min: number, max: number): void {
  // CSSOM style writes are allowed by the CSP (only inline style attributes/elements are not).
  box.style.height = `${Math.min(max, Math.max(min, rows * ROW_PX)) + 56}px`;
}

function legendText(scale: ScaleRange): string {
  const base = `Shared colour scale, symmetric around 0: ±${fmt4(scale.maxAbs)}`;
  if (scale.clippedFraction === 0) return base;
  const pct = scale.clippedFraction * 100;
  return `${base} · ${pct < 0.1 ? '<0.1' : pct.toFixed(1)}% of values lie beyond and are drawn at the end colours (largest |v| ${fmt4(scale.dataMaxAbs)})`;
}

function models(r: ViewInspectResult) {
  const scale = robustScale([r.tokenEmbeddings, r.positionalEmbeddings, r.combinedEmbeddings]);
  legendCaption.textContent = legendText(scale);
  const maxAbs = scale.maxAbs;
  const base = { maxAbs, lut: theme.lut, highlight: theme.highlight, cols: r.dim };
  const sel = selectedRow;
  return {
    tok: { ...base, rows: r.tokens.length, values: r.tokenEmbeddings, selectedRow: sel },
    pos: { ...base, rows: r.contextLength, values: r.positionalEmbeddings, selectedRow: sel === null ? null : r.positions[sel]! },
    comb: { ...base, rows: r.tokens.length, values: r.combinedEmbeddings, selectedRow: sel },
    legend: { ...base, rows: 1, cols: LUT_STEPS, values: legendValues(maxAbs, LUT_STEPS), selectedRow: null },
  } satisfies Record<string, HeatmapModel>;
}

function keyNav(view: HeatmapView): void {
  view.canvas.tabIndex = 0;
  view.canvas.addEventListener('keydown', (e) => {
    if (!state) return;
    const n = state.result.tokens.length;
    if (n === 0) return;
    const cur = selectedRow ?? -1;
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    let next: number | null = null;
    if (e.key in step) next = Math.max(0, Math.min(n - 1, cur + step[e.key]!));
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Enter' && selectedRow !== null) reveal(selectedRow);
    if (next !== null) {
      e.preventDefault();
      selectRow(next, true);
    }
  });
}

function renderMaps(r: ViewInspectResult, themeChanged: boolean): void {
  const m = models(r);
  sizeBox(tokFig.box, r.tokens.length, 48, 360);
  sizeBox(combFig.box, r.tokens.length, 48, 360);
  sizeBox(posFig.box, r.contextLength, 32, 240);
  tokFig.caption.textContent = `Token embeddings · ${fmtInt(r.tokens.length)} tokens × ${fmtInt(r.dim)} dims`;
  posFig.caption.textContent =
    r.positional === 'none'
      ? `Positional embeddings · none (zeros) · ${fmtInt(r.contextLength)} × ${fmtInt(r.dim)}`
      : `Positional embeddings (${r.positional}) · ${fmtInt(r.contextLength)} positions × ${fmtInt(r.dim)} dims`;
  combFig.caption.textContent = `Combined = token + position · ${fmtInt(r.tokens.length)} × ${fmtInt(r.dim)}`;
  if (!tokView || !posView || !combView || !legendView) {
    const common = { tooltipEl: tooltip, onSelectRow: (row: number) => selectRow(row, true) };
    tokView = new HeatmapView(
      { ...common, container: tokFig.box, xTitle: 'dimension', yTitle: 'token', rowLabel: (row) => currentRowLabel(row), describe: (row, col) => (state ? describeTokenCell(state.result, row, col) : null), onRendered: noticeFor(tokFig.notice) },
      m.tok,
      theme,
    );
    posView = new HeatmapView(
      {
        ...common,
        container: posFig.box,
        xTitle: 'dimension',
        yTitle: 'position',
        describe: (row, col) => (state ? describePositionCell(state.result, row, col) : null),
        onSelectRow: (pos) => {
          const i = state ? state.result.positions.indexOf(pos) : -1;
          if (i >= 0) selectRow(i, true);
        },
        onRendered: noticeFor(posFig.notice),
      },
      m.pos,
      theme,
    );
    combView = new HeatmapView(
      { ...common, container: combFig.box, xTitle: 'dimension', yTitle: 'token', rowLabel: (row) => currentRowLabel(row), describe: (row, col) => (state ? describeTokenCell(state.result, row, col) : null), onRendered: noticeFor(combFig.notice) },
      m.comb,
      theme,
    );
    legendView = new HeatmapView({ container: legendBox, xTitle: '', yTitle: '', showYAxis: false, xRange: [-m.legend.maxAbs, m.legend.maxAbs], tooltips: false }, m.legend, theme);
    tokView.canvas.id = 'canvas-token';
    posView.canvas.id = 'canvas-position';
    combView.canvas.id = 'canvas-combined';
    legendView.canvas.id = 'canvas-legend';
    for (const [v, label] of [
      [tokView, 'Token embeddings heatmap'],
      [posView, 'Positional embeddings heatmap'],
      [combView, 'Combined embeddings heatmap'],
    ] as const) {
      v.canvas.setAttribute('role', 'img');
      v.canvas.setAttribute('aria-label', `${label}. Up and down arrows select a token; the values table lists the selected row.`);
      v.canvas.setAttribute('aria-describedby', 'values');
      keyNav(v);
    }
    legendView.canvas.setAttribute('role', 'img');
  } else {
    tokView.setModel(m.tok, themeChanged ? theme : undefined);
    posView.setModel(m.pos, themeChanged ? theme : undefined);
    combView.setModel(m.comb, themeChanged ? theme : undefined);
    legendView.setModel(m.legend, theme); // its x range follows the new scale
    (legendView.chart.options.scales as Record<string, { min?: number; max?: number }>).x!.min = -m.legend.maxAbs;
    (legendView.chart.options.scales as Record<string, { min?: number; max?: number }>).x!.max = m.legend.maxAbs;
    legendView.chart.update('none');
  }
}

function currentRowLabel(row: number): string {
  return state ? String(state.result.firstToken + row) : String(row);
}

// ───────────── header / controls ─────────────
function renderHeader(s: PanelState): void {
  const r = s.result;
  docLabel.textContent = s.documentLabel;
  const items: [string, string][] = [
    ['encoding', r.encoding],
    ['tokens', pageText(r)],
    ['source', sourceText(r.source)],
    ['vocab × dim', `${fmtInt(r.source.vocabSize)} × ${fmtInt(r.dim)}`],
    ['context', fmtInt(r.contextLength)],
  ];
  facts.replaceChildren(...items.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  shapes.replaceChildren(
    h('caption', {}, 'Shapes of the first batch (as in the book)'),
    ...shapeLines(r).map((l) => h('tr', {}, h('th', { scope: 'row' }, l.label), h('td', { class: 'dims' }, l.dims), h('td', { class: 'shape' }, l.shape))),
  );
}

function renderControls(settings: EmbeddingSettings): void {
  encodingSelect.value = settings.encoding;
  positionalSelect.value = settings.positional;
  dimInput.value = String(settings.dim);
  contextInput.value = String(settings.contextLength);
  strideInput.value = String(settings.stride);
  if (settings.weights.kind === 'random') {
    seedInput.value = settings.weights.seed;
    seedInput.disabled = false;
    seedInput.title = 'torch.manual_seed(seed)';
  } else {
    seedInput.value = '';
    seedInput.disabled = true;
    seedInput.title = `weights from ${settings.weights.path}`;
    seedInput.placeholder = 'file weights';
  }
  // A file fixes dim and (with learned positions) the context length.
  dimInput.disabled = settings.weights.kind === 'file';
  for (const el of [dimInput, contextInput, strideInput, seedInput]) el.removeAttribute('aria-invalid');
  controlError.hidden = true;
}

function showControlError(input: HTMLInputElement, message: string): void {
  input.setAttribute('aria-invalid', 'true');
  controlError.textContent = message;
  controlError.hidden = false;
}


function positiveInt(input: HTMLInputElement, label: string, max: number): number | null {
  const v = input.value.trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    showControlError(input, `${label} must be a whole number from 1 to ${fmtInt(max)} (got “${v}”).`);
    return null;
  }
  input.removeAttribute('aria-invalid');
  controlError.hidden = true;
  return Number(v);
}

function fitsPositional(input: HTMLInputElement, value: number, other: number | undefined): boolean {
  if (other === undefined || value * other <= MAX_POSITIONAL_VALUES) return true;
  showControlError(input, `context × dim = ${fmtInt(value * other)} is more than ${fmtInt(MAX_POSITIONAL_VALUES)} positional values; lower one of them.`);
  return false;
}

function onControlChange(e: Event): void {
  const target = e.target as HTMLInputElement | HTMLSelectElement;
  switch (target) {
    case encodingSelect:
      channel.post({ type: 'changeSettings', settings: { encoding: encodingSelect.value as EmbeddingSettings['encoding'] } });
      return;
    case positionalSelect:
      channel.post({ type: 'changeSettings', settings: { positional: positionalSelect.value as EmbeddingSettings['positional'] } });
      return;
    case dimInput: {
      const v = positiveInt(dimInput, 'Dim', SETTING_LIMITS.dim.max);
      if (v !== null && fitsPositional(dimInput, v, state?.settings.contextLength)) channel.post({ type: 'changeSettings', settings: { dim: v } });
      return;
    }
    case contextInput: {
      const v = positiveInt(contextInput, 'Context length', SETTING_LIMITS.contextLength.max);
      if (v !== null && fitsPositional(contextInput, v, state?.settings.dim)) channel.post({ type: 'changeSettings', settings: { contextLength: v } });
      return;
    }
    case strideInput: {
      const v = positiveInt(strideInput, 'Stride', SETTING_LIMITS.stride.max);
      if (v !== null) channel.post({ type: 'changeSettings', settings: { stride: v } });
      return;
    }
    case seedInput: {
      const v = seedInput.value.trim();
      const seed = canonicalSeed(v);
      if (seed === undefined) {
        showControlError(seedInput, `Seed must be a whole number from 0 to ${MAX_SEED} (got “${v}”).`);
        return;
      }
      seedInput.removeAttribute('aria-invalid');
      controlError.hidden = true;
      channel.post({ type: 'changeSeed', seed });
      return;
    }
  }
}
controls.addEventListener('change', onControlChange);

// ───────────── selection ─────────────
function selectRow(row: number | null, fromUser: boolean): void {
  if (!state) return;
  const n = state.result.tokens.length;
  if (row !== null && (row < 0 || row >= n)) row = null;
  const changed = row !== selectedRow;
  selectedRow = row;
  strip.select(row);
  neighborsList.select(row);
  tokView?.setSelectedRow(row);
  combView?.setSelectedRow(row);
  posView?.setSelectedRow(row === null ? null : state.result.positions[row]!);
  analysisTabs.setSelectedRow(row);
  if (changed) {
    renderValuesTable(valuesTarget, state.result, row);
    const t = row === null ? undefined : state.result.tokens[row];
    announcer.textContent = t ? `token ${state.result.firstToken + row!} “${visibleTokenText(t.text)}”, id ${t.id}, position ${state.result.positions[row!]}` : '';
    channel.persist(state, selectedRow);
    if (fromUser) channel.post({ type: 'selectRow', row });
  }
}

function reveal(row: number): void {
  if (!state) return;
  const t = state.result.tokens[row];
  if (!t) return;
  // Offsets into the inspected text (TokenInfo spans); the host adds state.textOffset for the document.
  channel.post({ type: 'revealToken', start: t.start, end: t.end });
}

// ───────────── messages ─────────────
function showState(s: PanelState, restoredRow?: number | null): void {
  state = s;
  selectedRow = restoredRow !== undefined ? restoredRow : s.selectedRow;
  if (selectedRow !== null && selectedRow >= s.result.tokens.length) selectedRow = null;
  errorBanner.hidden = true;
  emptyNote.hidden = true;
  content.hidden = false;
  renderHeader(s);
  renderControls(s.settings);
  sourceBar.show(s.result.source);
  if (s.result.source.kind === 'file') {
    // The file fixes the width (and, with a positional tensor, the context): show what is in use.
    dimInput.value = String(s.result.dim);
    contextInput.value = String(s.result.contextLength);
  }
  neighborsList.select(selectedRow);
  const r = s.result;
  pager.hidden = r.tokens.length >= r.totalTokens;
  pageInfo.textContent = pageText(r);
  prevButton.disabled = r.firstToken === 0;
  nextButton.disabled = r.firstToken + r.tokens.length >= r.totalTokens;
  strip.setTokens(r.tokens, r.firstToken);
  strip.select(selectedRow, false);
  renderMaps(r, false);
  renderValuesTable(valuesTarget, r, selectedRow);
  analysisTabs.setState(s, selectedRow);
  document.body.dataset.state = 'ready';
  channel.persist(s, selectedRow);
}

function onMessage(m: HostToWebview): void {
  if (analysisTabs.onMessage(m)) return;
  switch (m.type) {
    case 'state':
      showState(m.state);
      return;
    case 'busy':
      busyBar.hidden = !m.busy;
      busyText.textContent = m.message ?? 'Computing…';
      app.setAttribute('aria-busy', String(m.busy));
      return;
    case 'error':
      errorText.textContent = m.message;
      errorBanner.hidden = false;
      return;
    case 'selectRow':
      selectRow(m.row, false);
      return;
    case 'neighbors':
      neighborsList.show(m);
      return;
    case 'analysis':
    case 'analysisError':
    case 'actionDone':
      return; // answered by analysisTabs.onMessage above
    default:
      assertNever(m, 'host message');
  }
}

const channel = connectHost(onMessage, (err) => {
  errorText.textContent = `Ignored a malformed message from the extension: ${err.message}`;
  errorBanner.hidden = false;
});

cancelButton.addEventListener('click', () => channel.post({ type: 'cancel' }));
dismissButton.addEventListener('click', () => (errorBanner.hidden = true));
prevButton.addEventListener('click', () => {
  if (state) channel.post({ type: 'page', firstToken: Math.max(0, state.result.firstToken - state.result.tokens.length) });
});
nextButton.addEventListener('click', () => {
  if (state) channel.post({ type: 'page', firstToken: state.result.firstToken + state.result.tokens.length });
});

watchTheme((t) => {
  theme = t;
  if (state) renderMaps(state.result, true);
  analysisTabs.setTheme(t);
  document.body.dataset.themeKind = t.kind;
});

if (channel.restored?.state) showState(channel.restored.state, channel.restored.selectedRow);
channel.post({ type: 'ready' });
