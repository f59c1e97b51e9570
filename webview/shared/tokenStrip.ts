/**
 * The token strip: one chip per token (visible whitespace + ID), alternating colours, a listbox with the
 * selected chip as active descendant, so it is one tab stop and arrow keys move the selection.
 */
import type { TokenInfo } from '../../src/shared/embeddingTypes';
import { h } from './dom';
import { visibleTokenText } from '../../src/shared/visibleToken';
import { visibleChipCount, type StripBox } from './chipEstimate';
import { whenIdle } from './idleWork';

/** About what the strip shows before it scrolls (5 rows of chips in a wide panel); the rest follows the first frame. */
const FIRST_SLICE = 160;
/**
 * The fewest chips a later slice builds: 16, and an eighth of those built so far. Each slice's frame lays out
 * and repaints the whole strip again, which costs more as the strip fills; slices that grow with it keep that
 * cost to a few dozen frames in all (a slice's own building still stops at its time budget).
 */
const MIN_LATER_SLICE = 16;
const LATER_SLICE_GROWTH = 1 / 8;

/** A whole special token such as <|endoftext|> in one chip (as plain text it is split into `<|`, `endoftext`, `|>`). */
const SPECIAL_TOKEN = /^<\|[a-z_]+\|>$/;

export interface TokenStripOptions {
  /** Absolute index of the first chip (paging), for labels. */
  firstToken: number;
  onActivate(row: number): void;
  onMove(row: number): void;
  idPrefix: string;
  /** The strip's box (read when tokens arrive): the first slice is the chips it shows; a fixed slice without it. */
  box?: () => StripBox;
}

/** Whether two token lists would draw the same chips. */
function sameTokens(a: readonly TokenInfo[], b: readonly TokenInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.start !== y.start || x.end !== y.end || x.text !== y.text) return false;
  }
  return true;
}

let template: HTMLElement | undefined;

/**
 * One chip's fixed parts (role, unselected, text and id spans), cloned for each token: a clone is one native
 * call where building each chip element by element was three elements and a loop of attributes per chip.
 */
function chipTemplate(): HTMLElement {
  template ??= h('span', { role: 'option', 'aria-selected': 'false' }, h('span', { class: 'chip-text' }), h('span', { class: 'chip-id' }));
  return template;
}

export class TokenStrip {
  readonly element: HTMLElement;
  private chips: HTMLElement[] = [];
  private tokens: TokenInfo[] = [];
  private selected: number | null = null;
  /** Bumped by setTokens so slices scheduled for older tokens stop. */
  private generation = 0;
  /** What a later chip costs, built, styled and laid out (ms, measured by each slice): sizes the next slice. */
  private chipMs = 0.02;
  /** How many times chips were built for the current tokens (data-slices: tests see the work was spread out). */
  private slices = 0;

  constructor(private opts: TokenStripOptions) {
    this.element = h('div', { class: 'strip', role: 'listbox', tabindex: 0, 'aria-label': 'Tokens', 'aria-orientation': 'horizontal' });
    this.element.addEventListener('click', (e) => {
      const chip = (e.target as Element).closest<HTMLElement>('.chip');
      if (chip?.dataset.row !== undefined) opts.onActivate(Number(chip.dataset.row));
    });
    this.element.addEventListener('keydown', (e) => {
      if (this.tokens.length === 0) return;
      const cur = this.selected ?? -1;
      let next: number | null = null;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(this.tokens.length - 1, cur + 1);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, cur - 1);
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = this.tokens.length - 1;
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
    if (tokens.length > 0 && firstToken === this.opts.firstToken && sameTokens(tokens, this.tokens)) {
      // Same page in a new state (another seed, dim or weights): the chips stay, only the selection may move.
      this.tokens = tokens;
      const sel = this.selected;
      this.select(sel !== null && sel < tokens.length ? sel : null, false);
      return;
    }
    this.opts.firstToken = firstToken;
    this.tokens = tokens;
    this.chips = [];
    this.generation++;
    this.slices = 0;
    this.element.replaceChildren();
    this.element.dataset.complete = 'false';
    if (tokens.length === 0) this.element.append(h('span', { class: 'muted strip-empty' }, 'No tokens: the inspected text is empty.'));
    // The strip shows ~100 chips before it scrolls: build those now and the rest after the heatmaps have
    // painted, in short slices at idle moments, so 4,096 chips neither delay the first frame nor hold up input.
    const box = this.opts.box?.();
    this.renderUpTo((box ? visibleChipCount(tokens, box) : Math.min(tokens.length, FIRST_SLICE)) - 1);
    if (this.complete) this.element.dataset.complete = 'true';
    else {
      const generation = this.generation;
      requestAnimationFrame(() => this.buildLater(generation)); // after the frame that shows the first chips
    }
    const sel = this.selected;
    this.selected = null;
    this.select(sel !== null && sel < tokens.length ? sel : null, false);
  }

  /** True once every chip of the current tokens exists. */
  get complete(): boolean {
    return this.chips.length === this.tokens.length;
  }

  /** One slice of the chips not built yet at the next idle moment, in the time it may take, until all exist. */
  private buildLater(generation: number): void {
    whenIdle((budgetMs) => {
      if (generation !== this.generation) return; // a newer state replaced these tokens
      const t0 = performance.now();
      const built = this.chips.length;
      const count = Math.max(MIN_LATER_SLICE, Math.ceil(built * LATER_SLICE_GROWTH), Math.floor(budgetMs / this.chipMs));
      this.renderUpTo(Math.min(this.tokens.length, built + count) - 1, t0 + budgetMs);
      // The new chips' style and layout now, inside the slice, rather than in the next frame: the slice's
      // whole cost per chip sizes the next one, so its frame is left with painting them.
      void this.element.offsetHeight;
      if (this.chips.length > built) this.chipMs = (performance.now() - t0) / (this.chips.length - built);
      if (!this.complete) this.buildLater(generation);
    });
  }

  /** Builds the chips up to `last`, or as many as fit before `until` (a performance.now() time; at least one). */
  private renderUpTo(last: number, until = Infinity): void {
    if (last < this.chips.length) return;
    const frag = document.createDocumentFragment();
    const first = this.opts.firstToken;
    for (let i = this.chips.length; i <= last; i++) {
      const t = this.tokens[i]!;
      const special = SPECIAL_TOKEN.test(t.text);
      const chip = chipTemplate().cloneNode(true) as HTMLElement;
      chip.className = `chip ${i % 2 ? 'odd' : 'even'}${special ? ' special' : ''}`;
      chip.id = `${this.opts.idPrefix}-${i}`;
      chip.dataset.row = String(i);
      chip.title = `token ${first + i} · id ${t.id}${special ? ' · special token' : ''} · chars ${t.start}–${t.end}`;
      chip.setAttribute('aria-label', `token ${first + i}: ${JSON.stringify(t.text)}, id ${t.id}`);
      chip.firstChild!.textContent = visibleTokenText(t.text);
      chip.lastChild!.textContent = String(t.id);
      frag.append(chip);
      this.chips.push(chip);
      if (performance.now() >= until) break;
    }
    this.element.append(frag);
    this.element.dataset.slices = String(++this.slices);
    if (this.complete) this.element.dataset.complete = 'true';
  }

  select(row: number | null, scroll = true): void {
    if (this.selected !== null) {
      const old = this.chips[this.selected];
      old?.classList.remove('selected');
      old?.setAttribute('aria-selected', 'false');
    }
    this.selected = row;
    if (row !== null && row < this.tokens.length) this.renderUpTo(row);
    const chip = row === null ? undefined : this.chips[row];
    if (chip) {
      chip.classList.add('selected');
      chip.setAttribute('aria-selected', 'true');
      this.element.setAttribute('aria-activedescendant', chip.id);
      if (scroll) chip.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    } else this.element.removeAttribute('aria-activedescendant');
  }
}
