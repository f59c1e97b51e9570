import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePanelMessage, parseSidebarMessage, parseWebviewMessage } from '../../src/host/webviewMessages';
// (host-side validation of webview → host messages; the webview's own parser is tested in webview/messages.test.ts)

const ok = (raw: unknown) => {
  const r = parseWebviewMessage(raw);
  assert.ok(r.ok, `expected valid: ${JSON.stringify(raw)} → ${r.ok ? '' : r.error}`);
  return r.message;
};
const bad = (raw: unknown, pattern: RegExp) => {
  const r = parseWebviewMessage(raw);
  assert.ok(!r.ok, `expected invalid: ${JSON.stringify(raw)}`);
  assert.match(r.error, pattern);
};

test('simple messages', () => {
  assert.deepEqual(ok({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(ok({ type: 'cancelInspection' }), { type: 'cancelInspection' });
  assert.deepEqual(ok({ type: 'cancel', id: 4 }), { type: 'cancel', id: 4 });
  bad({ type: 'cancel' }, /cancel: id must be a positive integer/);
  assert.deepEqual(ok({ type: 'openPanel' }), { type: 'openPanel' });
  bad({ type: 'ready', extra: 1 }, /unexpected field\(s\) extra/);
});

test('not objects, unknown types', () => {
  bad(null, /must be an object/);
  bad('ready', /must be an object/);
  bad([{ type: 'ready' }], /must be an object/);
  bad({ type: 'runCommand' }, /unknown message type "runCommand"/);
  bad({}, /unknown message type undefined/);
});

test('revealToken needs ordered non-negative integer offsets', () => {
  assert.deepEqual(ok({ type: 'revealToken', start: 3, end: 7 }), { type: 'revealToken', start: 3, end: 7 });
  assert.deepEqual(ok({ type: 'revealToken', start: 3, end: 3 }), { type: 'revealToken', start: 3, end: 3 });
  bad({ type: 'revealToken', start: 7, end: 3 }, /start ≤ end/);
  bad({ type: 'revealToken', start: -1, end: 3 }, /start ≤ end/);
  bad({ type: 'revealToken', start: 1.5, end: 3 }, /integers/);
  bad({ type: 'revealToken', start: '1', end: 3 }, /integers/);
  bad({ type: 'revealToken', start: 0, end: 2 ** 31 }, /integers/);
});

test('selectRow and page', () => {
  assert.deepEqual(ok({ type: 'selectRow', row: null }), { type: 'selectRow', row: null });
  assert.deepEqual(ok({ type: 'selectRow', row: 0 }), { type: 'selectRow', row: 0 });
  bad({ type: 'selectRow' }, /row must be null or/);
  bad({ type: 'selectRow', row: -2 }, /row must be null or/);
  assert.deepEqual(ok({ type: 'page', firstToken: 512 }), { type: 'page', firstToken: 512 });
  bad({ type: 'page', firstToken: NaN }, /firstToken/);
  bad({ type: 'page', firstToken: Infinity }, /firstToken/);
});

test('changeSettings validates every field and refuses unknown ones', () => {
  assert.deepEqual(ok({ type: 'changeSettings', settings: {} }), { type: 'changeSettings', settings: {} });
  assert.deepEqual(
    ok({
      type: 'changeSettings',
      settings: {
        tokenizer: { kind: 'encoding', encoding: 'o200k_base' },
        allowSpecial: true,
        dim: 3,
        contextLength: 6,
        stride: 1,
        batchSize: 2,
        positional: 'none',
      },
    }),
    {
      type: 'changeSettings',
      settings: {
        tokenizer: { kind: 'encoding', encoding: 'o200k_base' },
        allowSpecial: true,
        dim: 3,
        contextLength: 6,
        stride: 1,
        batchSize: 2,
        positional: 'none',
      },
    },
  );
  bad({ type: 'changeSettings' }, /settings must be an object/);
  bad({ type: 'changeSettings', settings: { weights: { kind: 'file', path: '/etc/passwd' } } }, /unexpected field\(s\) weights/);
  bad({ type: 'changeSettings', settings: { encoding: 'cl200k' } }, /encoding/);
  bad({ type: 'changeSettings', settings: { allowSpecial: 'true' } }, /allowSpecial/);
  bad({ type: 'changeSettings', settings: { dim: 4097 } }, /dim must be an integer from 1 to 4096/);
  bad({ type: 'changeSettings', settings: { contextLength: 0 } }, /contextLength/);
  bad({ type: 'changeSettings', settings: { stride: 2.5 } }, /stride/);
  bad({ type: 'changeSettings', settings: { batchSize: null } }, /batchSize/);
  bad({ type: 'changeSettings', settings: { positional: 'rotary' } }, /positional/);
  bad({ type: 'changeSettings', settings: { seed: '1' } }, /unexpected field\(s\) seed/);
});

test('changeSeed takes a canonical decimal string up to 2^64−1', () => {
  assert.deepEqual(ok({ type: 'changeSeed', seed: '0042' }), { type: 'changeSeed', seed: '42' });
  assert.deepEqual(ok({ type: 'changeSeed', seed: '18446744073709551615' }), { type: 'changeSeed', seed: '18446744073709551615' });
  bad({ type: 'changeSeed', seed: 123 }, /seed must be a decimal string/);
  bad({ type: 'changeSeed', seed: '18446744073709551616' }, /seed must be/);
  bad({ type: 'changeSeed', seed: '-1' }, /seed must be/);
  bad({ type: 'changeSeed' }, /seed must be/);
});

test('cspViolation strings are bounded', () => {
  const m = ok({ type: 'cspViolation', directive: 'script-src', blockedUri: 'x'.repeat(5000) });
  assert.equal(m.type, 'cspViolation');
  if (m.type === 'cspViolation') assert.equal(m.blockedUri.length, 2000);
  bad({ type: 'cspViolation', directive: 1, blockedUri: '' }, /must be strings/);
});

test('each view may post only its own message types', () => {
  for (const type of ['ready', 'selectRow', 'revealToken', 'cspViolation']) {
    const raw = {
      type,
      ...(type === 'selectRow'
        ? { row: 0 }
        : type === 'revealToken'
          ? { start: 0, end: 1 }
          : type === 'cspViolation'
            ? { directive: 'd', blockedUri: 'u' }
            : {}),
    };
    assert.ok(parsePanelMessage(raw).ok, `panel ${type}`);
    assert.ok(parseSidebarMessage(raw).ok, `sidebar ${type}`);
  }
  assert.ok(parseSidebarMessage({ type: 'openPanel' }).ok);
  const panelOnly = parseSidebarMessage({ type: 'loadWeights' });
  assert.ok(!panelOnly.ok && /loadWeights: not a message the side view posts/.test(panelOnly.error));
  for (const type of ['useRandomInit', 'copyPytorch', 'cancel']) assert.ok(!parseSidebarMessage({ type }).ok, type);
  const sidebarOnly = parsePanelMessage({ type: 'openPanel' });
  assert.ok(!sidebarOnly.ok && /openPanel: not a message the inspector panel posts/.test(sidebarOnly.error));
  // Field errors are still reported as such, not as the wrong view.
  const malformed = parseSidebarMessage({ type: 'selectRow', row: -1 });
  assert.ok(!malformed.ok && /row must be null or a non-negative integer/.test(malformed.error));
});
