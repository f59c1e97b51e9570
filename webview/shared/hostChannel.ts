/**
 * The webview end of the host channel: posts `ready`, validates every incoming message, persists the last
 * state with `vscode.setState` (restored at once on reload, before the host answers).
 */
import type { HostToWebview, PanelState, WebviewToHost } from '../../src/shared/webviewProtocol';
import { InvalidMessage, parseHostMessage } from './messages';
import { decodeStoredView, encodeStoredView, type StoredView } from './persist';
import { reportCspViolations, vscodeApi } from './vscodeApi';

export interface HostChannel {
  post(m: WebviewToHost): void;
  /** Persist the view; the (expensive) state encoding is cached until the state object changes. */
  persist(state: PanelState | null, selectedRow: number | null): void;
  restored: { state: PanelState | null; selectedRow: number | null } | null;
}

export function connectHost(onMessage: (m: HostToWebview) => void, onInvalid: (e: Error) => void): HostChannel {
  const api = vscodeApi();
  reportCspViolations(api.post);
  const restored = decodeStoredView(api.getState());
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
    if (msg) onMessage(msg);
  });
  return {
    post: api.post,
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
