/**
 * The webview end of the host channel: posts `ready`, validates every incoming message, makes requests of the
 * host (PanelMethods) with the same RpcClient the host uses with the engine worker (src/shared/rpc.ts: request
 * ids, replies matched by id, cancel), and persists the last state with `vscode.setState` (restored at once on
 * reload, before the host answers).
 */
import type { HostToWebview, PanelMethod, PanelMethods, PanelState, WebviewToHost } from '../../src/shared/webviewProtocol';
import { RpcClient, type CallOptions } from '../../src/shared/rpc';
import { parseHostMessage } from './messages';
import { decodeStoredView, encodeStoredView, type StoredView } from './persist';
import { REPLY_PARSERS } from './replies';
import { InvalidMessage } from './validate';
import { reportCspViolations, vscodeApi } from './vscodeApi';

export type CallHost = <K extends PanelMethod>(method: K, params: PanelMethods[K]['params'], options?: CallOptions) => Promise<PanelMethods[K]['result']>;

export interface HostChannel {
  post(m: WebviewToHost): void;
  /**
   * Asks the host; resolves with the checked reply. A call whose signal aborts (or that a newer call on the
   * same channel supersedes) is cancelled in the host and rejects with an RpcError of kind `cancelled`; its
   * reply, if it still comes, is dropped.
   */
  call: CallHost;
  /** Persist the view; the (expensive) state encoding is cached until the state object changes. */
  persist(state: PanelState | null, selectedRow: number | null): void;
  restored: { state: PanelState | null; selectedRow: number | null } | null;
}

/** `onMessage` gets every host message but request replies, which settle their `call`. */
export function connectHost(onMessage: (m: Exclude<HostToWebview, { type: 'response' }>) => void, onInvalid: (e: Error) => void): HostChannel {
  const api = vscodeApi();
  reportCspViolations(api.post);
  const restored = decodeStoredView(api.getState());
  const client = new RpcClient<PanelMethods>({ post: (m) => api.post(m as WebviewToHost) });
  let cachedFor: PanelState | null = null;
  let cached: StoredView | null = null;
  window.addEventListener('message', (e: MessageEvent) => {
    let msg: HostToWebview | null;
    try {
      msg = parseHostMessage(e.data);
    } catch (err) {
      onInvalid(err instanceof InvalidMessage ? err : new Error(String(err)));
      return;
    }
    if (msg?.type === 'response') client.handle(msg);
    else if (msg) onMessage(msg);
  });
  const call: CallHost = async (method, params, options) => {
    const raw = await client.call(method, params, options);
    try {
      return REPLY_PARSERS[method](raw);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      onInvalid(error);
      throw error;
    }
  };
  return {
    post: api.post,
    call,
    restored,
    persist(state, selectedRow) {
      if (state !== cachedFor || !cached) {
        cached = encodeStoredView(state, selectedRow);
        cachedFor = state;
      }
      api.setState({ ...cached, selectedRow });
    },
  };
}
