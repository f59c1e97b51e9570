/**
 * Display text of a token's bytes: whole UTF-8 characters as text, every run of bytes that is not a
 * complete, valid character as `<0xF0 0x9F>` (so a token holding half an emoji never shows a bare "�").
 */
export function displayBytes(bytes: ArrayLike<number>): string {
  let out = '';
  let bad: string[] = [];
  const flush = (): void => {
    if (bad.length) out += `<${bad.join(' ')}>`;
    bad = [];
  };
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i];
    let len = 0;
    let cp = 0;
    let min = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      len = 2;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      len = 3;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      len = 4;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) {
      const b = bytes[i + k];
      if ((b & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      flush();
      out += String.fromCodePoint(cp);
      i += len;
    } else {
      bad.push(`0x${b0.toString(16).toUpperCase().padStart(2, '0')}`);
      i++;
    }
  }
  flush();
  return out;
}
