import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../src/host/webviewHtml';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test('createNonce: 128 random bits, base64, different every time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const n = createNonce();
    assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
    assert.equal(Buffer.from(n, 'base64').length, 16);
    seen.add(n);
  }
  assert.equal(seen.size, 200);
});

test('the CSP is exactly the strict one: no inline styles, no unsafe-*, scripts by nonce only', () => {
  assert.equal(
    contentSecurityPolicy(SOURCE, 'abc123=='),
    `default-src 'none'; img-src ${SOURCE} data: blob:; style-src ${SOURCE}; script-src 'nonce-abc123=='; font-src ${SOURCE}`,
  );
  assert.throws(() => contentSecurityPolicy(`${SOURCE}; script-src *`, 'n'), /invalid cspSource/);
  assert.throws(() => contentSecurityPolicy(`'self' "x"`, 'n'), /invalid cspSource/);
  assert.throws(() => contentSecurityPolicy(' ', 'n'), /invalid cspSource/);
  // What VS Code 1.100 really passes: a source list.
  assert.match(contentSecurityPolicy(`'self' https://*.vscode-cdn.net`, 'n'), /style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
  assert.throws(() => contentSecurityPolicy(SOURCE, "n' 'unsafe-inline"), /invalid nonce/);
});

test('renderWebviewHtml: one script with the nonce, linked styles, escaped title, no inline data or styles', () => {
  const html = renderWebviewHtml({
    cspSource: SOURCE,
    nonce: 'Zm9vYmFyYmF6cXV4cXV1eA==',
    scriptUri: `${SOURCE}/ext/dist/webview/panel.js`,
    styleUris: [`${SOURCE}/ext/media/webview.css`, `${SOURCE}/ext/media/panel.css`],
    title: 'Tokens <of> "a.txt"',
    bodyClass: 'panel',
  });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src /);
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(
    html,
    /<script nonce="Zm9vYmFyYmF6cXV4cXV1eA==" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/panel\.js"><\/script>/,
  );
  assert.deepEqual(
    [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]),
    [`${SOURCE}/ext/media/webview.css`, `${SOURCE}/ext/media/panel.css`],
  );
  assert.match(html, /<title>Tokens &lt;of&gt; &quot;a\.txt&quot;<\/title>/);
  assert.match(html, /<body class="panel">/);
  assert.doesNotMatch(html, /style=|<style|unsafe-|application\/json/);
});
