/**
 * The one way token text is shown to people (hovers, both webviews, CLI text output). A token's text is
 * often only whitespace or starts with a space (GPT-2's " the"), and may hold control or invisible format
 * characters from the document, so each of those gets a visible stand-in:
 *
 *   space ␣   newline ↵   tab →   carriage return ␍   no-break space ⍽   empty token ∅
 *   any other control, format or line/paragraph separator character: \u{HEX} (e.g. \u{200B}, \u{7F})
 *
 * `␣` rather than `·`: the views already use `·` between fields ("“␣the” · id 262"). Byte runs that are not a
 * whole UTF-8 character arrive from the engine as `<0xF0 0x9F>` (tokenizer/tokenDisplay.ts) and are kept
 * verbatim, spaces included. The result is plain text: markdown callers escape it themselves.
 */

export const VISIBLE_WHITESPACE: Readonly<Record<string, string>> = { ' ': '␣', '\n': '↵', '\t': '→', '\r': '␍', '\u00a0': '⍽' };

/** Shown for a token whose text is empty (e.g. an inserted special token with no surface form). */
export const EMPTY_TOKEN_TEXT = '∅';

/** `<0xF0 0x9F>`: the engine's notation for bytes that are not a whole character. */
const BYTE_GROUP = /(<0x[0-9A-Fa-f]{2}(?: 0x[0-9A-Fa-f]{2})*>)/;

/** Characters that would be invisible or would move the text around: C0/C1 controls, format (bidi, zero-width), U+2028/2029. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export function visibleTokenText(text: string): string {
  if (text === '') return EMPTY_TOKEN_TEXT;
  return text
    .split(BYTE_GROUP)
    .map((part, i) => (i % 2 === 1 ? part : visibleChars(part)))
    .join('');
}

function visibleChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const stand = VISIBLE_WHITESPACE[ch];
    if (stand !== undefined) out += stand;
    else if (INVISIBLE.test(ch)) out += `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`;
    else out += ch;
  }
  return out;
}
