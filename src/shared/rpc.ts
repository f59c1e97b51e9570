/**
 * One typed request/reply helper for both request boundaries: the extension host calls the engine worker
 * (RpcClient in the host and the CLI, RpcServer in the worker), and the inspector panel calls the host
 * (RpcClient in the webview, RpcServer in src/host/inspectorPanel.ts) — ids, replies matched by id,
 * cancellation, supersession by channel. It knows nothing about transports beyond "post a message" and
 * "receive a message", so the same code runs in Node worker_threads, the extension host and the browser.
 */

// ───────────── the envelope: what travels on the wire ─────────────

/** Error kinds every caller can switch on. */
export type RpcErrorKind = 'cancelled' | 'timeout' | 'workerCrashed' | 'workerUnavailable' | 'invalidInput' | 'internal';

export interface RpcErrorData {
  kind: RpcErrorKind;
  message: string;
}

export type RpcRequest<M extends string = string, P = unknown> = {
  type: 'request';
  id: number;
  method: M;
  params: P;
  /**
   * Requests that share a channel supersede each other: a newer one cancels the older. Names are the camelCase
   * name of what asks (`hover`, `statusBar`, `copyPytorch`), with `:` before a per-item part (`highlight:<uri>`,
   * `analysis:<kind>`); test/unit/channelNames.test.ts holds every literal to that.
   */
  channel?: string;
};
export type RpcCancel = { type: 'cancel'; id: number };
export type RpcResponse<R = unknown> = { type: 'response'; id: number; ok: true; result: R } | { type: 'response'; id: number; ok: false; error: RpcErrorData };
export type RpcMessage = RpcRequest | RpcCancel | RpcResponse;

export class RpcError extends Error {
  constructor(
    readonly kind: RpcErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
  toData(): RpcErrorData {
    return { kind: this.kind, message: this.message };
  }
  static from(data: RpcErrorData): RpcError {
    return new RpcError(data.kind, data.message);
  }
}

export interface Transport {
  post(message: RpcMessage, transfer?: ArrayBuffer[]): void;
}

/** Typed arrays inside a result are transferred, not copied. */
export function collectTransferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>()): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    // Only whole, unshared buffers can be transferred safely.
    if (buf instanceof ArrayBuffer && !out.includes(buf) && value.byteOffset === 0 && value.byteLength === buf.byteLength) {
      out.push(buf);
    }
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectTransferables(v, out, seen);
  return out;
}

/** A method table: each method's params and result. Interfaces qualify too (no index signature needed). */
export type MethodMap<M> = { [K in keyof M]: { params: unknown; result: unknown } };

/** Why a call stopped waiting for its reply; the other side may still be working on it. */
export type CancelReason = 'superseded' | 'timeout' | 'aborted';

export interface RpcClientOptions {
  /**
   * Called after a cancel for request `id` was posted. The owner of the transport can watch for the
   * other side's (late) reply to that id to learn whether it really stopped, e.g. to restart a stuck worker.
   */
  onCancel?(id: number, reason: CancelReason, method: string): void;
}

export interface CallOptions {
  /** Same-channel calls supersede: a newer call cancels the older pending one. */
  channel?: string;
  timeoutMs?: number;
  signal?: { readonly aborted: boolean; addEventListener(type: 'abort', fn: () => void): void };
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  timer?: ReturnType<typeof setTimeout>;
  channel?: string;
  method: string;
}

/** The calling side. */
export class RpcClient<M extends MethodMap<M>> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly channels = new Map<string, number>();

  constructor(
    private readonly transport: Transport,
    private readonly options: RpcClientOptions = {},
  ) {}

  call<K extends keyof M & string>(method: K, params: M[K]['params'], options: CallOptions = {}): Promise<M[K]['result']> {
    const id = this.nextId++;
    if (options.channel !== undefined) {
      const older = this.channels.get(options.channel);
      if (older !== undefined) this.cancel(older, 'superseded', 'superseded by a newer request');
      this.channels.set(options.channel, id);
    }
    return new Promise<M[K]['result']>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, channel: options.channel, method };
      this.pending.set(id, p);
      if (options.timeoutMs !== undefined) {
        p.timer = setTimeout(() => {
          this.cancel(id, 'timeout', undefined);
          this.settle(id, new RpcError('timeout', `${method} took longer than ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      if (options.signal) {
        if (options.signal.aborted) return this.settle(id, new RpcError('cancelled', 'cancelled'));
        options.signal.addEventListener('abort', () => this.cancel(id, 'aborted', 'cancelled'));
      }
      const request: RpcRequest = { type: 'request', id, method, params, channel: options.channel };
      try {
        this.transport.post(request, collectTransferables(params));
      } catch (e) {
        this.settle(id, new RpcError('workerUnavailable', e instanceof Error ? e.message : String(e)));
      }
    });
  }

  /** Feed every incoming message here. Returns true if it was a response for this client. */
  handle(message: RpcMessage): boolean {
    if (message.type !== 'response') return false;
    const response = message as RpcResponse;
    if (!this.pending.has(response.id)) return true; // late reply to a cancelled request
    if (response.ok) this.settle(response.id, undefined, response.result);
    else this.settle(response.id, RpcError.from(response.error));
    return true;
  }

  /** Fail every pending call (e.g. the worker died). */
  failAll(error: RpcError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private cancel(id: number, reason: CancelReason, message: string | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    let posted = true;
    try {
      this.transport.post({ type: 'cancel', id });
    } catch {
      posted = false; // transport gone: the pending call is settled below anyway
    }
    if (posted) this.options.onCancel?.(id, reason, p.method);
    if (message !== undefined) this.settle(id, new RpcError('cancelled', message));
  }

  private settle(id: number, error?: RpcError, result?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if (p.channel !== undefined && this.channels.get(p.channel) === id) this.channels.delete(p.channel);
    if (error) p.reject(error);
    else p.resolve(result);
  }
}

type ImmediateFn = (fn: () => void) => unknown;
const immediate: ImmediateFn | undefined = (globalThis as { setImmediate?: ImmediateFn }).setImmediate;

/**
 * Lets queued messages (e.g. a cancel) be delivered. Node's setImmediate runs right after pending I/O;
 * setTimeout(0) is the browser-safe fallback (clamped to ≥1 ms in Node, hence the preference).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Cooperative cancellation handed to handlers; long loops call `throwIfCancelled()` between chunks, and a
 * handler that waits on other work hands `signal` on (the host's panel handlers pass it to the engine call).
 */
export class CancellationFlag {
  private readonly controller = new AbortController();
  cancel(): void {
    this.controller.abort();
  }
  get isCancelled(): boolean {
    return this.controller.signal.aborted;
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  throwIfCancelled(): void {
    if (this.isCancelled) throw new RpcError('cancelled', 'cancelled');
  }
}

export type Handlers<M extends MethodMap<M>> = {
  [K in keyof M]: (params: M[K]['params'], cancel: CancellationFlag) => M[K]['result'] | Promise<M[K]['result']>;
};

/** The answering side. */
export class RpcServer<M extends MethodMap<M>> {
  private readonly running = new Map<number, CancellationFlag>();

  constructor(
    private readonly transport: Transport,
    private readonly handlers: Handlers<M>,
  ) {}

  /** Cancels every request still running (what they computed no longer applies, e.g. the inspected state changed). */
  cancelAll(): void {
    for (const flag of this.running.values()) flag.cancel();
  }

  async handle(message: RpcMessage): Promise<void> {
    if (message.type === 'cancel') {
      this.running.get(message.id)?.cancel();
      return;
    }
    if (message.type !== 'request') return;
    const flag = new CancellationFlag();
    this.running.set(message.id, flag);
    let response: RpcResponse;
    try {
      const handler = (this.handlers as Record<string, ((p: unknown, c: CancellationFlag) => unknown) | undefined>)[message.method];
      if (!handler) throw new RpcError('invalidInput', `unknown method ${message.method}`);
      // Yield once so a cancel that is already queued behind this request is seen before work starts.
      await yieldToEventLoop();
      flag.throwIfCancelled();
      const result = await handler(message.params, flag);
      response = { type: 'response', id: message.id, ok: true, result };
    } catch (e) {
      const err = e instanceof RpcError ? e : new RpcError('internal', e instanceof Error ? e.message : String(e));
      response = { type: 'response', id: message.id, ok: false, error: err.toData() };
    } finally {
      this.running.delete(message.id);
    }
    try {
      this.transport.post(response, response.ok ? collectTransferables(response.result) : []);
    } catch (e) {
      // e.g. a DataCloneError: the caller still gets an answer instead of waiting for its time limit.
      const text = `the reply to ${message.method} could not be sent: ${e instanceof Error ? e.message : String(e)}`;
      this.transport.post({ type: 'response', id: response.id, ok: false, error: { kind: 'internal', message: text } });
    }
  }
}
