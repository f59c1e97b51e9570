// A small source file to try Token Embeddings on code: select a line and run
// "Token Embeddings: Inspect Selection" to see how a BPE tokenizer splits identifiers.
export function createDataloader(text: string, maxLength = 4, stride = 1): number[][] {
  const ids = Array.from(text, (ch) => ch.codePointAt(0) ?? 0);
  const windows: number[][] = [];
  for (let start = 0; start + maxLength < ids.length; start += stride) {
    windows.push(ids.slice(start, start + maxLength));
  }
  return windows;
}
