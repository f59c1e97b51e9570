/**
 * WAI-ARIA tabs: a tablist of buttons with a roving tabindex (Left/Right/Home/End move and activate) and one
 * tabpanel per tab; only the active panel is shown.
 */
import { h } from '../../shared/dom';

export interface TabSpec<Id extends string> {
  id: Id;
  label: string;
  panel: HTMLElement;
}

export class Tabs<Id extends string> {
  readonly element: HTMLElement;
  private readonly buttons = new Map<Id, HTMLButtonElement>();
  private current: Id;

  constructor(
    private readonly specs: readonly TabSpec<Id>[],
    private readonly onChange: (id: Id) => void,
  ) {
    const list = h('div', { role: 'tablist', class: 'tablist', 'aria-label': 'Views' });
    for (const s of specs) {
      const b = h('button', { type: 'button', role: 'tab', class: 'tab', id: `tab-${s.id}`, 'aria-controls': `tabpanel-${s.id}` }, s.label);
      b.addEventListener('click', () => this.select(s.id, true));
      b.addEventListener('keydown', (e) => this.onKey(e, s.id));
      list.append(b);
      this.buttons.set(s.id, b);
      s.panel.id = `tabpanel-${s.id}`;
      s.panel.setAttribute('role', 'tabpanel');
      s.panel.setAttribute('aria-labelledby', `tab-${s.id}`);
      s.panel.classList.add('tabpanel');
    }
    this.element = h('section', { class: 'tabs' }, list, ...specs.map((s) => s.panel));
    this.current = specs[0]!.id;
    this.select(this.current, false);
  }

  get active(): Id {
    return this.current;
  }

  select(id: Id, notify: boolean, focus = false): void {
    this.current = id;
    for (const s of this.specs) {
      const on = s.id === id;
      const b = this.buttons.get(s.id)!;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      s.panel.hidden = !on;
    }
    if (focus) this.buttons.get(id)!.focus();
    if (notify) this.onChange(id);
  }

  private onKey(e: KeyboardEvent, id: Id): void {
    const ids = this.specs.map((s) => s.id);
    const i = ids.indexOf(id);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % ids.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + ids.length) % ids.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = ids.length - 1;
    if (next === null) return;
    e.preventDefault();
    this.select(ids[next]!, true, true);
  }
}
