/**
 * Debounce + latest-only delivery for views that follow the cursor (sidebar, status bar, highlights).
 * Only the newest request's result is delivered: an older one that finishes late is dropped even if
 * the worker already answered it (the RPC channel also cancels it in the worker, this is the host's
 * half of the guarantee). Pure, with injectable timers so tests control time.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class LatestOnly<T> {
  private timer: unknown;
  private generation = 0;
  private controller: AbortController | undefined;
  private disposed = false;

  constructor(
    private readonly delayMs: number,
    private readonly deliver: (value: T) => void,
    private readonly onError: (error: unknown) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Restarts the quiet period; when it ends, `work` runs and its result is delivered if still newest. */
  schedule(work: (signal: AbortSignal) => Promise<T>): void {
    if (this.disposed) return;
    const generation = ++this.generation;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.run(generation, work);
    }, this.delayMs);
  }

  /** Runs `work` now (still superseding anything older). */
  runNow(work: (signal: AbortSignal) => Promise<T>): Promise<void> {
    const generation = ++this.generation;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    return this.run(generation, work);
  }

  /** Drops any pending or running request. */
  cancel(): void {
    this.generation++;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
  }

  private async run(generation: number, work: (signal: AbortSignal) => Promise<T>): Promise<void> {
    if (this.disposed || generation !== this.generation) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const value = await work(controller.signal);
      if (!this.disposed && generation === this.generation) this.deliver(value);
    } catch (e) {
      if (!this.disposed && generation === this.generation) this.onError(e);
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }
}
