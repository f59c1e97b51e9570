/**
 * Work the page does in the background, in short slices between frames and input: a slice runs when the
 * page is idle (requestIdleCallback, which every VS Code webview has) and gets the idle time left, capped so
 * that no slice is a long task even when the idle period is long; where requestIdleCallback is missing, a
 * timer with the same cap.
 */

/** The longest a slice may run: a frame's worth of work at most, so an input event waits no longer than that. */
const SLICE_MAX_MS = 8;
/** A slice always gets this much, also when the page was never idle and the callback's timeout fired. */
const SLICE_MIN_MS = 2;
/** How long a slice may wait for an idle moment before it runs anyway (the page is busy for that long). */
const IDLE_TIMEOUT_MS = 100;

/** Runs `work` at the next idle moment with the milliseconds it may take. */
export function whenIdle(work: (budgetMs: number) => void): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback((deadline) => work(Math.min(SLICE_MAX_MS, Math.max(SLICE_MIN_MS, deadline.timeRemaining()))), { timeout: IDLE_TIMEOUT_MS });
  } else setTimeout(() => work(SLICE_MAX_MS), 0);
}
