/**
 * One computation shared by every request that needs it at the same time (a document's tokenization asked for by
 * the hover, the status bar and the highlighter at once): it runs once, and stops only when every request
 * waiting on it was cancelled. A request that is cancelled stops waiting at once; the others keep theirs.
 */
import { CancellationFlag, RpcError } from '../shared/rpc';

interface Running<T> {
  identity: unknown;
  promise: Promise<T>;
  waiters: number;
  flag: CancellationFlag;
}

export class SharedWork<T> {
  private readonly running = new Map<string, Running<T>>();

  /**
   * `work` gets a flag of its own, cancelled when the last waiter is. Requests join running work only when both
   * `key` and `identity` match (`identity`: the input itself, such as the text, when `key` is only its hash).
   */
  run(key: string, cancel: CancellationFlag, work: (flag: CancellationFlag) => Promise<T>, identity: unknown = key): Promise<T> {
    cancel.throwIfCancelled();
    let entry = this.running.get(key);
    if (!entry || entry.identity !== identity) {
      const flag = new CancellationFlag();
      const started: Running<T> = { identity, promise: Promise.resolve().then(() => work(flag)), waiters: 0, flag };
      const forget = () => {
        if (this.running.get(key) === started) this.running.delete(key);
      };
      started.promise.then(forget, forget);
      this.running.set(key, started);
      entry = started;
    }
    const joined = entry;
    joined.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onCancel = () => {
        if (--joined.waiters === 0) {
          joined.flag.cancel();
          // a request that comes after this must not join work that is stopping
          if (this.running.get(key) === joined) this.running.delete(key);
        }
        reject(new RpcError('cancelled', 'cancelled'));
      };
      cancel.signal.addEventListener('abort', onCancel, { once: true });
      joined.promise.then(
        (value) => {
          cancel.signal.removeEventListener('abort', onCancel);
          resolve(value);
        },
        (error: unknown) => {
          cancel.signal.removeEventListener('abort', onCancel);
          reject(error);
        },
      );
    });
  }

  get size(): number {
    return this.running.size;
  }
}
