import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedWork } from '../../src/engine/sharedWork';
import { CancellationFlag, RpcError, yieldToEventLoop } from '../../src/shared/rpc';

/** Work that runs until released or cancelled, checking its flag between steps like the service's loops. */
function controllable() {
  let runs = 0;
  let stoppedByCancel = 0;
  let release = false;
  const work = async (flag: CancellationFlag) => {
    runs++;
    while (!release) {
      await yieldToEventLoop();
      if (flag.isCancelled) {
        stoppedByCancel++;
        throw new RpcError('cancelled', 'cancelled');
      }
    }
    return runs;
  };
  return { work, release: () => (release = true), runs: () => runs, stoppedByCancel: () => stoppedByCancel };
}
const isCancelled = (e: unknown) => e instanceof RpcError && e.kind === 'cancelled';

test('requests for the same key share one run; one cancelled waiter stops waiting, the work goes on for the rest', async () => {
  const shared = new SharedWork<number>();
  const w = controllable();
  const a = new CancellationFlag();
  const b = new CancellationFlag();
  const pa = shared.run('k', a, w.work);
  const pb = shared.run('k', b, w.work);
  a.cancel();
  await assert.rejects(pa, isCancelled);
  await yieldToEventLoop();
  assert.equal(w.stoppedByCancel(), 0, 'b still waits: the work was not stopped');
  w.release();
  assert.equal(await pb, 1);
  assert.equal(w.runs(), 1, 'one run for both requests');
  assert.equal(shared.size, 0, 'finished work is forgotten');
});

test('the work stops when its last waiter is cancelled, and a later request starts afresh', async () => {
  const shared = new SharedWork<number>();
  const w = controllable();
  const a = new CancellationFlag();
  const pa = shared.run('k', a, w.work);
  a.cancel();
  await assert.rejects(pa, isCancelled);
  for (let i = 0; i < 100 && w.stoppedByCancel() === 0; i++) await yieldToEventLoop();
  assert.equal(w.stoppedByCancel(), 1, 'the running work saw its flag');
  const pc = shared.run('k', new CancellationFlag(), w.work);
  w.release();
  assert.equal(await pc, 2, 'a second run, not the stopped one');
});

test('same key but another identity (a hash collision) does not join; an already cancelled request is refused at once', async () => {
  const shared = new SharedWork<string>();
  const p1 = shared.run('h', new CancellationFlag(), async () => 'text one', 'text one');
  const p2 = shared.run('h', new CancellationFlag(), async () => 'text two', 'text two');
  assert.deepEqual(await Promise.all([p1, p2]), ['text one', 'text two']);
  const done = new CancellationFlag();
  done.cancel();
  assert.throws(() => shared.run('x', done, async () => 'never'), isCancelled);
});
