/**
 * The inspector panel: wires the store (./store.ts) to the views — settings form, weights source bar, busy and
 * error banners, summary header, pager, token strip, and the tabs (Embeddings heatmaps + analyses) — and to
 * the host channel. All data arrives by message; nothing is inlined in the HTML.
 */
import type { HostToWebview } from '../../src/shared/webviewProtocol';
import { assertNever } from '../../src/shared/assertNever';
import { h } from '../shared/dom';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { connectHost } from '../shared/hostChannel';
import { readTheme, watchTheme } from '../shared/theme';
import { TokenStrip } from '../shared/tokenStrip';
import { AnalysisTabs } from './analysis/analysisTabs';
import { BusyBar, ErrorBanner } from './banners';
import { SettingsControls } from './controls';
import { EmbeddingMaps } from './embeddingMaps';
import { SummaryHeader } from './header';
import { NeighborsList } from './neighbors';
import { Pager } from './pager';
import { SourceBar } from './sourceBar';
import { PanelStore } from './store';

const store = new PanelStore(readTheme());
const app = document.getElementById('app')!;
const tooltip = h('div', { class: 'tooltip', role: 'tooltip', id: 'heatmap-tooltip', hidden: true });
/** Screen readers hear which token got selected (keyboard users do not see the hover tooltip). */
const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announcer' });
const errors = new ErrorBanner();
const channel = connectHost(onMessage, (err) => errors.show(`Ignored a malformed message from the extension: ${err.message}`));
const post = channel.post;

const selectByUser = (row: number) => store.select(row, true);
function reveal(row: number): void {
  const t = store.state?.result.tokens[row];
  // Offsets into the inspected text (TokenInfo spans); the host adds state.textOffset for the document.
  if (t) post({ type: 'revealToken', start: t.start, end: t.end });
}

const controls = new SettingsControls(post, channel.call, () => store.state?.settings);
const sourceBar = new SourceBar(post);
const busy = new BusyBar(post, app);
const header = new SummaryHeader();
const pager = new Pager(post);
const strip = new TokenStrip({
  firstToken: 0,
  idPrefix: 'chip',
  onActivate: (row) => {
    selectByUser(row);
    reveal(row);
  },
  onMove: selectByUser,
  // The strip's max-height in media/panel.css.
  box: () => ({ width: window.innerWidth, height: 120, fontPx: store.theme.fontSize }),
});

// Store listeners run in the order they were added: the content is shown before the charts inside it draw.
store.onState.on((s) => {
  errors.hide();
  emptyNote.hidden = true;
  content.hidden = false;
  header.show(s);
  controls.show(s);
  sourceBar.show(s.result.source);
  pager.show(s.result);
  strip.setTokens(s.result.tokens, s.result.firstToken);
  strip.select(store.selectedRow, false);
});
const neighbors = new NeighborsList(store, channel.call);
const maps = new EmbeddingMaps(store, { tooltip, selectRow: selectByUser, reveal });
// Tabs: Embeddings (the heatmaps) | Similarity | Projection | Token | Positions | Export (./analysis/).
const tabs = new AnalysisTabs({ store, tooltip, selectRow: selectByUser, call: channel.call, embeddings: [maps.maps, maps.valuesSection] });
maps.maps.after(neighbors.element); // below the maps (inside the Embeddings tab): rows arriving later must not shift them
store.onState.on((s) => {
  document.body.dataset.state = 'ready'; // after every view drew the state: what tests and screenshots wait for
  channel.persist(s, store.selectedRow);
});

const emptyNote = h('p', { class: 'empty' }, 'Select text in an editor and run “Token Embeddings: Inspect Selection”.');
const stripSection = h('section', { class: 'strip-section', 'aria-label': 'Tokens' }, h('h2', {}, 'Tokens'), strip.element);
const content = h('div', { class: 'content', hidden: true }, header.element, pager.element, stripSection, tabs.element);
// Controls, weights source, busy indicator and errors stay in view while the maps scroll.
const topbar = h('div', { class: 'topbar' }, controls.element, sourceBar.element, busy.element, errors.element);
app.replaceChildren(topbar, emptyNote, content);
// Focused elements scrolled into view land below the sticky bar (scroll-padding-top, panel.css). Set as that
// property of the root alone, not as an inherited custom property, whose change restyles every element.
new ResizeObserver(() => {
  document.documentElement.style.scrollPaddingTop = `${topbar.offsetHeight + 8}px`;
}).observe(topbar);
document.body.append(tooltip, announcer);
app.removeAttribute('aria-busy');

store.onSelect.on((row, changed, fromUser) => {
  strip.select(row);
  const s = store.state;
  if (!changed || !s) return;
  const t = row === null ? undefined : s.result.tokens[row];
  announcer.textContent = t ? `token ${s.result.firstToken + row!} “${visibleTokenText(t.text)}”, id ${t.id}, position ${s.result.positions[row!]}` : '';
  channel.persist(s, row);
  if (fromUser) post({ type: 'selectRow', row });
});

store.onTheme.on((t) => {
  document.body.dataset.themeKind = t.kind;
});

function onMessage(m: Exclude<HostToWebview, { type: 'response' }>): void {
  switch (m.type) {
    case 'state':
      store.setState(m.state);
      return;
    case 'busy':
      busy.show(m.busy, m.message);
      return;
    case 'error':
      errors.show(m.message);
      return;
    case 'selectRow':
      store.select(m.row, false);
      return;
    default:
      assertNever(m);
  }
}

watchTheme((t) => store.setTheme(t));

/**
 * The device-pixel ratio and the colour table, now and whenever they change (zoom, another screen, a theme): the
 * host asks the engine for the maps' folded rows at this ratio, painted with these colours (src/shared/paintPreview.ts).
 */
function reportViewMetrics(): void {
  post({ type: 'viewMetrics', pixelRatio: window.devicePixelRatio || 1, lut: Array.from(store.theme.lut) });
}
function watchPixelRatio(): void {
  const query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
  query.addEventListener(
    'change',
    () => {
      reportViewMetrics();
      watchPixelRatio();
    },
    { once: true },
  );
}
store.onTheme.on(reportViewMetrics);

// `ready` first (the host answers with its state), then the restored state is drawn at once meanwhile.
post({ type: 'ready' });
reportViewMetrics();
watchPixelRatio();
if (channel.restored?.state) store.setState(channel.restored.state, channel.restored.selectedRow);
