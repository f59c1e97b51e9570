/** What every analysis tab gets from the panel, and what it offers the tab bar (./analysisTabs.ts). */
import type { AnalysisKind, AnalysisResult } from '../../../src/shared/engineProtocol';
import { h } from '../../shared/dom';
import { visibleTokenText } from '../../../src/shared/visibleToken';
import type { PanelStore } from '../store';

export type AnalysisResultOf<K extends AnalysisKind> = Extract<AnalysisResult, { kind: K }>;

export interface TabContext {
  readonly store: PanelStore;
  /** The shared tooltip element the heatmaps position. */
  readonly tooltip: HTMLElement;
  /** Select a token row everywhere (strip, heatmaps, tabs) as if the user picked it. */
  selectRow(row: number): void;
}

/** A tab that draws one analysis the worker computed for the current page. */
export interface AnalysisTab<K extends AnalysisKind = AnalysisKind> {
  readonly kind: K;
  readonly panel: HTMLElement;
  /** Where "Computing…", the result's summary or the failure is shown. */
  readonly status: StatusLine;
  draw(result: AnalysisResultOf<K>): void;
  /** Opened while its result is on the way (the Token tab draws its vector chart from the state meanwhile). */
  pending?(): void;
  /** The selected row changed while this tab's charts exist. */
  select?(row: number | null, visible: boolean): void;
  /** The theme changed: drop charts that baked the old colours in. */
  retheme?(): void;
}

export class StatusLine {
  readonly element = h('p', { class: 'analysis-status', role: 'status' });
  show(text: string, error = false): void {
    this.element.textContent = text;
    this.element.classList.toggle('error-text', error);
  }
}

/** Visible text of a page token (whitespace shown), for labels and tooltips. */
export function tokenText(ctx: TabContext, row: number): string {
  const t = ctx.store.state?.result.tokens[row];
  return t ? visibleTokenText(t.text) : '';
}

/** Arrow keys on a chart move the selection through the page's tokens. */
export function rowKeys(ctx: TabContext, e: KeyboardEvent): void {
  const n = ctx.store.state?.result.tokens.length ?? 0;
  if (n === 0) return;
  const step: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  if (!(e.key in step)) return;
  e.preventDefault();
  ctx.selectRow(Math.max(0, Math.min(n - 1, (ctx.store.selectedRow ?? -1) + step[e.key]!)));
}

export function sizeBox(box: HTMLElement, px: number): void {
  box.style.height = `${px}px`; // CSSOM writes are allowed by the CSP (inline style attributes are not)
}

export function figure(caption: string | HTMLElement, box: HTMLElement): HTMLElement {
  return h('figure', { class: 'map' }, typeof caption === 'string' ? h('figcaption', {}, caption) : caption, box);
}
