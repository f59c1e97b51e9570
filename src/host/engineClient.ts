/**
 * Host side of the engine worker. Owns one worker — started through a WorkerStarter: a Node worker thread
 * running dist/worker.js (nodeWorkerPort.ts) or a Web Worker in VS Code for the Web (webWorkerPort.ts) — and
 * talks to it with the typed RpcClient. It imports neither `vscode` nor Node (unit-testable in plain Node, and
 * bundled for the browser) and never runs engine work on the caller's thread.
 *
 * Lifecycle:
 * - the worker starts lazily on the first request and is terminated by dispose();
 * - a crash (uncaught error, non-zero exit, out of memory) fails every pending request with
 *   RpcError('workerCrashed'); the next request restarts the worker after a backoff (doubling each time);
 *   after `maxCrashes` crashes within `crashWindowMs` it stays down and every request fails with one
 *   RpcError('workerUnavailable') until reset();
 * - each request has a time limit; when one expires the worker is asked to cancel it, and if the worker does
 *   not answer within `stuckGraceMs` (it is stuck in CPU-bound work) it is terminated and restarted lazily,
 *   so later requests are not queued behind it;
 * - requests on the same `channel` supersede each other: the older one is cancelled in the worker, which
 *   stops working on it at its next chunk boundary.
 */
import { RpcClient, RpcError, type CallOptions, type CancelReason, type MethodMap } from '../shared/rpc';
import type { EngineMethods } from '../shared/engineProtocol';
import type { RpcMessage } from '../shared/rpc';
import type { WorkerPort, WorkerStarter } from './workerPort';

export interface EngineClientOptions {
  /** Starts a worker, e.g. nodeWorkerStarter(dist/worker.js) (nodeWorkerPort.ts). */
  startWorker: WorkerStarter;
  /** Time limit of a request unless the call passes its own `timeoutMs` (default 30 s). */
  timeoutMs?: number;
  /** How long a timed-out request's worker may take to acknowledge the cancel before it is restarted (default 500 ms). */
  stuckGraceMs?: number;
  /** Crashes within `crashWindowMs` after which the worker is not restarted again (default 3 within 60 s). */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** Delay before the first restart after a crash; doubles with each further crash in the window (default 250 ms). */
  restartBackoffMs?: number;
  /** Diagnostics (worker started, crashed, restarted…), e.g. for an output channel. */
  log?: (message: string) => void;
  /** Time source and restart-backoff sleep (default: Date.now and setTimeout); tests inject one to see the delays. */
  clock?: EngineClientClock;
}

export interface EngineClientClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: EngineClientClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type EngineClientState = 'idle' | 'running' | 'backoff' | 'unavailable' | 'disposed';

interface Disposable {
  dispose(): void;
}

interface LiveWorker<M extends MethodMap<M>> {
  worker: WorkerPort;
  rpc: RpcClient<M>;
  /** Timed-out request ids still waiting for the worker's reply, with their stuck timers. */
  awaitingAck: Map<number, ReturnType<typeof setTimeout>>;
  /** Set while some timed-out request is unacknowledged; new calls wait for it instead of queueing. */
  suspect?: { promise: Promise<void>; resolve(): void };
  lastError?: Error;
}

export class EngineClient<M extends MethodMap<M> = EngineMethods> implements Disposable {
  private live: LiveWorker<M> | undefined;
  private starting: Promise<LiveWorker<M>> | undefined;
  private crashTimes: number[] = [];
  private restartAt = 0;
  private unavailable: RpcError | undefined;
  private disposed = false;
  private currentState: EngineClientState = 'idle';
  private readonly listeners = new Set<(state: EngineClientState) => void>();
  private workersStarted = 0;
  private tickets = 0;
  private readonly latestOnChannel = new Map<string, number>();

  private readonly timeoutMs: number;
  private readonly stuckGraceMs: number;
  private readonly maxCrashes: number;
  private readonly crashWindowMs: number;
  private readonly restartBackoffMs: number;
  private readonly clock: EngineClientClock;

  constructor(private readonly options: EngineClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.stuckGraceMs = options.stuckGraceMs ?? 500;
    this.maxCrashes = options.maxCrashes ?? 3;
    this.crashWindowMs = options.crashWindowMs ?? 60_000;
    this.restartBackoffMs = options.restartBackoffMs ?? 250;
    this.clock = options.clock ?? realClock;
  }

  get state(): EngineClientState {
    return this.currentState;
  }

  /** Workers started so far (1 after the first request; +1 per restart). */
  get startCount(): number {
    return this.workersStarted;
  }

  onDidChangeState(listener: (state: EngineClientState) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Sends one request to the worker (starting it if needed). Rejects with RpcError of kind 'cancelled'
   * (superseded on its channel, or aborted), 'timeout', 'workerCrashed', 'workerUnavailable', 'invalidInput'
   * or 'internal'. Float32Array results arrive as transferred buffers (no copy).
   */
  async call<K extends keyof M & string>(method: K, params: M[K]['params'], options: CallOptions = {}): Promise<M[K]['result']> {
    // Supersession is decided by call order, not by post order: a call that had to wait for the worker
    // must not cancel a newer call on its channel that was posted first.
    const channel = options.channel;
    const ticket = ++this.tickets;
    if (channel !== undefined) this.latestOnChannel.set(channel, ticket);
    for (;;) {
      if (this.unavailable) throw this.unavailable;
      // With a running worker the request is posted synchronously, so calls keep their order (and a newer
      // call on a channel really is newer).
      const live = this.live ?? (await this.ensureWorker());
      if (live !== this.live) continue; // it died or was replaced while we waited
      if (live.suspect) {
        // A timed-out request has not been acknowledged yet: do not queue behind a possibly stuck worker.
        await live.suspect.promise;
        continue;
      }
      if (channel !== undefined && this.latestOnChannel.get(channel) !== ticket) {
        throw new RpcError('cancelled', 'superseded by a newer request');
      }
      if (channel !== undefined && this.latestOnChannel.get(channel) === ticket) this.latestOnChannel.delete(channel);
      return live.rpc.call(method, params, { ...options, timeoutMs: options.timeoutMs ?? this.timeoutMs });
    }
  }

  /** Forgets past crashes so a worker that was given up on ('unavailable') may start again. */
  reset(): void {
    if (this.disposed) return;
    this.crashTimes = [];
    this.restartAt = 0;
    this.unavailable = undefined;
    if (!this.live) this.setState('idle');
  }

  /** Terminates the worker; pending and later requests fail with 'workerUnavailable'. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.unavailable = new RpcError('workerUnavailable', 'the token-embeddings engine has been shut down');
    const live = this.live;
    this.live = undefined;
    this.setState('disposed');
    this.listeners.clear();
    if (live) {
      this.clearAcks(live);
      live.rpc.failAll(this.unavailable);
      await live.worker.terminate();
    }
  }

  private ensureWorker(): Promise<LiveWorker<M>> {
    if (!this.starting) {
      this.starting = this.startAfterBackoff().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  private async startAfterBackoff(): Promise<LiveWorker<M>> {
    const wait = this.restartAt - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    if (this.unavailable) throw this.unavailable;
    return this.spawn();
  }

  private async spawn(): Promise<LiveWorker<M>> {
    // The worker's events may arrive before the starter returns: they go to `live` once it exists.
    let live: LiveWorker<M> | undefined;
    const early: { error?: Error; exit?: number } = {};
    let worker: WorkerPort;
    try {
      worker = await this.options.startWorker({
        message: (message) => {
          if (live) this.onMessage(live, message);
        },
        error: (error) => {
          if (live) live.lastError = error;
          else early.error = error;
        },
        exit: (code) => {
          if (live) this.onExit(live, code);
          else early.exit = code;
        },
      });
    } catch (e) {
      throw new RpcError('workerUnavailable', `cannot start the engine worker: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.disposed) {
      void worker.terminate();
      throw this.unavailable ?? new RpcError('workerUnavailable', 'the token-embeddings engine has been shut down');
    }
    const started: LiveWorker<M> = {
      worker,
      awaitingAck: new Map(),
      lastError: early.error,
      rpc: new RpcClient<M>(
        { post: (message, transfer) => worker.post(message, transfer) },
        { onCancel: (id, reason) => this.watchCancel(started, id, reason) },
      ),
    };
    live = started;
    this.live = started;
    this.workersStarted++;
    this.options.log?.(`engine worker started (${worker.label})`);
    if (early.exit !== undefined) {
      this.onExit(started, early.exit);
      return started; // the caller sees `live !== this.live` and tries again (after the backoff)
    }
    this.setState('running');
    return started;
  }

  private onMessage(live: LiveWorker<M>, message: RpcMessage): void {
    if (message.type === 'response') {
      const timer = live.awaitingAck.get(message.id);
      if (timer !== undefined) {
        clearTimeout(timer);
        live.awaitingAck.delete(message.id);
        if (live.awaitingAck.size === 0) this.clearAcks(live); // the worker is responsive: release waiters
      }
    }
    live.rpc.handle(message);
  }

  /** After a timeout the worker must acknowledge the cancel promptly; if it cannot, it is stuck. */
  private watchCancel(live: LiveWorker<M>, id: number, reason: CancelReason): void {
    if (reason !== 'timeout') return; // superseded/aborted requests stop cooperatively; no restart needed
    if (!live.suspect) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      live.suspect = { promise, resolve };
    }
    live.awaitingAck.set(
      id,
      setTimeout(() => this.restartStuck(live), this.stuckGraceMs),
    );
  }

  private restartStuck(live: LiveWorker<M>): void {
    if (live !== this.live) return;
    this.live = undefined;
    this.clearAcks(live);
    this.options.log?.(`engine worker did not stop within ${this.stuckGraceMs} ms of a timed-out request; restarting it`);
    live.rpc.failAll(new RpcError('workerCrashed', 'the engine was restarted because another request exceeded its time limit; please try again'));
    void live.worker.terminate();
    this.setState('idle');
  }

  private onExit(live: LiveWorker<M>, code: number): void {
    if (live !== this.live) return; // terminated on purpose (dispose, stuck restart)
    this.live = undefined;
    this.clearAcks(live);
    const cause = live.lastError ? live.lastError.message : `exit code ${code}`;
    this.options.log?.(`engine worker crashed: ${cause}`);
    const now = this.clock.now();
    this.crashTimes = this.crashTimes.filter((t) => now - t < this.crashWindowMs);
    this.crashTimes.push(now);
    live.rpc.failAll(new RpcError('workerCrashed', `the engine worker crashed (${cause}); the request was lost, please try again`));
    if (this.crashTimes.length >= this.maxCrashes) {
      this.unavailable = new RpcError(
        'workerUnavailable',
        `the token-embeddings engine crashed ${this.crashTimes.length} times within ${Math.round(this.crashWindowMs / 1000)} s and was stopped (last: ${cause}); reload the window to try again`,
      );
      this.options.log?.(this.unavailable.message);
      this.setState('unavailable');
    } else {
      this.restartAt = now + this.restartBackoffMs * 2 ** (this.crashTimes.length - 1);
      this.setState('backoff');
    }
  }

  private clearAcks(live: LiveWorker<M>): void {
    for (const timer of live.awaitingAck.values()) clearTimeout(timer);
    live.awaitingAck.clear();
    live.suspect?.resolve();
    live.suspect = undefined;
  }

  private setState(state: EngineClientState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const l of [...this.listeners]) l(state);
  }
}
