import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestOnly, type Timers } from '../../src/host/latest';

/** A clock the test advances by hand. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const queue = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      queue.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void queue.delete(h as number),
  };
  return {
    timers,
    pending: () => queue.size,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...queue].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          queue.delete(id);
          t.fn();
        }
      }
    },
  };
}

const unexpected = (e: unknown) => assert.fail(`unexpected error: ${String(e)}`);
const flush = () => new Promise<void>((r) => setImmediate(r));

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('a burst of schedules runs the work once, after the quiet period', async () => {
  const clock = manualTimers();
  const delivered: number[] = [];
  let runs = 0;
  const latest = new LatestOnly<number>(150, (v) => delivered.push(v), unexpected, clock.timers);
  for (let i = 0; i < 5; i++) {
    latest.schedule(async () => (runs++, i));
    clock.advance(100);
  }
  assert.equal(runs, 0);
  clock.advance(50);
  await flush();
  assert.equal(runs, 1);
  assert.deepEqual(delivered, [4]);
});

test('an older result that arrives after a newer request is dropped, and its signal aborted', async () => {
  const clock = manualTimers();
  const delivered: string[] = [];
  const latest = new LatestOnly<string>(10, (v) => delivered.push(v), unexpected, clock.timers);
  const slow = deferred<string>();
  let slowSignal: AbortSignal | undefined;
  latest.schedule((signal) => ((slowSignal = signal), slow.promise));
  clock.advance(10);
  await flush();
  latest.schedule(async () => 'new');
  assert.equal(slowSignal!.aborted, false, 'still running until the newer one starts');
  clock.advance(10);
  await flush();
  assert.equal(slowSignal!.aborted, true);
  slow.resolve('old');
  await flush();
  assert.deepEqual(delivered, ['new']);
});

test('errors are reported only for the newest request', async () => {
  const clock = manualTimers();
  const errors: unknown[] = [];
  const latest = new LatestOnly<string>(
    0,
    () => undefined,
    (e) => errors.push(e),
    clock.timers,
  );
  const first = deferred<string>();
  void latest.runNow(() => first.promise);
  await latest.runNow(async () => {
    throw new Error('newest failed');
  });
  first.reject(new Error('superseded'));
  await flush();
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['newest failed'],
  );
});

test('cancel and dispose drop pending work', async () => {
  const clock = manualTimers();
  const delivered: number[] = [];
  const latest = new LatestOnly<number>(5, (v) => delivered.push(v), unexpected, clock.timers);
  latest.schedule(async () => 1);
  latest.cancel();
  assert.equal(clock.pending(), 0);
  latest.dispose();
  latest.schedule(async () => 2);
  clock.advance(10);
  await flush();
  assert.deepEqual(delivered, []);
});
