/**
 * GPT-2's byte ↔ printable-character alphabet (`bytes_to_unicode`), used by ByteLevel vocabularies:
 * printable Latin-1 bytes stand for themselves, the other 68 bytes for U+0100… in order (space → Ġ).
 */
export const BYTE_TO_CHAR: string[] = [];
/** Code point → byte value, −1 for characters outside the alphabet. */
export const CHAR_TO_BYTE = new Int16Array(0x144).fill(-1);

{
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    const cp = printable ? b : 0x100 + extra++;
    BYTE_TO_CHAR[b] = String.fromCharCode(cp);
    CHAR_TO_BYTE[cp] = b;
  }
}

/** Bytes of a ByteLevel token string, or null if it holds a character outside the alphabet. */
export function byteLevelBytes(token: string): Uint8Array | null {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const b = c < 0x144 ? CHAR_TO_BYTE[c] : -1;
    if (b < 0) return null;
    out[i] = b;
  }
  return out;
}
