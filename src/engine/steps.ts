/**
 * Long engine work written once as generators that `yield` between slices of work — tokenizations, tokenizer and
 * model loads, analyses (similarity matrix, projection, CSV export) — and run either straight through (CLI, tests,
 * the synchronous APIs) or interleaved with other requests (the engine worker): there, every slice ends in a pause
 * that yields to the event loop once the slice has run long enough, so a hover or a `cancel` message is handled
 * within milliseconds, and that stops the work once cancelled.
 */
import { yieldToEventLoop, type CancellationFlag } from '../shared/rpc';

/** A computation that yields between slices of work and returns T. */
export type Steps<T> = Generator<void, T, void>;

/** Runs all steps without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs a stepped computation to its end, pausing between steps as its owner sees fit: the engine service yields to
 * the event loop every slice (~8 ms) and throws RpcError('cancelled') at the first step after a cancel.
 */
export type StepRunner = <T>(steps: Steps<T>) => Promise<T>;

/** Called between steps; throws to stop the computation. */
export type Pause = () => void | Promise<void>;

/**
 * Runs the steps, calling `pause` between them. Stopped by a pause (cancelled), the generator is closed, so its own
 * `finally` blocks run (a model load closes the file it opened).
 */
export async function runStepsAsync<T>(steps: Steps<T>, pause: Pause): Promise<T> {
  let finished = false;
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) {
        finished = true;
        return step.value;
      }
      await pause();
    }
  } finally {
    if (!finished) steps.return(undefined as T);
  }
}

/** The worker's pause: yield to the event loop after `sliceMs` of work, and throw once `cancel` is set. */
export function slicedPause(cancel: CancellationFlag, sliceMs: number): Pause {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    cancel.throwIfCancelled();
  };
}

/**
 * Steps over `[0, count)` in slices of `slice`: `work(from, to)` does one slice, then the generator pauses. The loop
 * bodies belong in plain functions like `work`, called once per slice: V8 optimises those, while a loop inside a
 * generator that runs for a whole load stays in the interpreter (no on-stack replacement into generators).
 */
export function* sliceSteps(count: number, slice: number, work: (from: number, to: number) => void): Steps<void> {
  for (let from = 0; from < count; from += slice) {
    if (from > 0) yield;
    work(from, Math.min(count, from + slice));
  }
}
