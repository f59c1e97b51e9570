/**
 * Each token's bytes and display text, decoded the model's way: ByteLevel alphabet → bytes (Ġ → space),
 * byte-fallback `<0xNN>` → that byte, the SentencePiece word marker ▁ → space, WordPiece's ## dropped.
 * Bytes that are not whole UTF-8 characters show as `<0xE4 0xB8>`, never a bare "�".
 */
import { displayBytes } from '../tokenizer/tokenDisplay';
import { runSteps, sliceSteps } from '../steps';
import { LOAD_STEP_ENTRIES } from './leanJson';
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
  /** id → token string, built at the first encode (262k entries for Gemma: not worth paying at load). */
  private tokenMap: Map<number, string> | undefined;
  /** Special added tokens: shown as written. (Other added tokens decode like vocabulary tokens.) */
  private readonly special = new Map<number, string>();
  private readonly added = new Map<number, string>();
  private readonly byteLevel: boolean;
  private readonly byteFallback: boolean;
  private readonly spaceMarker: string | null = null;
  private readonly wordPiecePrefix: string | null = null;

  constructor(
    decoder: unknown,
    preByteLevel: boolean,
    private readonly model: Model,
    added: AddedToken[],
  ) {
    for (const t of added) (t.special ? this.special : this.added).set(t.id, t.content);
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

  private get tokenOf(): Map<number, string> {
    if (!this.tokenMap) runSteps(this.prepareSteps());
    return this.tokenMap!;
  }

  /** Builds the id → token map in steps (the tokenizer's first encode does, so its first hover finds it ready). */
  *prepareSteps(): Generator<void, void, void> {
    if (this.tokenMap) return;
    const m = new Map<number, string>();
    const { ids, tokens } = this.model;
    yield* sliceSteps(tokens.length, LOAD_STEP_ENTRIES, (from, to) => {
      for (let i = from; i < to; i++) m.set(ids[i], tokens[i]);
    });
    this.tokenMap ??= m;
  }

  has(id: number): boolean {
    return this.special.has(id) || this.added.has(id) || (this.tokenMap ? this.tokenMap.has(id) : this.model.ids.includes(id));
  }

  /** The raw string of a token as the file spells it. */
  raw(id: number): string | undefined {
    return this.special.get(id) ?? this.added.get(id) ?? this.tokenOf.get(id);
  }

  bytes(id: number): Uint8Array {
    const specialText = this.special.get(id);
    if (specialText !== undefined) return utf8.encode(specialText);
    const addedText = this.added.get(id);
    const tok = addedText ?? this.tokenOf.get(id);
    if (tok === undefined) throw new RangeError(`token ${id} is not in this tokenizer's vocabulary`);
    // An added token's content is plain text, but in a byte-level model it may be spelled in the alphabet.
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
    const specialText = this.special.get(id);
    if (specialText !== undefined) return specialText;
    return displayBytes(this.bytes(id));
  }
}
