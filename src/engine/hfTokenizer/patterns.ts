/**
 * Finding a tokenizer.json pattern (`{"String": …}` or `{"Regex": …}`) in a string: all leftmost,
 * non-overlapping matches, as Rust tokenizers' `Pattern::find_matches` does. A regex runs on the string
 * alone, so `^`, `$` and lookarounds see only it (tokenizers runs it on each split separately).
 */
import type { PatternSpec } from './configReaders';
import { compileOnigPattern } from './onigRegex';

/** Flat [start, end, start, end, …] UTF-16 offsets of every match. */
export type MatchFinder = (text: string) => number[];

export function createMatchFinder(spec: PatternSpec): MatchFinder {
  if (spec.kind === 'string') {
    const needle = spec.value;
    if (needle === '') return () => [];
    return (text) => {
      const out: number[] = [];
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) out.push(i, i + needle.length);
      return out;
    };
  }
  const re = compileOnigPattern(spec.value);
  return (text) => {
    const out: number[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      out.push(start, end);
      if (end === start) {
        // An empty match: step over one character (two units for a surrogate pair), as Oniguruma does.
        const c = text.charCodeAt(end);
        re.lastIndex = end + (c >= 0xd800 && c <= 0xdbff && end + 1 < text.length ? 2 : 1);
        if (re.lastIndex > text.length) break;
      }
    }
    return out;
  };
}
