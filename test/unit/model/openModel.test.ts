// Opening Hugging Face model folders (single file, sharded, padded, tied, learned / offset / rotary positions) and
// GGUF files as models, with describeModel's summary and every refusal's message.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ggmlTypeByName } from '../../../src/engine/gguf/ggmlTypes';
import { GgufError } from '../../../src/engine/gguf';
import { describeModel, formatModelDescription, ModelError, openModel, parseModelConfig, type ModelErrorCode } from '../../../src/engine/model';
import { SafetensorsError } from '../../../src/engine/safetensors';
import { bf16Bits, buildSafetensors, f32Bytes, gridValue, u16Bytes } from '../helpers/safetensorsWriter';
import { ggmlCase } from '../gguf/fixtures';
import { str, strs, u32, f32, i32s, writeGguf } from '../gguf/ggufWriter';

const root = mkdtempSync(join(tmpdir(), 'te-model-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A tokenizer.json with `ids` BPE ids (t0, t1, …) and the given added tokens after them. */
function tokenizerJson(ids: number, added: string[] = []): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (let i = 0; i < ids - added.length; i++) vocab[`t${i}`] = i;
  return {
    version: '1.0',
    added_tokens: added.map((content, k) => ({
      id: ids - added.length + k,
      content,
      special: true,
      normalized: false,
      lstrip: false,
      rstrip: false,
      single_word: false,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', vocab, merges: [] },
  };
}

const grid = (rows: number, cols: number, shift = 0) => Array.from({ length: rows * cols }, (_, i) => gridValue(Math.floor(i / cols) + shift, i % cols));

function folder(files: Record<string, Uint8Array | string | object>): string {
  const dir = join(root, `m${n++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), content instanceof Uint8Array || typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function refuses(f: () => unknown, code: ModelErrorCode | string, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ModelError || e instanceof GgufError || e instanceof SafetensorsError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('Hugging Face folders', () => {
  test('nanoGPT-style GPT-2: padded 56-row table for 50 ids, learned wpe, described', () => {
    const dir = folder({
      'config.json': { model_type: 'gpt2', n_embd: 4, n_positions: 8, vocab_size: 56 },
      'tokenizer.json': tokenizerJson(50, ['<|endoftext|>']),
      'model.safetensors': buildSafetensors([
        { name: 'transformer.wte.weight', dtype: 'F32', shape: [56, 4], data: f32Bytes(grid(56, 4)) },
        { name: 'transformer.wpe.weight', dtype: 'F32', shape: [8, 4], data: f32Bytes(grid(8, 4, 100)) },
        { name: 'lm_head.weight', dtype: 'F32', shape: [56, 4], data: f32Bytes(grid(56, 4)) },
      ]),
    });
    const m = openModel(dir);
    assert.equal(m.tables.vocabSize, 56);
    assert.equal(m.tables.tokenizerIds, 50);
    assert.equal(m.tables.paddingRows, 6);
    assert.ok(m.tables.isPaddingRow(50) && m.tables.isPaddingRow(55) && !m.tables.isPaddingRow(49) && !m.tables.isPaddingRow(56));
    assert.deepEqual([...m.tables.tokenRows([55])], grid(56, 4).slice(55 * 4));
    assert.deepEqual([...m.tables.positionRows([7])], grid(8, 4, 100).slice(7 * 4));
    assert.equal(m.tables.contextLength, 8);
    const d = m.description;
    assert.equal(d.format, 'huggingface');
    assert.equal(d.architecture, 'gpt2');
    assert.deepEqual(d.tokenizer, { kind: 'BPE', pre: null, ids: 50, file: 'tokenizer.json' });
    assert.deepEqual(d.table, { file: 'model.safetensors', tensor: 'transformer.wte.weight', shard: null, rows: 56, paddingRows: 6, dim: 4, dtype: 'F32' });
    assert.equal(d.positions.kind, 'learned');
    assert.match(d.positions.explanation, /learned table transformer.wpe.weight \(8 rows\)/);
    const text = formatModelDescription(d);
    assert.match(text, /^Hugging Face folder: /);
    assert.match(text, /token table: transformer.wte.weight in model.safetensors, 56 × 4 F32, 6 padding rows \(50…55, never produced by the tokenizer\)/);
    assert.match(text, /output layer: tied to the token table/);
    m.tables.dispose();
  });

  test('fewer rows than ids in use are refused, naming the first id without a row', () => {
    const dir = folder({
      'config.json': { model_type: 'gpt2' },
      'tokenizer.json': tokenizerJson(12, ['<|endoftext|>']),
      'model.safetensors': buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [11, 2], data: f32Bytes(grid(11, 2)) }]),
    });
    refuses(() => openModel(dir), 'tooFewRows', /has 11 rows but the tokenizer has 12 ids: id 11 \("<\|endoftext\|>"\) would have no row/);
  });

  test('sharded Llama-style folder: only the token table’s shard is read; RoPE from config', () => {
    const rows = 10;
    const bf = (v: number[]) => u16Bytes(v.map(bf16Bits));
    const dir = folder({
      'config.json': {
        model_type: 'llama',
        hidden_size: 8,
        num_attention_heads: 2,
        max_position_embeddings: 131072,
        rope_theta: 500000,
        tie_word_embeddings: false,
        vocab_size: rows,
      },
      'tokenizer.json': tokenizerJson(rows),
      'model.safetensors.index.json': {
        metadata: { total_size: 1 },
        weight_map: {
          'model.embed_tokens.weight': 'model-00002-of-00003.safetensors',
          'model.layers.0.mlp.weight': 'model-00001-of-00003.safetensors',
          'lm_head.weight': 'model-00003-of-00003.safetensors',
        },
      },
      // The other shards are not safetensors at all: reading either would fail.
      'model-00001-of-00003.safetensors': 'not a safetensors file',
      'model-00002-of-00003.safetensors': buildSafetensors([{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [rows, 8], data: bf(grid(rows, 8)) }]),
      'model-00003-of-00003.safetensors': 'not a safetensors file either',
    });
    const m = openModel(dir);
    assert.deepEqual([...m.tables.tokenRows([9, 0])], [...grid(rows, 8).slice(72), ...grid(rows, 8).slice(0, 8)]);
    assert.deepEqual(m.description.table.shard, { number: 2, of: 3 });
    assert.match(formatModelDescription(m.description), /model.embed_tokens.weight in model-00002-of-00003.safetensors \(shard 2 of 3\), 10 × 8 BF16\n/);
    assert.equal(m.description.table.dtype, 'BF16');
    assert.deepEqual({ ...m.description.positions, explanation: undefined }, { kind: 'rope', theta: 500000, headDim: 4, rotaryDim: 4, explanation: undefined });
    assert.match(m.description.positions.explanation, /rotary.*nothing is added to the token vector/);
    assert.equal(m.description.contextLength, 131072);
    assert.equal(m.description.tiedOutput, false);
    assert.throws(() => m.tables.positionRows([0]), /no learned positional table: rotary/);
    m.tables.dispose();
  });

  test('OPT: learned positions offset by 2, position table in another shard', () => {
    const dir = folder({
      'config.json': { model_type: 'opt', hidden_size: 2, max_position_embeddings: 4 },
      'tokenizer.json': tokenizerJson(3),
      'model.safetensors.index.json': {
        weight_map: { 'model.decoder.embed_tokens.weight': 'a.safetensors', 'model.decoder.embed_positions.weight': 'b.safetensors' },
      },
      'a.safetensors': buildSafetensors([{ name: 'model.decoder.embed_tokens.weight', dtype: 'F32', shape: [3, 2], data: f32Bytes([0, 1, 2, 3, 4, 5]) }]),
      'b.safetensors': buildSafetensors([
        { name: 'model.decoder.embed_positions.weight', dtype: 'F32', shape: [6, 2], data: f32Bytes([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]) },
      ]),
    });
    const m = openModel(dir);
    assert.equal(m.tables.contextLength, 4);
    assert.deepEqual([...m.tables.positionRows([0, 3])], [14, 15, 20, 21]);
    assert.throws(() => m.tables.positionRows([4]), RangeError);
    assert.match(m.description.positions.explanation, /positions start at row 2/);
    m.tables.dispose();
  });

  test('FP8 tables: a clear unsupported-dtype error', () => {
    const dir = folder({
      'config.json': { model_type: 'deepseek_v3' },
      'tokenizer.json': tokenizerJson(2),
      'model.safetensors': buildSafetensors([{ name: 'model.embed_tokens.weight', dtype: 'F8_E4M3', shape: [2, 2], data: new Uint8Array(4) }]),
    });
    refuses(() => openModel(dir), 'unsupportedDtype', /F8_E4M3; only F32, F16, BF16, F64/);
  });

  test('ambiguous tables need a name; named tables are used', () => {
    const t = (name: string) => ({ name, dtype: 'F32', shape: [2, 2], data: f32Bytes([1, 2, 3, 4]) });
    const dir = folder({
      'config.json': {},
      'tokenizer.json': tokenizerJson(2),
      'model.safetensors': buildSafetensors([
        t('encoder.embed_tokens.weight'),
        t('decoder.embed_tokens.weight'),
        t('vision_tower.embeddings.word_embeddings.weight'),
      ]),
    });
    refuses(() => openModel(dir), 'ambiguousTokenTable', /"decoder.embed_tokens.weight", "encoder.embed_tokens.weight"/);
    const m = openModel(dir, { tokenTensor: 'decoder.embed_tokens.weight' });
    assert.equal(m.description.table.tensor, 'decoder.embed_tokens.weight');
    assert.equal(m.description.positions.kind, 'none');
    m.tables.dispose();
    refuses(() => openModel(dir, { tokenTensor: 'nope' }), 'noTokenTable', /no tensor named "nope"/);
  });

  test('missing or hostile folder parts are refused clearly', () => {
    const weights = buildSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [2, 2], data: f32Bytes([1, 2, 3, 4]) }]);
    refuses(() => openModel(folder({ 'tokenizer.json': tokenizerJson(2), 'model.safetensors': weights })), 'notAModel', /no config.json/);
    refuses(
      () => openModel(folder({ 'config.json': {}, 'tokenizer.model': 'x', 'model.safetensors': weights })),
      'noTokenizer',
      /no tokenizer.json \(it has tokenizer.model/,
    );
    refuses(
      () => openModel(folder({ 'config.json': {}, 'tokenizer.json': tokenizerJson(2), 'pytorch_model.bin': 'x' })),
      'noWeights',
      /only pytorch_model.bin: convert it to safetensors/,
    );
    refuses(
      () => openModel(folder({ 'config.json': '{"a":', 'tokenizer.json': tokenizerJson(2), 'model.safetensors': weights })),
      'invalidConfig',
      /not valid JSON/,
    );
    refuses(
      () => openModel(folder({ 'config.json': { vocab_size: -3 }, 'tokenizer.json': tokenizerJson(2), 'model.safetensors': weights })),
      'invalidConfig',
      /vocab_size .* -3/,
    );
    refuses(
      () =>
        openModel(
          folder({
            'config.json': {},
            'tokenizer.json': tokenizerJson(2),
            'model.safetensors.index.json': { weight_map: { 'wte.weight': '../../etc/passwd.safetensors' } },
          }),
        ),
      'invalidIndex',
      /not a .safetensors file in the folder/,
    );
    refuses(
      () =>
        openModel(
          folder({
            'config.json': {},
            'tokenizer.json': tokenizerJson(2),
            'model.safetensors.index.json': { weight_map: { 'wte.weight': 'gone.safetensors' } },
          }),
        ),
      'noWeights',
      /gone.safetensors, which is missing/,
    );
    refuses(
      () => openModel(folder({ 'config.json': { hidden_size: 3 }, 'tokenizer.json': tokenizerJson(2), 'model.safetensors': weights })),
      'dimMismatch',
      /hidden size 3/,
    );
    refuses(() => openModel(join(root, 'nothing-here.bin')), 'notAModel', /neither a model folder/);
  });
});

describe('config.json', () => {
  test('Gemma 3 multimodal configs keep text values in text_config; tying defaults to true', () => {
    const c = parseModelConfig(
      JSON.stringify({
        model_type: 'gemma3',
        text_config: { hidden_size: 2560, head_dim: 256, rope_theta: 1000000, max_position_embeddings: 131072, vocab_size: 262208 },
      }),
      'config.json',
    );
    assert.deepEqual(
      { h: c.hiddenSize, hd: c.headDim, t: c.ropeTheta, ctx: c.contextLength, v: c.vocabSize, tie: c.tieWordEmbeddings },
      { h: 2560, hd: 256, t: 1000000, ctx: 131072, v: 262208, tie: true },
    );
    const neox = parseModelConfig(
      JSON.stringify({ model_type: 'gpt_neox', hidden_size: 512, num_attention_heads: 8, rotary_pct: 0.25, rotary_emb_base: 10000 }),
      'c',
    );
    assert.deepEqual([neox.headDim, neox.rotaryFraction, neox.ropeTheta], [64, 0.25, 10000]);
  });
});

describe('GGUF files as models', () => {
  test('Q6_K table with a byte-level BPE tokenizer: padding, RoPE and context from metadata', () => {
    const q = ggmlCase('Q6_K'); // 3 rows × 256
    const path = join(root, 'tiny.gguf');
    writeFileSync(
      path,
      writeGguf({
        kvs: [
          ['general.architecture', str('qwen3')],
          ['qwen3.context_length', u32(40960)],
          ['qwen3.embedding_length', u32(256)],
          ['qwen3.attention.head_count', u32(2)],
          ['qwen3.rope.freq_base', f32(1000000)],
          ['tokenizer.ggml.model', str('gpt2')],
          ['tokenizer.ggml.pre', str('qwen2')],
          ['tokenizer.ggml.tokens', strs(['a', 'b'])],
          ['tokenizer.ggml.token_type', i32s([1, 1])],
          ['tokenizer.ggml.merges', strs([])],
        ],
        tensors: [{ name: 'token_embd.weight', dims: [256, 3], typeId: ggmlTypeByName('Q6_K').id, data: q.blocks }],
      }),
    );
    const d = describeModel(path);
    assert.equal(d.format, 'gguf');
    assert.equal(d.architecture, 'qwen3');
    assert.deepEqual(d.tokenizer, { kind: 'gpt2', pre: 'qwen2', ids: 2, file: 'tiny.gguf' });
    assert.deepEqual(d.table, { file: 'tiny.gguf', tensor: 'token_embd.weight', shard: null, rows: 3, paddingRows: 1, dim: 256, dtype: 'Q6_K' });
    assert.deepEqual([d.positions.kind, d.contextLength, d.tiedOutput], ['rope', 40960, true]);
    assert.equal((d.positions as { theta: number }).theta, 1000000);
    assert.equal((d.positions as { headDim: number }).headDim, 128);
    const m = openModel(path);
    assert.deepEqual(m.tables.tokenRows([2]), q.values.subarray(512));
    m.tables.dispose();
  });

  test('a GGUF table with fewer rows than tokens is refused, naming the first id without a row', () => {
    const q = ggmlCase('Q8_0'); // 4 rows × 64
    const path = join(root, 'short.gguf');
    writeFileSync(
      path,
      writeGguf({
        kvs: [
          ['tokenizer.ggml.model', str('gpt2')],
          ['tokenizer.ggml.pre', str('llama-bpe')],
          ['tokenizer.ggml.tokens', strs(['a', 'b', 'c', 'd', 'Ġe'])],
          ['tokenizer.ggml.merges', strs([])],
        ],
        tensors: [{ name: 'token_embd.weight', dims: [64, 4], typeId: ggmlTypeByName('Q8_0').id, data: q.blocks }],
      }),
    );
    refuses(() => openModel(path), 'tooFewRows', /has 4 rows but the tokenizer has 5 ids: id 4 \("Ġe"\)/);
  });
});
