/**
 * Which settings the views use while a source named in the settings is loading. A tokenizer, weights file or
 * model path can change behind the extension's back (settings.json edited by hand, Settings Sync, a window that
 * starts with a 33 MB tokenizer.json configured): the views keep the last source that loaded — at start-up the
 * built-in encoding and the random init — while the new one loads (the loader shows the progress and reports a
 * refusal), and switch only once it has loaded. A refused or cancelled source is not tried again until the
 * source settings change; every other setting (dim, seed, hover…) applies at once.
 * Pure (no `vscode` import): Configuration (config.ts) feeds it, the loader is sourceSwitch.ts's.
 */
import { sourceFieldsOf, sourceKey, withoutFileSources, type HostSettings } from './settings';

/**
 * Loads `next`'s sources (the views use `previous`'s meanwhile); true once they are usable. Resolves false when
 * they were refused or cancelled by the user, or when `signal` aborts (a newer change superseded the load).
 */
export type SourceLoader = (next: HostSettings, previous: HostSettings, signal: AbortSignal) => Promise<boolean>;

export class SourceGate {
  private current: HostSettings;
  private configured: HostSettings;
  private loading: { key: string; controller: AbortController; done: Promise<void> } | undefined;
  /** Source key of settings that were refused or cancelled: not loaded again until the source settings change. */
  private refused: string | undefined;

  constructor(
    configured: HostSettings,
    private readonly load: SourceLoader,
    /** Called with the settings in use each time they change. */
    private readonly announce: (settings: HostSettings) => void,
  ) {
    this.configured = configured;
    this.current = withoutFileSources(configured);
    this.decide();
  }

  /** The settings the views use. */
  get settings(): HostSettings {
    return this.current;
  }

  /**
   * The settings as now read. `loaded`: settings whose sources were just loaded by the caller (a checked switch,
   * sourceSwitch.ts): when these are they, they are used at once.
   */
  update(configured: HostSettings, loaded?: HostSettings): void {
    this.configured = configured;
    if (loaded && sourceKey(loaded) === sourceKey(configured)) {
      this.stopLoading();
      this.refused = undefined;
      this.use(configured);
    } else this.decide();
  }

  /** Resolves once no source named in the settings is loading (it loaded, was refused or cancelled). */
  async settled(): Promise<void> {
    while (this.loading) await this.loading.done;
  }

  dispose(): void {
    this.stopLoading();
  }

  private decide(): void {
    const key = sourceKey(this.configured);
    if (key === sourceKey(this.current)) {
      // Back to the sources in use (or no source change at all): nothing to load.
      this.stopLoading();
      this.use(this.configured);
      return;
    }
    this.use({ ...this.configured, ...sourceFieldsOf(this.current) });
    if (key === this.refused || key === this.loading?.key) return;
    this.stopLoading();
    const controller = new AbortController();
    const next = this.configured;
    const done = Promise.resolve()
      .then(() => this.load(next, this.current, controller.signal))
      .catch(() => false)
      .then((ok) => {
        if (this.loading?.controller !== controller) return; // superseded by a newer change
        this.loading = undefined;
        if (!ok) {
          this.refused = key;
          return;
        }
        this.refused = undefined;
        this.use(this.configured);
      });
    this.loading = { key, controller, done };
  }

  private stopLoading(): void {
    this.loading?.controller.abort();
    this.loading = undefined;
  }

  private use(settings: HostSettings): void {
    const changed = JSON.stringify(settings) !== JSON.stringify(this.current);
    this.current = settings;
    if (changed) this.announce(settings);
  }
}
