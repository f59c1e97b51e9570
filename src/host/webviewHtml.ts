// STAND-IN until the `webview` branch's src/host/webviewHtml.ts is merged (same exported signatures;
// on merge conflict take theirs). Strict CSP: only this webview's own resources and one nonce'd script.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: string[];
  title: string;
  bodyClass?: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${o.styleUris.map((u) => `<link rel="stylesheet" href="${esc(u)}">`).join('\n')}
<title>${esc(o.title)}</title></head>
<body${o.bodyClass ? ` class="${esc(o.bodyClass)}"` : ''}><div id="app"></div>
<script nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script></body></html>`;
}
