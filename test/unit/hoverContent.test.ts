import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INSPECT_TOKEN_COMMAND,
  escapeMarkdown,
  formatBytes,
  parseInspectTokenArgs,
  renderHoverMarkdown,
  renderStripSvg,
  type HoverInput,
} from '../../src/host/hoverContent';

test('escapeMarkdown escapes every ASCII punctuation character', () => {
  assert.equal(escapeMarkdown('[x](command:evil)'), '\\[x\\]\\(command\\:evil\\)');
  assert.equal(escapeMarkdown('<img src=x>'), '\\<img src\\=x\\>');
  assert.equal(escapeMarkdown('**a** `b` _c_ # &amp; |'), '\\*\\*a\\*\\* \\`b\\` \\_c\\_ \\# \\&amp\\; \\|');
  assert.equal(escapeMarkdown('plain words 123 é'), 'plain words 123 é');
});

test('formatBytes shows hex and truncates long tokens', () => {
  assert.equal(formatBytes([0x20, 0x61, 0xf0]), '20 61 F0');
  assert.equal(
    formatBytes(
      Array.from({ length: 20 }, () => 255),
      4,
    ),
    'FF FF FF FF … (20 bytes)',
  );
});

test('renderStripSvg draws one cell per dimension, coloured by sign, opacity by magnitude', () => {
  const svg = renderStripSvg(Float32Array.from([1, -0.5, 0, NaN]), { scale: 1 });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
  assert.match(svg, /viewBox="0 0 4 1"/);
  assert.match(svg, /<path class="p" stroke-opacity="1" d="M0 .5h1"\/>/);
  assert.match(svg, /<path class="n" stroke-opacity="0.5" d="M1 .5h1"\/>/);
  assert.doesNotMatch(svg, /M2 \.5/, 'zero is left as background');
  assert.match(svg, /<path class="x" d="M3 .5h1"\/>/, 'NaN is marked');
  // values beyond the scale saturate instead of overflowing opacity
  assert.match(renderStripSvg([4], { scale: 2 }), /stroke-opacity="1"/);
});

function input(text: string): HoverInput {
  return {
    tokenizer: 'gpt2',
    documentUri: 'file:///w/the-verdict.txt',
    result: {
      status: 'ok',
      token: { id: 1464, start: 5, end: 12, bytes: [...new TextEncoder().encode(text)], text },
      index: 3,
      totalTokens: 5145,
      window: 0,
      position: 3,
      windowStart: 0,
      windowEnd: 20,
      contextLength: 4,
      dim: 3,
      tokenVector: Float32Array.from([0.5, -1, 2]),
      positionVector: Float32Array.from([-0.5, 0, 1]),
      combinedVector: Float32Array.from([0, -1, 3]),
    },
  };
}

test('hover markdown shows id, index, window position and three strips', () => {
  const md = renderHoverMarkdown(input(' always'));
  assert.match(md, /^\*\*␣always\*\* — token ID \*\*1464\*\* \(gpt2\)/);
  assert.match(md, /Bytes: 20 61 6C 77 61 79 73/);
  assert.match(md, /Token index 3 of 5,145 in this document · context window 0, position 3 \(of 4 slots\)/);
  const images = [...md.matchAll(/!\[([a-z ]+)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)];
  assert.deepEqual(
    images.map((m) => m[1]),
    ['token embedding', 'positional embedding', 'combined embedding'],
  );
  // the combined strip is drawn on the same scale (max |v| = 3) as the other two
  const combined = Buffer.from(images[2][2], 'base64').toString('utf8');
  assert.match(combined, /class="p" stroke-opacity="1" d="M2 .5h1"/);
  assert.match(combined, /class="n" stroke-opacity="0.3" d="M1 .5h1"/);
  const link = md.match(/\]\((command:[^ )]+)/)![1];
  assert.ok(link.startsWith(`command:${INSPECT_TOKEN_COMMAND}?`));
  assert.deepEqual(JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))), [{ uri: 'file:///w/the-verdict.txt', start: 0, end: 20, row: 3 }]);
});

test('a token that looks like markdown or a link stays text', () => {
  const md = renderHoverMarkdown(input('[x](command:workbench.action.quit)'));
  const firstLine = md.split('\n')[0];
  assert.match(firstLine, /^\*\*\\\[x\\\]\\\(command\\:workbench\\\.action\\\.quit\\\)\*\*/);
  // exactly one command link in the whole hover: ours
  assert.equal(md.match(/\]\(command:/g)?.length, 1);
});

test('the inspector link round-trips its arguments, and anything else is refused', () => {
  const md = renderHoverMarkdown(input('x'));
  const link = md.match(/\]\((command:[^ )]+)/)![1];
  const [args] = JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))) as unknown[];
  assert.deepEqual(parseInspectTokenArgs(args), { uri: 'file:///w/the-verdict.txt', start: 0, end: 20, row: 3 });
  assert.equal(parseInspectTokenArgs(undefined), undefined);
  assert.equal(parseInspectTokenArgs([args]), undefined);
  assert.equal(parseInspectTokenArgs({ uri: 'a', start: 5, end: 4, row: 0 }), undefined);
  assert.equal(parseInspectTokenArgs({ uri: 'a', start: 0, end: 4, row: -1 }), undefined);
  assert.equal(parseInspectTokenArgs({ uri: '', start: 0, end: 4, row: 0 }), undefined);
  assert.equal(parseInspectTokenArgs({ uri: 'a', start: '0', end: 4, row: 0 }), undefined);
});
