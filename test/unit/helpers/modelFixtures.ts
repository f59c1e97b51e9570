/**
 * Small model files with REAL tokenizers, written into a folder for tests: a nanoGPT-style GPT-2 folder (the real
 * GPT-2 tokenizer.json, 50,304-row table = 47 padding rows, learned wpe; padding row 50,300 planted on row 7's
 * direction), a Qwen 3-style RoPE folder and the same model as a .gguf (the real Qwen 3 tokenizer, 151,936 rows for
 * 151,669 ids). Tables hold seeded values, so tests compare the engine's rows with `rows`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ggmlTypeByName } from '../../../src/engine/gguf/ggmlTypes';
import { buildSafetensors, f32Bytes } from './safetensorsWriter';
import { gpt2StyleMetadata } from '../gguf/hfToGguf';
import { str, u32, f32, writeGguf } from '../gguf/ggufWriter';
import { lenmlPath, readJson } from '../hfTokenizer/support';

/** Seeded values, distinct per row (no two rows point the same way by accident). */
export function seededTable(rows: number, cols: number, seed: number): Float32Array {
  const out = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.fround((s / 2 ** 32 - 0.5) * 2);
  }
  return out;
}

export const rowOf = (t: Float32Array, r: number, cols: number): number[] => Array.from(t.subarray(r * cols, (r + 1) * cols));

export interface Gpt2Folder {
  dir: string;
  json: Record<string, unknown>;
  rows: number;
  dim: number;
  wte: Float32Array;
  wpe: Float32Array;
}

export function writeGpt2Folder(root: string, dim = 4): Gpt2Folder {
  const rows = 50304;
  const dir = join(root, 'nanogpt');
  const json = readJson(lenmlPath('gpt2'));
  const wte = seededTable(rows, dim, 1);
  for (let d = 0; d < dim; d++) wte[50300 * dim + d] = Math.fround(wte[7 * dim + d] * 3);
  const wpe = seededTable(8, dim, 2);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_embd: dim, n_positions: 8, vocab_size: rows }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  writeFileSync(
    join(dir, 'model.safetensors'),
    buildSafetensors([
      { name: 'transformer.wte.weight', dtype: 'F32', shape: [rows, dim], data: f32Bytes(wte) },
      { name: 'transformer.wpe.weight', dtype: 'F32', shape: [8, dim], data: f32Bytes(wpe) },
    ]),
  );
  return { dir, json, rows, dim, wte, wpe };
}

export interface QwenModel {
  dir: string;
  gguf: string;
  json: Record<string, unknown>;
  rows: number;
  dim: number;
  table: Float32Array;
}

export function writeQwenModel(root: string): QwenModel {
  const rows = 151936;
  const dim = 2;
  const json = readJson(lenmlPath('qwen3'));
  const table = seededTable(rows, dim, 3);
  const dir = join(root, 'qwen3');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'qwen3', hidden_size: dim, max_position_embeddings: 40960, rope_theta: 1000000 }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  writeFileSync(
    join(dir, 'model.safetensors'),
    buildSafetensors([{ name: 'model.embed_tokens.weight', dtype: 'F32', shape: [rows, dim], data: f32Bytes(table) }]),
  );
  const gguf = join(root, 'qwen3.gguf');
  writeFileSync(
    gguf,
    writeGguf({
      kvs: [
        ['general.architecture', str('qwen3')],
        ['qwen3.context_length', u32(40960)],
        ['qwen3.embedding_length', u32(dim)],
        ['qwen3.rope.freq_base', f32(1000000)],
        ...gpt2StyleMetadata(json, 'qwen2'),
      ],
      tensors: [{ name: 'token_embd.weight', dims: [dim, rows], typeId: ggmlTypeByName('F32').id, data: f32Bytes(table) }],
    }),
  );
  return { dir, gguf, json, rows, dim, table };
}
