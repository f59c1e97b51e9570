/**
 * Added tokens (tokenizer.json `added_tokens`): found in the text before the model runs, with Rust
 * tokenizers' rules (`tokenizer/added_vocabulary.rs`): leftmost-longest matching, `single_word`,
 * `lstrip`/`rstrip` (swallow neighbouring whitespace), `normalized` (matched in normalized text against the
 * normalized content). Special tokens are skipped unless special-token text is allowed; a skipped match's
 * text stays plain text and is not searched again, exactly like the Rust matcher's non-overlapping scan.
 */
import { sliceSteps } from '../steps';
import { arr, bool, obj, str } from './configReaders';
import { invalid } from './errors';
import { MAX_TOKEN_ID } from './models';
import { rustWordRanges } from './onigRegex';
import { whiteSpaceTable } from './unicodeTables';

/** Added tokens read between two pauses of a stepped load (Gemma 3 has ~6k, each checked and keyed). */
const ADDED_TOKENS_STEP = 1024;

export interface AddedToken {
  content: string;
  id: number;
  special: boolean;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
}

/** Reads `added_tokens` in steps; ids as Rust assigns them (model vocabulary first, else the next free id). */
export function* readAddedTokens(v: unknown, modelId: (content: string) => number | undefined, modelVocabSize: number): Generator<void, AddedToken[], void> {
  if (v === undefined || v === null) return [];
  const list = arr(v, 'added_tokens');
  const byContent = new Map<string, AddedToken>();
  const seen = new Set<string>();
  let maxAdded = -1;
  const out: AddedToken[] = [];
  const read = (item: unknown, i: number): void => {
    const where = `added_tokens[${i}]`;
    const o = obj(item, where);
    const content = str(o.content, `${where}.content`);
    const fileId = o.id;
    if (typeof fileId !== 'number' || !Number.isInteger(fileId) || fileId < 0 || fileId > MAX_TOKEN_ID) {
      throw invalid(`${where}.id = ${JSON.stringify(fileId)}: ids must be integers from 0 to ${MAX_TOKEN_ID}`);
    }
    const special = bool(o.special, `${where}.special`, false);
    const t = {
      content,
      special,
      singleWord: bool(o.single_word, `${where}.single_word`, false),
      lstrip: bool(o.lstrip, `${where}.lstrip`, false),
      rstrip: bool(o.rstrip, `${where}.rstrip`, false),
      normalized: bool(o.normalized, `${where}.normalized`, !special),
    };
    const key = JSON.stringify(t);
    if (content === '' || seen.has(key)) return;
    seen.add(key);
    let id = byContent.get(content)?.id ?? modelId(content);
    if (id === undefined) {
      id = maxAdded >= 0 ? (maxAdded >= modelVocabSize || modelVocabSize === 0 ? maxAdded + 1 : modelVocabSize) : modelVocabSize;
      if (id > MAX_TOKEN_ID) throw invalid(`${where}: no id left for ${JSON.stringify(content)}`);
    }
    maxAdded = Math.max(maxAdded, id);
    const token: AddedToken = { ...t, id };
    byContent.set(content, token);
    out.push(token);
  };
  yield* sliceSteps(list.length, ADDED_TOKENS_STEP, (from, to) => {
    for (let i = from; i < to; i++) read(list[i], i);
  });
  return out;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Index into the token list of the pattern ending here. */
  token: number;
}

/** A match: tokens[token] covers [start, end) of the searched string (after lstrip/rstrip). */
export interface AddedMatch {
  start: number;
  end: number;
  token: AddedToken;
}

/** Leftmost-longest matcher over a set of patterns (a trie over UTF-16 units). */
export class AddedTokenMatcher {
  private readonly root: TrieNode = { next: new Map(), token: -1 };
  private readonly first = new Uint8Array(65536);

  private size = 0;

  private constructor(private readonly tokens: AddedToken[]) {}

  /** The matcher of `tokens`, found by `patterns` (pattern i finds tokens[i]); the trie is built in steps. */
  static *build(tokens: AddedToken[], patterns: string[]): Generator<void, AddedTokenMatcher, void> {
    const matcher = new AddedTokenMatcher(tokens);
    yield* sliceSteps(patterns.length, ADDED_TOKENS_STEP, (from, to) => {
      for (let i = from; i < to; i++) matcher.insert(patterns[i], i);
    });
    return matcher;
  }

  private insert(p: string, i: number): void {
    if (p === '') return;
    let node = this.root;
    for (let k = 0; k < p.length; k++) {
      const c = p.charCodeAt(k);
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map(), token: -1 }));
      node = child;
    }
    // Like the Rust automaton, the first of two identical patterns wins.
    if (node.token < 0) node.token = i;
    this.first[p.charCodeAt(0)] = 1;
    this.size++;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** The matches in `text`, in order and not overlapping; special tokens only when allowed. */
  find(text: string, allowSpecial: boolean): AddedMatch[] {
    const out: AddedMatch[] = [];
    if (this.size === 0 || text.length === 0) return out;
    const first = this.first;
    let startOffset = 0;
    let i = 0;
    while (i < text.length) {
      if (first[text.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      let node = this.root;
      let best = -1;
      let bestEnd = i;
      for (let k = i; k < text.length; k++) {
        const child = node.next.get(text.charCodeAt(k));
        if (!child) break;
        node = child;
        if (node.token >= 0) {
          best = node.token;
          bestEnd = k + 1;
        }
      }
      if (best < 0) {
        i++;
        continue;
      }
      const token = this.tokens[best];
      const matchEnd = bestEnd;
      let start = i;
      i = matchEnd; // the scan goes on after the match, whatever happens to it below
      if (token.special && !allowSpecial) continue;
      if (token.singleWord) {
        const startSpace = start === 0 || !isWordBefore(text, start);
        const stopSpace = matchEnd === text.length || !isWordAt(text, matchEnd);
        if (!startSpace || !stopSpace) continue;
      }
      if (token.lstrip) start = Math.max(leadingSpaceStart(text, start), startOffset);
      let stop = matchEnd;
      if (token.rstrip) stop = trailingSpaceEnd(text, stop);
      start = Math.max(start, startOffset);
      out.push({ start, end: stop, token });
      startOffset = stop;
    }
    return out;
  }
}

let wordTable: Uint8Array | undefined;

/** Rust regex \w (regex-syntax perl_word) membership of a code point. */
function isWordCodePoint(cp: number): boolean {
  if (!wordTable) {
    wordTable = new Uint8Array(0x110000);
    for (const [lo, hi] of rustWordRanges()) wordTable.fill(1, lo, hi + 1);
  }
  return wordTable[cp] === 1;
}

function isWordBefore(text: string, i: number): boolean {
  const lo = text.charCodeAt(i - 1);
  const cp = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? text.codePointAt(i - 2)! : lo;
  return isWordCodePoint(cp);
}

function isWordAt(text: string, i: number): boolean {
  return isWordCodePoint(text.codePointAt(i)!);
}

/** Start of the run of whitespace ending at `i` (Rust regex `\s*$` on text[..i]). */
function leadingSpaceStart(text: string, i: number): number {
  const ws = whiteSpaceTable();
  while (i > 0) {
    const lo = text.charCodeAt(i - 1);
    const w = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? 2 : 1;
    if (ws[text.codePointAt(i - w)!] !== 1) break;
    i -= w;
  }
  return i;
}

/** End of the run of whitespace starting at `i` (Rust regex `^\s*` on text[i..]). */
function trailingSpaceEnd(text: string, i: number): number {
  const ws = whiteSpaceTable();
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (ws[cp] !== 1) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}
