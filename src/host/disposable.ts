/**
 * The one way host classes own what they register (listeners, commands, status bar items, child objects):
 * `_register` it, and `dispose()` releases everything once, newest first. Modelled on VS Code's own
 * `Disposable`/`DisposableStore` (src/vs/base/common/lifecycle.ts). Registering on an already disposed owner
 * disposes the newcomer at once, so a late async registration cannot leak.
 * No `vscode` import: anything with a `dispose()` fits, so this is unit-testable in plain Node.
 */

export interface DisposableLike {
  dispose(): unknown;
}

/** A set of disposables released together; `clear()` releases them but keeps the store usable (per-view lifetimes). */
export class DisposableStore implements DisposableLike {
  private items: DisposableLike[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends DisposableLike>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes everything added so far, newest first; one failing dispose() does not keep the rest alive. */
  clear(): void {
    const items = this.items;
    this.items = [];
    const errors: unknown[] = [];
    for (let i = items.length - 1; i >= 0; i--) {
      try {
        items[i]!.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Base class of host objects that own registrations. Subclasses that override dispose() call super.dispose(). */
export abstract class Disposable implements DisposableLike {
  private readonly store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this.store.isDisposed;
  }

  protected _register<T extends DisposableLike>(item: T): T {
    return this.store.add(item);
  }

  dispose(): void {
    this.store.dispose();
  }
}
