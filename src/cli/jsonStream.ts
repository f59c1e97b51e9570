/**
 * Large JSON output in pieces. `tokenize --json` of a 40 MB text is ~13 M tokens: one JSON.stringify of
 * `{ ids: number[], spans: [s, e][] }` first builds 13 M small arrays and then one string of ~300 MB, which took
 * the CLI out of V8's heap. These generators write the same bytes as JSON.stringify of that object, a slice of
 * the typed arrays at a time, so memory stays at the typed arrays plus one chunk.
 */
import type { TokenizerDescription } from '../shared/embeddingTypes';

/** Values per chunk: ~0.5-1 MB of text. */
const CHUNK_VALUES = 65_536;

/** `[a,b,…]` of the values, in chunks. */
function* numberArray(values: ArrayLike<number>, chunk: number): Generator<string> {
  yield '[';
  for (let from = 0; from < values.length; from += chunk) {
    const to = Math.min(values.length, from + chunk);
    let text = from === 0 ? '' : ',';
    for (let i = from; i < to; i++) text += (i === from ? '' : ',') + values[i];
    yield text;
  }
  yield ']';
}

/** `[[s0,e0],[s1,e1],…]` of flattened `[s0, e0, s1, e1, …]` pairs, in chunks. */
function* pairArray(flat: ArrayLike<number>, chunk: number): Generator<string> {
  yield '[';
  const pairs = flat.length / 2;
  for (let from = 0; from < pairs; from += chunk) {
    const to = Math.min(pairs, from + chunk);
    let text = from === 0 ? '' : ',';
    for (let k = from; k < to; k++) text += `${k === from ? '' : ','}[${flat[2 * k]},${flat[2 * k + 1]}]`;
    yield text;
  }
  yield ']';
}

/** `{"tokenizer":{kind,name,path?,model,vocabSize},"ids":[…],"spans":[[s,e],…]}` — what `tokenize --json` prints — in chunks. */
export function* tokenizeJsonChunks(
  tokenizer: TokenizerDescription,
  ids: ArrayLike<number>,
  spans: ArrayLike<number>,
  chunk = CHUNK_VALUES,
): Generator<string> {
  if (spans.length !== 2 * ids.length) throw new RangeError(`${ids.length} ids need ${2 * ids.length} span ends, got ${spans.length}`);
  yield `{"tokenizer":${JSON.stringify(tokenizer)},"ids":`;
  yield* numberArray(ids, chunk);
  yield ',"spans":';
  yield* pairArray(spans, chunk);
  yield '}';
}
