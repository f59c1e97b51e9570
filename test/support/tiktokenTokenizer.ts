/**
 * TEST-ONLY stand-in for the engine's tokenizer (src/engine/tokenizer, built on another branch): an adapter
 * around the `tiktoken` WASM package, i.e. OpenAI's real encodings, so service tests run against real
 * token ids. Once the real tokenizer is merged, tests should prefer `getTokenizer` and keep this as the oracle.
 */
import { get_encoding, type Tiktoken } from 'tiktoken';
import type { EncodingName, TokenInfo } from '../../src/shared/protocol';
import type { Encoded, Tokenizer } from '../../src/engine/types';

/** Table rows each encoding needs (max token id + 1, special tokens included). */
export const VOCAB_SIZES: Record<EncodingName, number> = {
  gpt2: 50_257,
  r50k_base: 50_257,
  p50k_base: 50_281,
  cl100k_base: 100_277,
  o200k_base: 200_019,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class TiktokenTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly enc: Tiktoken;

  constructor(readonly encoding: EncodingName) {
    this.enc = get_encoding(encoding);
    this.vocabSize = VOCAB_SIZES[encoding];
  }

  encode(text: string, options: { allowSpecial: boolean }): Encoded {
    const ids = options.allowSpecial ? this.enc.encode(text, 'all') : this.enc.encode_ordinary(text);
    return { ids, spans: spansOf(text, ids, (id) => this.tokenBytes(id)) };
  }

  tokenBytes(id: number): Uint8Array {
    return this.enc.decode_single_token_bytes(id);
  }

  tokenInfos(_text: string, encoded: Encoded, from: number, to: number): TokenInfo[] {
    const out: TokenInfo[] = [];
    for (let i = from; i < to; i++) {
      const bytes = this.tokenBytes(encoded.ids[i]);
      let display: string;
      try {
        display = utf8.decode(bytes);
      } catch {
        display = `<${Array.from(bytes, (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ')}>`;
      }
      out.push({ id: encoded.ids[i], start: encoded.spans[2 * i], end: encoded.spans[2 * i + 1], bytes: Array.from(bytes), text: display });
    }
    return out;
  }
}

/** UTF-16 spans from token byte lengths: a token covers every character its bytes touch. */
function spansOf(text: string, ids: Uint32Array, bytesOf: (id: number) => Uint8Array): Int32Array {
  // byte offset -> UTF-16 offset of the character that byte belongs to
  const byteToChar: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) byteToChar.push(i);
    i += units;
  }
  const charEnd = (byte: number): number => {
    const start = byteToChar[byte];
    return start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
  };
  const spans = new Int32Array(ids.length * 2);
  let byte = 0;
  for (let t = 0; t < ids.length; t++) {
    const len = bytesOf(ids[t]).length;
    spans[2 * t] = byteToChar[byte] ?? text.length;
    spans[2 * t + 1] = len > 0 ? charEnd(byte + len - 1) : spans[2 * t];
    byte += len;
  }
  return spans;
}
