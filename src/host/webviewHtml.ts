/**
 * The HTML shell of both webviews, as a pure function (no `vscode` import) so the browser tests build the
 * exact page VS Code shows. The page carries no data: the script posts `ready` and the host answers with
 * `state` (inline JSON would need a looser CSP and go stale on reload).
 */
import { bytesToBase64 } from '../shared/base64';

export interface WebviewHtmlOptions {
  /** `webview.cspSource` (in tests: the origin of the local server). */
  cspSource: string;
  /** From createNonce(), fresh for every render. */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/panel.js)` as a string. */
  scriptUri: string;
  /** Stylesheets, in order (e.g. media/webview.css then media/panel.css). */
  styleUris: string[];
  title: string;
  /** Extra class on <body>; VS Code adds its theme classes (`vscode-dark`, …) itself. */
  bodyClass?: string;
}

/** 128 bits from the OS CSPRNG, base64 (CSP nonces must be unguessable and unique per page). */
export function createNonce(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(16)));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Rejects values that could break out of the CSP header (a host bug must not silently weaken it). */
function cspToken(s: string, what: string): string {
  if (/[;\s"'<>]/.test(s) || s === '') throw new Error(`webviewHtml: invalid ${what} for the CSP: ${JSON.stringify(s)}`);
  return s;
}

/**
 * `webview.cspSource` is a source LIST in real VS Code (e.g. `'self' https://*.vscode-cdn.net`): each
 * whitespace-separated entry must be a quoted keyword or a host/scheme source, nothing that ends the directive.
 */
function cspSourceList(s: string): string {
  const entries = s.trim().split(/\s+/);
  const ok = entries.every((e) => /^'[a-z-]+'$/.test(e) || (e !== '' && !/[;"'<>,]/.test(e)));
  if (!ok || s.trim() === '') throw new Error(`webviewHtml: invalid cspSource for the CSP: ${JSON.stringify(s)}`);
  return entries.join(' ');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  const src = cspSourceList(cspSource);
  const n = cspToken(nonce, 'nonce');
  return [`default-src 'none'`, `img-src ${src} data: blob:`, `style-src ${src}`, `script-src 'nonce-${n}'`, `font-src ${src}`].join('; ');
}

export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUris, title, bodyClass } = options;
  const csp = contentSecurityPolicy(cspSource, nonce);
  // Lines without indentation: the markup is data inside the minified bundle (the package test checks
  // that bundles carry no indented lines, the sign of an unminified build).
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${esc(title)}</title>`,
    ...styleUris.map((u) => `<link rel="stylesheet" href="${esc(u)}">`),
    '</head>',
    `<body${bodyClass ? ` class="${esc(bodyClass)}"` : ''}>`,
    '<div id="app" aria-busy="true"><p class="loading">Loading…</p></div>',
    `<script nonce="${esc(nonce)}" src="${esc(scriptUri)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
