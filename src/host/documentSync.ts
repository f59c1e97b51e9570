/**
 * Calls the worker's whole-document methods without resending a document's text on every hover.
 * The host remembers which version of each document the worker was last given; it attaches the text
 * only when that differs, and when the worker has evicted it anyway (`needText`) it retries once with
 * the text. Pure (documents are described by uri/version/getText), so it is unit-tested with the real
 * DocumentCache behind an in-process engine.
 */
import type { DocumentRef, EngineMethods } from '../shared/engineProtocol';
import type { CallOptions } from '../shared/rpc';
import type { Engine } from './engine';

export interface DocumentSnapshot {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

type DocumentMethod = 'tokenAt' | 'countTokens' | 'tokenSpans';
type Result<K extends DocumentMethod> = Exclude<EngineMethods[K]['result'], { status: 'needText' }>;

export class DocumentSync {
  private readonly sent = new Map<string, number>();

  constructor(private readonly engine: Engine) {}

  async call<K extends DocumentMethod>(
    method: K,
    document: DocumentSnapshot,
    params: (ref: DocumentRef) => EngineMethods[K]['params'],
    options?: CallOptions,
  ): Promise<Result<K>> {
    const withText = this.sent.get(document.uri) !== document.version;
    let result = await this.send(method, document, params, withText, options);
    if (result.status === 'needText' && !withText) result = await this.send(method, document, params, true, options);
    if (result.status === 'needText') throw new Error(`the engine did not keep ${document.uri} version ${document.version}`);
    return result as Result<K>;
  }

  /** The worker's copy of this document is gone (closed document, restarted worker). */
  forget(uri?: string): void {
    if (uri === undefined) this.sent.clear();
    else this.sent.delete(uri);
  }

  private async send<K extends DocumentMethod>(
    method: K,
    document: DocumentSnapshot,
    params: (ref: DocumentRef) => EngineMethods[K]['params'],
    withText: boolean,
    options?: CallOptions,
  ): Promise<EngineMethods[K]['result']> {
    const ref: DocumentRef = withText
      ? { uri: document.uri, version: document.version, text: document.getText() }
      : { uri: document.uri, version: document.version };
    if (withText) this.sent.delete(document.uri); // unknown until the worker confirms
    const result = await this.engine.call(method, params(ref), options);
    if (withText) this.sent.set(document.uri, document.version);
    return result;
  }
}
