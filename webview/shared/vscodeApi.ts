/** Typed access to the VS Code webview API (acquireVsCodeApi may be called once per page). */
import type { WebviewToHost } from '../../src/shared/webviewProtocol';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): RawVsCodeApi;

export interface VsCodeApi {
  post(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  if (!api) {
    const raw = acquireVsCodeApi();
    api = {
      post: (m) => raw.postMessage(m),
      getState: () => raw.getState(),
      setState: (s) => raw.setState(s),
    };
  }
  return api;
}

/** Report CSP violations to the host (which logs them): they mean a feature silently failed to load. */
export function reportCspViolations(post: (m: WebviewToHost) => void): void {
  document.addEventListener('securitypolicyviolation', (e) => {
    post({ type: 'cspViolation', directive: e.violatedDirective, blockedUri: e.blockedURI });
  });
}
