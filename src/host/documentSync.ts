/**
 * Calls the worker's whole-document methods without resending a document's text on every hover.
 * The host remembers which version of each document the worker was last given; it attaches the text
 * only when that differs, and when the worker has evicted it anyway (`needText`) it retries once with
 * the text. Pure (documents are described by uri/version/getText), so it is unit-tested with the real
 * DocumentCache behind an in-process engine.
 *
 * Documents longer than MAX_DOCUMENT_CHARS (src/shared/limits.ts) are declined before anything is sent: tokenizing a whole 40 MB
 * document takes the worker tens of seconds in one piece (it cannot answer anything else meanwhile, and a status
 * bar count would hit its time limit and restart the worker, again and again) and holds ~12 bytes per token.
 * Callers get a DocumentTooLargeError whose message says what to do instead.
 */
import type { DocumentRef, EngineMethods } from '../shared/engineProtocol';
import type { CallOptions } from '../shared/rpc';
import { MAX_DOCUMENT_CHARS } from '../shared/limits';
import type { Engine } from './engine';

export interface DocumentSnapshot {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

type DocumentMethod = 'tokenAt' | 'countTokens' | 'tokenSpans';

/** A document too long for whole-document features; the message is fit for a hover or a tooltip. */
export class DocumentTooLargeError extends Error {
  constructor(
    readonly uri: string,
    readonly chars: number,
  ) {
    super(
      `This document has ${chars.toLocaleString('en-US')} characters, more than the ${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} ` +
        'Token Embeddings tokenizes as a whole, so hover, the token count and highlighting are off for it. ' +
        'Select a part and run "Token Embeddings: Inspect Selection", or use the command line (token-embeddings tokenize --file).',
    );
    this.name = 'DocumentTooLargeError';
  }
}
type Result<K extends DocumentMethod> = Exclude<EngineMethods[K]['result'], { status: 'needText' }>;

export class DocumentSync {
  private readonly sent = new Map<string, number>();
  /** uri → [version, length] of documents declined as too large (so a hover does not read 40 MB again). */
  private readonly tooLarge = new Map<string, [number, number]>();

  constructor(private readonly engine: Engine) {}

  async call<K extends DocumentMethod>(
    method: K,
    document: DocumentSnapshot,
    params: (ref: DocumentRef) => EngineMethods[K]['params'],
    options?: CallOptions,
  ): Promise<Result<K>> {
    const declined = this.tooLarge.get(document.uri);
    if (declined?.[0] === document.version) throw new DocumentTooLargeError(document.uri, declined[1]);
    const withText = this.sent.get(document.uri) !== document.version;
    let result = await this.send(method, document, params, withText, options);
    if (result.status === 'needText' && !withText) result = await this.send(method, document, params, true, options);
    if (result.status === 'needText') throw new Error(`the engine did not keep ${document.uri} version ${document.version}`);
    return result as Result<K>;
  }

  /** The worker's copy of this document is gone (closed document, restarted worker). */
  forget(uri?: string): void {
    if (uri === undefined) {
      this.sent.clear();
      this.tooLarge.clear();
    } else {
      this.sent.delete(uri);
      this.tooLarge.delete(uri);
    }
  }

  private async send<K extends DocumentMethod>(
    method: K,
    document: DocumentSnapshot,
    params: (ref: DocumentRef) => EngineMethods[K]['params'],
    withText: boolean,
    options?: CallOptions,
  ): Promise<EngineMethods[K]['result']> {
    let ref: DocumentRef = { uri: document.uri, version: document.version };
    if (withText) {
      const text = document.getText();
      if (text.length > MAX_DOCUMENT_CHARS) {
        this.tooLarge.set(document.uri, [document.version, text.length]);
        throw new DocumentTooLargeError(document.uri, text.length);
      }
      this.tooLarge.delete(document.uri);
      ref = { ...ref, text };
    }
    if (withText) this.sent.delete(document.uri); // unknown until the worker confirms
    const result = await this.engine.call(method, params(ref), options);
    if (withText) this.sent.set(document.uri, document.version);
    return result;
  }
}
