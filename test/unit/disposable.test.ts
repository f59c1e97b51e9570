import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, DisposableStore } from '../../src/host/disposable';

function recorder(log: string[], name: string, fail = false) {
  return {
    dispose() {
      log.push(name);
      if (fail) throw new Error(`${name} failed`);
    },
  };
}

class Owner extends Disposable {
  constructor(log: string[]) {
    super();
    this._register(recorder(log, 'a'));
    this._register(recorder(log, 'b'));
  }
  late(item: { dispose(): unknown }) {
    return this._register(item);
  }
  get disposed() {
    return this.isDisposed;
  }
}

test('Disposable: dispose() releases registrations newest first, once', () => {
  const log: string[] = [];
  const owner = new Owner(log);
  assert.equal(owner.disposed, false);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(log, ['b', 'a']);
  assert.equal(owner.disposed, true);
});

test('Disposable: a registration after dispose() is released at once', () => {
  const log: string[] = [];
  const owner = new Owner(log);
  owner.dispose();
  owner.late(recorder(log, 'late'));
  assert.deepEqual(log, ['b', 'a', 'late']);
});

test('DisposableStore: clear() keeps the store usable; a failing dispose does not keep the others alive', () => {
  const log: string[] = [];
  const store = new DisposableStore();
  store.add(recorder(log, 'x'));
  store.add(recorder(log, 'y', true));
  assert.throws(() => store.clear(), /y failed/);
  assert.deepEqual(log, ['y', 'x']);
  store.add(recorder(log, 'z'));
  store.dispose();
  assert.deepEqual(log, ['y', 'x', 'z']);
  assert.equal(store.isDisposed, true);
});

test('DisposableStore: several failures are reported together', () => {
  const store = new DisposableStore();
  store.add(recorder([], 'p', true));
  store.add(recorder([], 'q', true));
  assert.throws(
    () => store.dispose(),
    (e: unknown) => e instanceof AggregateError && e.errors.length === 2,
  );
});
