/**
 * Whole-document tokenizations kept in the worker, so hovers, the status bar and highlighting on a
 * large file cost a binary search instead of a retokenization. Pure: no Node, no `vscode`.
 *
 * Entries are keyed by document uri; an entry holds the text of exactly one version and its
 * tokenizations per (tokenizer, allowSpecial, addSpecialTokens). A new version replaces the old one. Least recently
 * used documents are evicted past a character budget, and the host then resends the text when told
 * `needText`.
 */
import type { DocumentRef } from '../shared/engineProtocol';
import type { Encoded } from './types';

/**
 * Index of the token covering UTF-16 `offset`, or -1 if none does.
 * Token ends never decrease along a text, so the first token whose end lies past `offset` is found by
 * binary search; zero-width tokens (byte fragments of a character split across tokens) are skipped,
 * and where fragments overlap the same character the first of them wins.
 */
export function tokenIndexAt(spans: Int32Array, offset: number): number {
  const n = spans.length >> 1;
  const i = firstIndex(0, n, (t) => spans[2 * t + 1] > offset);
  if (i >= n || spans[2 * i] > offset) return -1;
  return i;
}

/** `[first, end)` token indices whose spans overlap UTF-16 `[start, end)` (zero-width tokens inside count). */
export function tokensOverlapping(spans: Int32Array, start: number, end: number): [number, number] {
  const n = spans.length >> 1;
  const first = firstIndex(0, n, (t) => spans[2 * t + 1] > start);
  // first token starting at or after `end` (and not zero-width at `start` when start == end)
  const last = firstIndex(first, n, (t) => spans[2 * t] >= end);
  return [first, Math.max(first, last)];
}

/** Binary search: the first index in `[lo, hi)` where `reached` holds (false then true along the range), or `hi`. */
function firstIndex(lo: number, hi: number, reached: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (reached(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Tokenizes a document's text (may yield to the event loop). */
export type Encode = (text: string) => Encoded | Promise<Encoded>;

interface Entry {
  version: number;
  text: string;
  encodings: Map<string, Encoded>;
}

export class DocumentCache {
  /** Map iteration order doubles as recency order (oldest first). */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxChars = 64 * 1024 * 1024) {}

  /**
   * The text of `ref`'s version, storing it when `ref` carries text. `undefined` means the worker does
   * not hold that version: the caller answers `needText`.
   */
  text(ref: DocumentRef): string | undefined {
    const entry = this.entries.get(ref.uri);
    if (ref.text !== undefined) {
      if (entry && entry.version === ref.version && entry.text === ref.text) {
        this.touch(ref.uri, entry);
      } else {
        this.entries.delete(ref.uri);
        this.entries.set(ref.uri, { version: ref.version, text: ref.text, encodings: new Map() });
        this.evict(ref.uri);
      }
      return ref.text;
    }
    if (!entry || entry.version !== ref.version) return undefined;
    this.touch(ref.uri, entry);
    return entry.text;
  }

  /**
   * The tokenization of `ref`'s version, computed once per `key` (the tokenizer source and its options, see
   * EngineService). `encode` may take a while (it yields): its result is kept only if the document still has that
   * version when it is done. `undefined` means the worker does not hold that version.
   */
  async encoded(ref: DocumentRef, key: string, encode: Encode): Promise<{ text: string; encoded: Encoded } | undefined> {
    const text = this.text(ref);
    if (text === undefined) return undefined;
    const known = this.entries.get(ref.uri)!.encodings.get(key);
    if (known) return { text, encoded: known };
    const encoded = await encode(text);
    const entry = this.entries.get(ref.uri);
    if (entry && entry.version === ref.version && entry.text === text) entry.encodings.set(key, encoded);
    return { text, encoded };
  }

  release(uri: string): void {
    this.entries.delete(uri);
  }

  has(uri: string, version: number): boolean {
    return this.entries.get(uri)?.version === version;
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(uri: string, entry: Entry): void {
    this.entries.delete(uri);
    this.entries.set(uri, entry);
  }

  /** Drop least recently used documents (never `keep`) until the texts fit the budget. */
  private evict(keep: string): void {
    let total = 0;
    for (const e of this.entries.values()) total += e.text.length;
    for (const [uri, e] of this.entries) {
      if (total <= this.maxChars) break;
      if (uri === keep) continue;
      this.entries.delete(uri);
      total -= e.text.length;
    }
  }
}
