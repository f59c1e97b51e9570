import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { EMPTY_TOKEN_TEXT, VISIBLE_WHITESPACE, visibleTokenText } from '../../src/shared/visibleToken';
import { displayTokenText, escapeMarkdown } from '../../src/host/hoverContent';
import { getTokenizer } from '../../src/engine/tokenizer';
import { REPO_ROOT, sourceFiles } from './helpers/sourceFiles';

test('whitespace gets its stand-in, ordinary text is kept', () => {
  assert.equal(visibleTokenText(' the'), '␣the');
  assert.equal(visibleTokenText('\n\n'), '↵↵');
  assert.equal(visibleTokenText('\tx\r'), '→x␍');
  assert.equal(visibleTokenText('a\u00a0b'), 'a⍽b');
  assert.equal(visibleTokenText('héllo 日本 🙂'), 'héllo␣日本␣🙂');
  assert.equal(visibleTokenText(''), EMPTY_TOKEN_TEXT);
});

test('invisible and control characters are written as \\u{HEX}', () => {
  assert.equal(visibleTokenText('\u0000'), '\\u{0}');
  assert.equal(visibleTokenText('\u007f\u0085'), '\\u{7F}\\u{85}');
  // Zero-width space, a bidi override (Trojan Source) and a BOM are format characters; U+2028/9 break lines.
  assert.equal(visibleTokenText('a\u200bb\u202e\ufeff'), 'a\\u{200B}b\\u{202E}\\u{FEFF}');
  assert.equal(visibleTokenText('\u2028\u2029'), '\\u{2028}\\u{2029}');
});

test("the engine's byte groups are kept verbatim, whitespace around them is not", () => {
  assert.equal(visibleTokenText('<0xF0 0x9F>'), '<0xF0 0x9F>');
  assert.equal(visibleTokenText(' <0x9F> x'), '␣<0x9F>␣x');
  // Text that merely looks like a tag is ordinary text.
  assert.equal(visibleTokenText('<0xZZ>'), '<0xZZ>');
});

test('real GPT-2 tokens: every token of a text with spaces, newlines, a tab and split emoji is visible', () => {
  const tokenizer = getTokenizer('gpt2');
  const text = ' the cat\n\n\tsat 👨‍👩‍👧 𠀀';
  const encoded = tokenizer.encode(text, { allowSpecial: false });
  const shown = tokenizer.tokenInfos(text, encoded, 0, encoded.ids.length).map((t) => visibleTokenText(t.text));
  assert.ok(shown.includes('␣the'), shown.join(' | '));
  assert.ok(
    shown.some((s) => s.includes('↵')),
    shown.join(' | '),
  );
  assert.ok(
    shown.some((s) => s.includes('→')),
    shown.join(' | '),
  );
  // GPT-2 splits the emoji's four bytes over tokens: the pieces are byte groups, never a bare U+FFFD.
  assert.ok(
    shown.some((s) => /<0x[0-9A-F]{2}/.test(s)),
    shown.join(' | '),
  );
  for (const s of shown) {
    const outsideByteGroups = s.replace(/<0x[^>]*>/g, '');
    assert.doesNotMatch(outsideByteGroups, /[ \n\t\r\uFFFD]/, `raw whitespace or U+FFFD left in ${JSON.stringify(s)}`);
  }
});

test('the hover shows the same text, escaped for markdown', () => {
  for (const text of [' always', '\n\n', '\t\r', '\u0000', '<|endoftext|>', '<0xF0 0x9F>', '']) {
    assert.equal(displayTokenText(text), escapeMarkdown(visibleTokenText(text)));
  }
  assert.equal(displayTokenText(' always'), '␣always');
  assert.equal(displayTokenText('<|endoftext|>'), '\\<\\|endoftext\\|\\>');
});

test('no other source file defines its own stand-ins (one convention)', () => {
  // `→` is left out: prose uses it as an arrow. `⏎` was the hovers' old newline.
  const stands = [...Object.values(VISIBLE_WHITESPACE), EMPTY_TOKEN_TEXT, '⏎'].filter((s) => s !== '→');
  const offenders: string[] = [];
  for (const path of sourceFiles('src', 'webview')) {
    // Comments may mention the symbols; code (string literals) may not.
    const code = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const found = stands.filter((s) => code.includes(s));
    if (found.length) offenders.push(`${relative(REPO_ROOT, path)}: ${found.join(' ')}`);
  }
  assert.deepEqual(offenders, ['src/shared/visibleToken.ts: ␣ ↵ ␍ ⍽ ∅']);
});
