/**
 * The token strip: one chip per token (visible whitespace + ID), alternating colours, a listbox with the
 * selected chip as active descendant, so it is one tab stop and arrow keys move the selection.
 */
import type { TokenInfo } from '../../src/shared/protocol';
import { h } from './dom';
import { visibleTokenText } from './format';

export interface TokenStripOptions {
  /** Absolute index of the first chip (paging), for labels. */
  firstToken: number;
  onActivate(row: number): void;
  onMove(row: number): void;
  idPrefix: string;
}

export class TokenStrip {
  readonly element: HTMLElement;
  private chips: HTMLElement[] = [];
  private selected: number | null = null;

  constructor(private opts: TokenStripOptions) {
    this.element = h('div', { class: 'strip', role: 'listbox', tabindex: 0, 'aria-label': 'Tokens', 'aria-orientation': 'horizontal' });
    this.element.addEventListener('click', (e) => {
      const chip = (e.target as Element).closest<HTMLElement>('.chip');
      if (chip?.dataset.row !== undefined) opts.onActivate(Number(chip.dataset.row));
    });
    this.element.addEventListener('keydown', (e) => {
      if (this.chips.length === 0) return;
      const cur = this.selected ?? -1;
      let next: number | null = null;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(this.chips.length - 1, cur + 1);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, cur - 1);
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = this.chips.length - 1;
      else if ((e.key === 'Enter' || e.key === ' ') && this.selected !== null) {
        e.preventDefault();
        opts.onActivate(this.selected);
        return;
      }
      if (next !== null) {
        e.preventDefault();
        opts.onMove(next);
      }
    });
  }

  setTokens(tokens: TokenInfo[], firstToken: number): void {
    this.opts.firstToken = firstToken;
    const frag = document.createDocumentFragment();
    this.chips = tokens.map((t, i) => {
      const text = visibleTokenText(t.text);
      const chip = h(
        'span',
        {
          class: `chip ${i % 2 ? 'odd' : 'even'}`,
          role: 'option',
          id: `${this.opts.idPrefix}-${i}`,
          'data-row': i,
          'aria-selected': 'false',
          title: `token ${firstToken + i} · id ${t.id} · chars ${t.start}–${t.end}`,
          'aria-label': `token ${firstToken + i}: ${JSON.stringify(t.text)}, id ${t.id}`,
        },
        h('span', { class: 'chip-text' }, text),
        h('span', { class: 'chip-id' }, String(t.id)),
      );
      frag.append(chip);
      return chip;
    });
    this.element.replaceChildren(frag);
    const sel = this.selected;
    this.selected = null;
    this.select(sel !== null && sel < tokens.length ? sel : null);
  }

  select(row: number | null, scroll = true): void {
    if (this.selected !== null) {
      const old = this.chips[this.selected];
      old?.classList.remove('selected');
      old?.setAttribute('aria-selected', 'false');
    }
    this.selected = row;
    const chip = row === null ? undefined : this.chips[row];
    if (chip) {
      chip.classList.add('selected');
      chip.setAttribute('aria-selected', 'true');
      this.element.setAttribute('aria-activedescendant', chip.id);
      if (scroll) chip.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    } else this.element.removeAttribute('aria-activedescendant');
  }
}
