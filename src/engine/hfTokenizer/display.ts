/**
 * Each token's bytes and display text, decoded the model's way: ByteLevel alphabet → bytes (Ġ → space),
 * byte-fallback `<0xNN>` → that byte, the SentencePiece word marker ▁ → space, WordPiece's ## dropped.
 * Bytes that are not whole UTF-8 characters show as `<0xE4 0xB8>`, never a bare "�".
 */
import { displayBytes } from '../tokenizer/tokenDisplay';
import type { AddedToken } from './addedTokens';
import { byteLevelBytes } from './byteLevelAlphabet';
import { isObject, type Json } from './configReaders';
import type { Model } from './models';

const BYTE_TOKEN = /^<0x([0-9A-F]{2})>$/;
const utf8 = new TextEncoder();

/** The decoder components that matter for showing one token, found anywhere in the decoder tree. */
function decoderParts(decoder: unknown): Json[] {
  if (!isObject(decoder)) return [];
  const inner = Array.isArray(decoder.decoders) ? decoder.decoders.flatMap(decoderParts) : [];
  return [decoder, ...inner];
}

export class TokenDisplay {
  private readonly tokenOf = new Map<number, string>();
  private readonly added = new Map<number, string>();
  private readonly byteLevel: boolean;
  private readonly byteFallback: boolean;
  private readonly spaceMarker: string | null = null;
  private readonly wordPiecePrefix: string | null = null;

  constructor(decoder: unknown, preByteLevel: boolean, model: Model, added: AddedToken[]) {
    for (let i = 0; i < model.tokens.length; i++) this.tokenOf.set(model.ids[i], model.tokens[i]);
    for (const t of added) this.added.set(t.id, t.content);
    const parts = decoderParts(decoder);
    this.byteLevel = preByteLevel || parts.some((p) => p.type === 'ByteLevel');
    this.byteFallback = model.byteFallback || parts.some((p) => p.type === 'ByteFallback');
    for (const p of parts) {
      if (p.type === 'Replace' && isObject(p.pattern) && typeof p.pattern.String === 'string' && p.content === ' ') this.spaceMarker = p.pattern.String;
      if (p.type === 'Metaspace') this.spaceMarker = typeof p.replacement === 'string' ? p.replacement : '▁';
      if (p.type === 'WordPiece') this.wordPiecePrefix = typeof p.prefix === 'string' ? p.prefix : '##';
    }
    if (model.type === 'WordPiece' && this.wordPiecePrefix === null) this.wordPiecePrefix = model.continuingSubwordPrefix;
  }

  has(id: number): boolean {
    return this.added.has(id) || this.tokenOf.has(id);
  }

  /** The raw string of a token as the file spells it. */
  raw(id: number): string | undefined {
    return this.added.get(id) ?? this.tokenOf.get(id);
  }

  bytes(id: number): Uint8Array {
    const addedText = this.added.get(id);
    if (addedText !== undefined) return utf8.encode(addedText);
    const tok = this.tokenOf.get(id);
    if (tok === undefined) throw new RangeError(`token ${id} is not in this tokenizer's vocabulary`);
    if (this.byteLevel) return byteLevelBytes(tok) ?? utf8.encode(tok);
    if (this.byteFallback) {
      const m = BYTE_TOKEN.exec(tok);
      if (m) return Uint8Array.of(parseInt(m[1], 16));
    }
    let s = tok;
    if (this.spaceMarker) s = s.replaceAll(this.spaceMarker, ' ');
    if (this.wordPiecePrefix && s.startsWith(this.wordPiecePrefix) && s.length > this.wordPiecePrefix.length) s = s.slice(this.wordPiecePrefix.length);
    return utf8.encode(s);
  }

  text(id: number): string {
    const addedText = this.added.get(id);
    if (addedText !== undefined) return addedText;
    return displayBytes(this.bytes(id));
  }
}
