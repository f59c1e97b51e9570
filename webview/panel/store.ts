/**
 * The panel's one piece of shared state: the state the host sent, the selected token row and the theme.
 * Views subscribe to the changes they draw; nothing else keeps a copy, so every part of the panel agrees on
 * what is shown and selected.
 */
import type { PanelState } from '../../src/shared/webviewProtocol';
import type { ThemeColors } from '../shared/themeColors';

type Listener<T extends unknown[]> = (...args: T) => void;

class Emitter<T extends unknown[]> {
  private readonly listeners: Listener<T>[] = [];
  on(fn: Listener<T>): void {
    this.listeners.push(fn);
  }
  fire(...args: T): void {
    for (const fn of this.listeners) fn(...args);
  }
}

export class PanelStore {
  private current: PanelState | null = null;
  private row: number | null = null;
  private colors: ThemeColors;
  private stateLifetime = new AbortController();
  /** A new state (from the host, or restored from vscode.setState). */
  readonly onState = new Emitter<[PanelState]>();
  /**
   * A row was selected: `changed` is false when it was already selected (views still re-sync, e.g. a chart
   * that drew its own hover); `fromUser` when the panel itself picked it (then the host is told).
   */
  readonly onSelect = new Emitter<[row: number | null, changed: boolean, fromUser: boolean]>();
  readonly onTheme = new Emitter<[ThemeColors]>();

  constructor(theme: ThemeColors) {
    this.colors = theme;
  }

  get state(): PanelState | null {
    return this.current;
  }
  get selectedRow(): number | null {
    return this.row;
  }
  get theme(): ThemeColors {
    return this.colors;
  }

  /**
   * Aborted when the state is replaced: requests made for a state pass it as their signal, so they are
   * cancelled in the host (and their late replies dropped) once the panel shows another state.
   */
  get stateSignal(): AbortSignal {
    return this.stateLifetime.signal;
  }

  /** Shows `state`, selecting `row` (the state's own selection unless a restored one is given). */
  setState(state: PanelState, row: number | null = state.selectedRow): void {
    this.stateLifetime.abort();
    this.stateLifetime = new AbortController();
    this.current = state;
    this.row = this.clamp(row);
    this.onState.fire(state);
  }

  /** Selects a row (null clears; a row outside the page clears too). Returns whether it changed. */
  select(row: number | null, fromUser: boolean): boolean {
    if (!this.current) return false;
    const next = this.clamp(row);
    const changed = next !== this.row;
    this.row = next;
    this.onSelect.fire(next, changed, fromUser);
    return changed;
  }

  setTheme(theme: ThemeColors): void {
    this.colors = theme;
    this.onTheme.fire(theme);
  }

  private clamp(row: number | null): number | null {
    const n = this.current?.result.tokens.length ?? 0;
    return row !== null && row >= 0 && row < n ? row : null;
  }
}
