/**
 * Long analyses (similarity matrix, projection, CSV export) written once as generators that `yield` between
 * slices of work, and run either straight through (CLI, tests) or interleaved with other requests (the engine
 * worker): there, every slice ends in a pause that yields to the event loop once the slice has run long enough,
 * so a hover or a `cancel` message is handled within milliseconds, and that stops the work once cancelled.
 */
import { yieldToEventLoop, type CancellationFlag } from '../../shared/rpc';

/** A computation that yields between slices of work and returns T. */
export type Steps<T> = Generator<void, T, void>;

/** Runs all steps without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Called between steps; throws to stop the computation. */
export type Pause = () => void | Promise<void>;

/** Runs the steps, calling `pause` between them. */
export async function runStepsAsync<T>(steps: Steps<T>, pause: Pause): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
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
