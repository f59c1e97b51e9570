/**
 * Positions tab: the same q and k token vectors placed at positions m and m + offset by each scheme, the score
 * q·k against the offset (one line per start m), and what each scheme does with a text longer than the context.
 */
import { h } from '../../shared/dom';
import { fmtInt } from '../../shared/format';
import { ChartSlot, axis, baseOptions, lineColors } from './charts';
import { LONGER_THAN_CONTEXT, describeWindowing } from './positionsText';
import { SCHEME_LABELS, offsetVerdict } from './summaries';
import { StatusLine, sizeBox, type AnalysisResultOf, type AnalysisTab, type TabContext } from './tab';

export class PositionsTab implements AnalysisTab<'positionalLab'> {
  readonly kind = 'positionalLab';
  readonly status = new StatusLine();
  readonly panel: HTMLElement;
  private readonly charts = h('div', { class: 'lab-charts', id: 'lab-charts' });
  private readonly text = h('div', { class: 'lab-text', id: 'lab-text' });
  private slots: ChartSlot[] = [];

  constructor(private readonly ctx: TabContext) {
    this.panel = h(
      'div',
      {},
      h(
        'p',
        { class: 'muted' },
        'The same two token vectors q and k, placed at positions m and m + offset by each scheme; the plot is the attention-style score q·k against the offset, one line per start m. With RoPE all lines coincide: the score depends only on the relative offset. With additive (learned or sinusoidal) positions they do not.',
      ),
      this.status.element,
      this.charts,
      this.text,
    );
  }

  draw(r: AnalysisResultOf<'positionalLab'>): void {
    const theme = this.ctx.store.theme;
    for (const slot of this.slots) slot.clear();
    this.slots = [];
    const figures: HTMLElement[] = [];
    this.status.show(`q = token id ${r.qId}, k = token id ${r.kId} (the first tokens of this page), context length ${fmtInt(r.contextLength)}.`);
    for (const s of r.series) {
      const box = h('div', { class: 'chart-box lab-box', id: `lab-${s.scheme}-box` });
      sizeBox(box, 220);
      const verdict = offsetVerdict(s);
      figures.push(
        h(
          'figure',
          { class: 'map lab', id: `lab-${s.scheme}`, 'data-invariant': String(verdict.invariant) },
          h('figcaption', {}, `${SCHEME_LABELS[s.scheme]} — ${verdict.text}`),
          box,
        ),
      );
      const slot = new ChartSlot(box, `Score versus offset for ${SCHEME_LABELS[s.scheme]}`);
      slot.canvas.id = `lab-${s.scheme}-canvas`;
      this.slots.push(slot);
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
    this.charts.replaceChildren(...figures);
    const current = this.ctx.store.state?.result.positional;
    const dl = h('dl', { class: 'longer' });
    for (const k of ['learned', 'sinusoidal', 'rope', 'none'] as const) {
      dl.append(h('dt', { class: k === current ? 'current' : '' }, k === current ? `${k} (this panel)` : k), h('dd', {}, LONGER_THAN_CONTEXT[k]));
    }
    this.text.replaceChildren(
      h('h3', {}, 'When the text is longer than the context'),
      h('p', { id: 'lab-windowing' }, describeWindowing(r.windowing, r.contextLength)),
      dl,
    );
  }
}
