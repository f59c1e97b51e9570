/**
 * The panel's settings form: encoding, dim, seed, context, stride, positions. A valid change is posted to the
 * host (which recomputes and answers with a new state); an invalid one is explained next to the form.
 * These changes are the panel's own: hovers, the side view and the status bar keep the user's settings. The
 * form says so after a change, and "Apply to Settings" asks the host to write them to the settings.
 */
import { ENCODINGS, POSITIONAL_SCHEMES, type EmbeddingSettings, type EncodingName } from '../../src/shared/embeddingTypes';
import type { PanelState, WebviewToHost } from '../../src/shared/webviewProtocol';
import { RpcError } from '../../src/shared/rpc';
import { h } from '../shared/dom';
import type { CallHost } from '../shared/hostChannel';
import { SETTING_LIMITS } from '../../src/shared/limits';
import { checkPositionalSize, checkPositiveInt, checkSeed, type Checked } from './controlValues';

function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'field-hint' }, hint) : null);
}
function select(name: string, options: readonly string[]): HTMLSelectElement {
  return h('select', { name }, ...options.map((o) => h('option', { value: o }, o)));
}
function numberInput(name: string): HTMLInputElement {
  return h('input', { name, type: 'number', min: 1, step: 1, inputmode: 'numeric' });
}

export class SettingsControls {
  readonly element: HTMLFormElement;
  private readonly encoding = select('encoding', ENCODINGS);
  private readonly positional = select('positional', POSITIONAL_SCHEMES);
  private readonly dim = numberInput('dim');
  private readonly seed = h('input', { name: 'seed', type: 'text', inputmode: 'numeric', spellcheck: 'false', autocomplete: 'off' });
  private readonly context = numberInput('contextLength');
  private readonly stride = numberInput('stride');
  private readonly error = h('p', { class: 'control-error', role: 'alert', hidden: true });
  private readonly applyButton = h(
    'button',
    { type: 'button', class: 'secondary', id: 'apply-settings', title: 'Write the settings this panel uses to your user settings' },
    'Apply to Settings',
  );
  private readonly panelOnly = h(
    'span',
    { class: 'panel-only-note', id: 'panel-only-note', hidden: true },
    'Changed for this panel only: hovers, the side view and the status bar keep your settings.',
  );
  private readonly applyStatus = h('span', { class: 'apply-status', role: 'status', id: 'apply-status' });
  /** What the form shows (see show). */
  private shown = '';

  constructor(
    private readonly post: (m: WebviewToHost) => void,
    private readonly call: CallHost,
    /** The settings shown (for the context × dim check). */
    private readonly current: () => EmbeddingSettings | undefined,
  ) {
    this.element = h(
      'form',
      { class: 'controls', 'aria-label': 'Embedding settings' },
      field('Encoding', this.encoding),
      field('Dim', this.dim),
      field('Seed', this.seed),
      field('Context', this.context),
      field('Stride', this.stride),
      field('Positions', this.positional),
      h('div', { class: 'apply-row' }, this.applyButton, this.panelOnly, this.applyStatus),
      this.error,
    );
    this.element.addEventListener('submit', (e) => e.preventDefault());
    this.element.addEventListener('change', (e) => this.onChange(e.target));
    this.applyButton.addEventListener('click', () => void this.apply());
  }

  /** Asks the host to write the panel's own changes to the user's settings, and shows its answer. */
  private async apply(): Promise<void> {
    this.applyStatus.textContent = 'Saving…';
    this.applyStatus.classList.remove('error-text');
    try {
      const outcome = await this.call('applySettings', {}, { channel: 'applySettings' });
      this.applyStatus.textContent = outcome.message;
      // Applied, or nothing differed: either way the panel now shows the user's settings.
      this.panelOnly.hidden = true;
    } catch (e) {
      const cancelled = e instanceof RpcError && e.kind === 'cancelled';
      this.applyStatus.textContent = cancelled ? 'Cancelled.' : e instanceof Error ? e.message : String(e);
      this.applyStatus.classList.toggle('error-text', !cancelled);
    }
  }

  /** A change of this panel's own settings was sent: say that it stays in this panel. */
  private changedHere(): void {
    this.panelOnly.hidden = false;
    this.applyStatus.textContent = '';
  }

  show(s: PanelState): void {
    this.panelOnly.hidden = !s.panelOnly;
    // The settings the form already shows (the host replays its state when the panel loads and asks, which can
    // follow the same state it had just posted): the form stays as it is, so a value being typed — and its error, if
    // it has one — is not replaced under the user's hands by the value it was typed over.
    const shown = JSON.stringify([s.settings, s.result.source.kind, s.result.dim, s.result.contextLength]);
    if (shown === this.shown) return;
    this.shown = shown;
    const settings = s.settings;
    // A tokenizer.json or a model's tokenizer is chosen in the host (Select Tokenizer…, Open Model…), not here.
    this.encoding.value = settings.tokenizer.kind === 'encoding' ? settings.tokenizer.encoding : '';
    // An open model brings its own tokenizer and positions: its table rows only mean anything for its own ids.
    const model = settings.weights.kind === 'model';
    this.encoding.disabled = model;
    this.encoding.title = model ? "the model's own tokenizer (Select Tokenizer… or Use Random Init to change it)" : '';
    this.positional.disabled = model;
    this.positional.title = model ? "the model's own positions" : '';
    this.positional.value = settings.positional;
    this.dim.value = String(settings.dim);
    this.context.value = String(settings.contextLength);
    this.stride.value = String(settings.stride);
    if (settings.weights.kind === 'random') {
      this.seed.value = settings.weights.seed;
      this.seed.disabled = false;
      this.seed.title = 'torch.manual_seed(seed)';
    } else {
      this.seed.value = '';
      this.seed.disabled = true;
      this.seed.title = `weights from ${settings.weights.path}`;
      this.seed.placeholder = 'file weights';
    }
    // A file or a model fixes dim and (with learned positions) the context length.
    this.dim.disabled = settings.weights.kind !== 'random';
    if (s.result.source.kind !== 'random') {
      // The file fixes the width (and, with a positional tensor, the context): show what is in use.
      this.dim.value = String(s.result.dim);
      this.context.value = String(s.result.contextLength);
    }
    for (const el of [this.dim, this.context, this.stride, this.seed]) el.removeAttribute('aria-invalid');
    this.error.hidden = true;
  }

  /** The value, or null after explaining what is wrong next to `input`. */
  private accept<T>(input: HTMLInputElement, checked: Checked<T>): T | null {
    if (!checked.ok) {
      input.setAttribute('aria-invalid', 'true');
      this.error.textContent = checked.error;
      this.error.hidden = false;
      return null;
    }
    input.removeAttribute('aria-invalid');
    this.error.hidden = true;
    return checked.value;
  }

  private sized(input: HTMLInputElement, label: string, max: number, other: number | undefined): number | null {
    const v = this.accept(input, checkPositiveInt(input.value, label, max));
    return v === null ? null : this.accept(input, checkPositionalSize(v, other));
  }

  private onChange(target: EventTarget | null): void {
    const settings = (changed: Partial<Omit<EmbeddingSettings, 'weights'>>) => {
      this.post({ type: 'changeSettings', settings: changed });
      this.changedHere();
    };
    switch (target) {
      case this.encoding:
        settings({ tokenizer: { kind: 'encoding', encoding: this.encoding.value as EncodingName } });
        return;
      case this.positional:
        settings({ positional: this.positional.value as EmbeddingSettings['positional'] });
        return;
      case this.dim: {
        const v = this.sized(this.dim, 'Dim', SETTING_LIMITS.dim.max, this.current()?.contextLength);
        if (v !== null) settings({ dim: v });
        return;
      }
      case this.context: {
        const v = this.sized(this.context, 'Context length', SETTING_LIMITS.contextLength.max, this.current()?.dim);
        if (v !== null) settings({ contextLength: v });
        return;
      }
      case this.stride: {
        const v = this.accept(this.stride, checkPositiveInt(this.stride.value, 'Stride', SETTING_LIMITS.stride.max));
        if (v !== null) settings({ stride: v });
        return;
      }
      case this.seed: {
        const v = this.accept(this.seed, checkSeed(this.seed.value));
        if (v !== null) {
          this.post({ type: 'changeSeed', seed: v });
          this.changedHere();
        }
        return;
      }
    }
  }
}
