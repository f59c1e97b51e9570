/**
 * The host end of one webview, shared by the inspector panel and the side view (the role of
 * vscode-pull-request-github's WebviewBase): it sets the options and the HTML shell, parses every message the
 * view posts (an invalid one is logged and dropped, never used), logs CSP reports, answers the `ready`
 * handshake by replaying the last state, posts, and reveals. The owner handles the view's other messages.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { createNonce, renderWebviewHtml } from '../webviewHtml';
import type { Parsed } from '../webviewMessages';

/** What a panel (WebviewPanel) and a side view (WebviewView) have in common for the endpoint. */
export interface WebviewHost {
  readonly webview: vscode.Webview;
  /** Show it without taking focus from the editor. */
  reveal(): void;
}

export function panelHost(panel: vscode.WebviewPanel): WebviewHost {
  return { webview: panel.webview, reveal: () => panel.reveal(undefined, true) };
}

export function viewHost(view: vscode.WebviewView): WebviewHost {
  return { webview: view.webview, reveal: () => view.show(true) };
}

type Handshake = { type: 'ready' } | { type: 'cspViolation'; directive: string; blockedUri: string };

export interface EndpointOptions<In extends { type: string }, Out> {
  extensionUri: vscode.Uri;
  bundle: 'panel' | 'sidebar';
  title: string;
  log: vscode.LogOutputChannel;
  /** The view's own validation of what it may post (src/host/webviewMessages.ts). */
  parse(raw: unknown): Parsed<In>;
  /** Every valid message but the handshake and CSP reports. */
  onMessage(message: Exclude<In, Handshake>): void | Promise<void>;
  /**
   * The view's current state, replayed on every `ready` (the view loaded, reloaded or was shown again: its
   * script starts over and asks). Undefined before there is one.
   */
  currentState(): Out | undefined;
  /** `ready` arrived and there is no state to replay yet (e.g. say that work is running, or start it). */
  onReadyWithoutState?(): void;
}

/** Webview options shared by the panel and the side view: scripts on, command URIs off, only dist/webview and media. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: 'panel' | 'sidebar', title: string): string {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  // Shared theme styles first, then the view's own. No file-system probing: the host also runs in VS Code for the Web.
  const styles = [vscode.Uri.joinPath(media, 'webview.css'), vscode.Uri.joinPath(media, `${bundle}.css`)];
  return renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${bundle}.js`)).toString(),
    styleUris: styles.map((u) => webview.asWebviewUri(u).toString()),
    title,
    bodyClass: bundle,
  });
}

export class WebviewEndpoint<In extends { type: string }, Out> extends Disposable {
  constructor(
    private readonly host: WebviewHost,
    private readonly options: EndpointOptions<In, Out>,
  ) {
    super();
    host.webview.options = webviewOptions(options.extensionUri);
    host.webview.html = webviewHtml(host.webview, options.extensionUri, options.bundle, options.title);
    this._register(host.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
  }

  post(message: Out): void {
    if (!this.isDisposed) void this.host.webview.postMessage(message);
  }

  reveal(): void {
    this.host.reveal();
  }

  private async receive(raw: unknown): Promise<void> {
    const { log, bundle } = this.options;
    const parsed = this.options.parse(raw);
    if (!parsed.ok) {
      log.warn(`${bundle}: ignored invalid message: ${parsed.error}`);
      return;
    }
    const message = parsed.message as In | Handshake;
    if (message.type === 'cspViolation') {
      const report = message as Extract<Handshake, { type: 'cspViolation' }>;
      log.error(`${bundle}: CSP violation: ${report.directive} blocked ${report.blockedUri}`);
      return;
    }
    if (message.type === 'ready') {
      const state = this.options.currentState();
      if (state !== undefined) this.post(state);
      else this.options.onReadyWithoutState?.();
      return;
    }
    try {
      await this.options.onMessage(message as Exclude<In, Handshake>);
    } catch (e) {
      log.error(`${bundle}: handling "${message.type}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
