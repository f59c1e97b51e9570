/**
 * What the host needs from the engine: one typed `call` per EngineMethods entry. The concrete client
 * (owning the worker thread) implements this; host features depend only on the interface, so none of
 * them can accidentally tokenize or embed on the extension host's own thread.
 */
import type { EngineMethod, EngineMethods } from '../shared/engineProtocol';
import type { RpcErrorKind } from '../shared/rpc';
import { RpcError, type CallOptions } from '../shared/rpc';

export interface Engine {
  call<K extends EngineMethod>(method: K, params: EngineMethods[K]['params'], options?: CallOptions): Promise<EngineMethods[K]['result']>;
}

export function isCancellation(e: unknown): boolean {
  return e instanceof RpcError && e.kind === 'cancelled';
}

const KIND_ADVICE: Record<RpcErrorKind, string> = {
  cancelled: 'The request was cancelled.',
  timeout: 'The engine took too long; try a smaller selection or a lower tokenEmbeddings.maxTokens.',
  workerCrashed: 'The engine worker crashed (see the "Token Embeddings" output). It restarts on the next request.',
  workerUnavailable: 'The engine worker could not be started (see the "Token Embeddings" output).',
  invalidInput: 'The engine refused the input.',
  internal: 'The engine hit an internal error (see the "Token Embeddings" output).',
};

/** A message fit for a notification: what went wrong, and what to do about it. */
export function describeEngineError(e: unknown): string {
  if (e instanceof RpcError) return `${KIND_ADVICE[e.kind]} ${e.message ? `(${e.message})` : ''}`.trim();
  return e instanceof Error ? e.message : String(e);
}
