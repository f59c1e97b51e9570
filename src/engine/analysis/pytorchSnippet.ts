/**
 * "Copy as PyTorch": a self-contained Python script that rebuilds exactly what the panel shows — the same
 * seed and layer order (token layer first: both layers draw from one generator stream), or the same
 * .safetensors file and tensor names — runs the book's ch. 2 embedding pipeline on the same token IDs and prints
 * the tensors. The script carries, as comments, the output the engine expects PyTorch to print (our
 * formatTorchTensor, identical to PyTorch's repr) plus an allclose check, so a user can compare at a glance.
 *
 * Inputs follow the book: a text of at most context_length tokens is one row `(1, n)`; a longer one is cut by
 * GPTDatasetV1's sliding windows (`range(0, len(ids) - max_length, stride)`) and the first batch is shown as a
 * `(batch, context_length)` tensor — optionally built by the book's own tiktoken + create_dataloader_v1 code.
 */
import { tokenizerLabel, type EmbeddingSettings, type SourceDescription } from '../../shared/embeddingTypes';
import { createDataloaderV1 } from '../batches';
import { addEmbeddings } from '../combine';
import { positionalRows } from '../positional';
import type { EmbeddingTables } from '../types';
import { formatSize as formatTorchSize, formatTorchTensor } from '../torchFormat';
import { explainPositions } from '../model/positions';

export interface PytorchSnippetOptions {
  settings: Pick<EmbeddingSettings, 'tokenizer' | 'allowSpecial' | 'addSpecialTokens' | 'contextLength' | 'stride' | 'batchSize' | 'positional'>;
  /** The active tables' description (seed / vocab / dim, or file path and resolved tensor names). */
  source: SourceDescription;
  /** Token IDs of the whole text, in order. */
  ids: ArrayLike<number>;
  /** The active tables: when given, the script states the values the engine computed for it. */
  tables?: Pick<EmbeddingTables, 'dim' | 'tokenRows' | 'positionRows'>;
  /**
   * Also include the book's tiktoken + GPTDatasetV1 + create_dataloader_v1 code building `inputs` from the text:
   * `inline` embeds the text in the script, `file` reads it (e.g. "the-verdict.txt"). Omitted: the IDs are inlined.
   */
  text?: { kind: 'inline'; text: string } | { kind: 'file'; path: string };
}

export interface PytorchSnippet {
  code: string;
  /** Shape of `inputs` in the script: `[rows, tokensPerRow]`. */
  inputsShape: [number, number];
  /** Row-major inputs the script uses. */
  inputs: Int32Array;
  /** What the engine expects the script to compute (only with `tables`). */
  expected: {
    tokenEmbeddings: Float32Array;
    posEmbeddings: Float32Array;
    inputEmbeddings: Float32Array;
  } | null;
}

/** A Python string literal for any JS string (UTF-8 source; control characters escaped). */
export function pythonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff)
      out += `\\u${c.toString(16)}`; // lone surrogate: UTF-8 cannot hold it
    else if (c === 0x2028 || c === 0x2029 || c === 0x85) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function pyIntRows(data: Int32Array, rows: number, cols: number, indent: string): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) lines.push(`[${Array.from(data.subarray(r * cols, (r + 1) * cols)).join(', ')}]`);
  if (rows === 1) return `[${lines[0]}]`;
  return `[\n${lines.map((l) => `${indent}    ${l},`).join('\n')}\n${indent}]`;
}

function commentBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
}

/** Shortest repr that reads back as the same float32 (Python float literal). */
function pyFloat32(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) {
      const n = String(Number(s));
      return /[.e]/.test(n) ? n : `${n}.0`;
    }
  }
  return String(x);
}

const DATASET_CODE = (encodeCall: string) => `import tiktoken
from torch.utils.data import Dataset, DataLoader


class GPTDatasetV1(Dataset):
    def __init__(self, txt, tokenizer, max_length, stride):
        self.input_ids = []
        self.target_ids = []
        token_ids = ${encodeCall}
        for i in range(0, len(token_ids) - max_length, stride):
            input_chunk = token_ids[i:i + max_length]
            target_chunk = token_ids[i + 1: i + max_length + 1]
            self.input_ids.append(torch.tensor(input_chunk))
            self.target_ids.append(torch.tensor(target_chunk))

    def __len__(self):
        return len(self.input_ids)

    def __getitem__(self, idx):
        return self.input_ids[idx], self.target_ids[idx]


def create_dataloader_v1(txt, batch_size=4, max_length=256, stride=128,
                         shuffle=True, drop_last=True, num_workers=0):
    tokenizer = tiktoken.get_encoding(ENCODING)
    dataset = GPTDatasetV1(txt, tokenizer, max_length, stride)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle,
                      drop_last=drop_last, num_workers=num_workers)
`;

const SINUSOIDAL_CODE = `import math


def sinusoidal_table(max_len, d_model):
    # The usual float32 PyTorch code (PyTorch tutorial, The Annotated Transformer), as the extension computes it;
    # for an odd d_model the last column is a sine with no cosine partner.
    pe = torch.zeros(max_len, d_model)
    position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term[: d_model // 2])
    return pe
`;

/** Builds the script. Throws RangeError on inconsistent options (e.g. no tokens). */
export function generatePytorchSnippet(o: PytorchSnippetOptions): PytorchSnippet {
  const { settings, source } = o;
  // The book's tiktoken dataloader code needs a tiktoken encoding; other tokenizers get their ids inlined.
  const encoding = settings.tokenizer.kind === 'encoding' ? settings.tokenizer.encoding : null;
  const text = encoding === null ? undefined : o.text;
  const n = o.ids.length;
  if (n === 0) throw new RangeError('There are no tokens to rebuild: select some text first.');
  const dim = source.dim;
  const L = settings.contextLength;
  if (o.tables && o.tables.dim !== dim) throw new RangeError(`tables have dim ${o.tables.dim}, source says ${dim}`);
  if (source.kind === 'model' && settings.positional !== (source.positions.kind === 'learned' ? 'learned' : 'none')) {
    throw new RangeError(`a model source uses its own positions (${source.positions.kind}), not ${settings.positional}`);
  }
  if (settings.positional === 'learned' && source.kind === 'file' && source.positionTensor === null) {
    throw new RangeError(`${source.path} has no positional table; choose the sinusoidal or none scheme.`);
  }
  if (settings.positional === 'learned' && L > source.contextLength) {
    throw new RangeError(`context length ${L} exceeds the positional table's ${source.contextLength} rows`);
  }

  // The rows the script feeds: one row if the text fits, else the loader's first batch.
  let inputs: Int32Array;
  let rows: number;
  let T: number;
  const windowed = n > L;
  if (windowed) {
    const loader = createDataloaderV1(o.ids, { maxLength: L, stride: settings.stride, batchSize: settings.batchSize, dropLast: false });
    const first = loader.batch(0);
    inputs = first.inputs;
    rows = first.rows;
    T = L;
  } else {
    inputs = Int32Array.from(o.ids as ArrayLike<number>);
    rows = 1;
    T = n;
  }

  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    '# Rebuilds the Token Embeddings view in PyTorch (Build a Large Language Model from Scratch, ch. 2).',
    `# Tokenizer ${tokenizerLabel(settings.tokenizer)}, ${dim}-dim embeddings, context length ${L}, positional: ${settings.positional}.`,
    source.kind === 'random'
      ? '# Needs: pip install torch' + (text ? ' tiktoken' : '')
      : source.kind === 'file'
        ? '# Needs: pip install torch safetensors' + (text ? ' tiktoken' : '')
        : '# Needs: pip install torch numpy (and tokenizers to recompute the token IDs)',
    'import torch',
  );
  if (text && encoding) push(`ENCODING = ${pythonString(encoding)}`, '');
  push('torch.set_printoptions(precision=4)', '');

  // ── the token IDs ──
  if (text && windowed) {
    const encodeCall = settings.allowSpecial
      ? 'tokenizer.encode(txt, allowed_special="all")'
      : 'tokenizer.encode(txt, disallowed_special=())  # special-token text stays plain text';
    push(DATASET_CODE(encodeCall));
    if (text.kind === 'file') {
      push(`with open(${pythonString(text.path)}, "r", encoding="utf-8") as f:`, '    raw_text = f.read()');
    } else {
      push(`raw_text = ${pythonString(text.text)}`);
    }
    push(
      '',
      `max_length = ${L}`,
      `dataloader = create_dataloader_v1(raw_text, batch_size=${rows}, max_length=max_length,`,
      `                                  stride=${settings.stride}, shuffle=False)`,
      'data_iter = iter(dataloader)',
      'inputs, targets = next(data_iter)',
      `# expected: the IDs below (first batch, ${rows} window${rows === 1 ? '' : 's'} of ${L} tokens)`,
      commentBlock(formatTorchTensor(inputs, [rows, T], { dtype: 'int64' })),
    );
  } else {
    if (windowed) {
      push(
        `# The text has ${n} tokens > context length ${L}: like the book's create_dataloader_v1`,
        `# (max_length=${L}, stride=${settings.stride}, shuffle=False) we take its first batch of windows.`,
      );
    } else if (text) {
      push(`# The text has ${n} tokens, at most the context length ${L}: it is one sequence (the book's`, '# dataloader would make no window from it).');
    }
    push(`inputs = torch.tensor(${pyIntRows(inputs, rows, T, '')})`);
  }
  push('print("Token IDs:\\n", inputs)', 'print("\\nInputs shape:\\n", inputs.shape)', `# expected: ${formatTorchSize([rows, T])}`, '');
  if (source.kind === 'model') push(...modelIdsCheck(source, settings, o));

  // ── the layers ──
  if (source.kind === 'random') {
    push(
      `vocab_size = ${source.vocabSize}`,
      `output_dim = ${dim}`,
      `context_length = ${settings.positional === 'learned' ? source.contextLength : L}`,
      '',
      `torch.manual_seed(${source.seed})`,
      '# Order matters: both layers draw from the same generator, the token table first.',
      'token_embedding_layer = torch.nn.Embedding(vocab_size, output_dim)',
    );
    if (settings.positional === 'learned') push('pos_embedding_layer = torch.nn.Embedding(context_length, output_dim)');
  } else if (source.kind === 'model') {
    push(...modelLayers(source, inputs, o.tables));
  } else {
    push(
      'from safetensors.torch import load_file',
      '',
      `weights = load_file(${pythonString(source.path)})`,
      `# stored as ${source.dtype}; the extension shows float32, as .float() gives`,
      `token_embedding_layer = torch.nn.Embedding.from_pretrained(weights[${pythonString(source.tokenTensor)}].float(), freeze=False)`,
    );
    if (settings.positional === 'learned') {
      push(`pos_embedding_layer = torch.nn.Embedding.from_pretrained(weights[${pythonString(source.positionTensor!)}].float(), freeze=False)`);
    }
    push(`context_length = ${L}`);
  }
  push('');

  // ── embeddings ──
  // With the dataloader code the window length is the variable max_length; otherwise the literal row length.
  const posArg = windowed && text ? 'max_length' : String(T);
  push('token_embeddings = token_embedding_layer(inputs)', 'print(token_embeddings.shape)', `# expected: ${formatTorchSize([rows, T, dim])}`);
  switch (settings.positional) {
    case 'learned':
      // A model's learned table may start at a row offset (OPT: 2).
      push(
        `pos_embeddings = pos_embedding_layer(torch.arange(${posArg})${source.kind === 'model' && source.positions.kind === 'learned' && source.positions.offset ? ` + ${source.positions.offset}` : ''})`,
      );
      break;
    case 'sinusoidal':
      push('', SINUSOIDAL_CODE, `pos_embeddings = sinusoidal_table(${posArg}, ${dim})`);
      break;
    case 'none':
      push(
        `pos_embeddings = torch.zeros(inputs.shape[1], token_embeddings.shape[-1])  # ${source.kind === 'model' ? explainPositions(source.positions) : 'no positional information'}`,
      );
      break;
  }
  push(
    'print(pos_embeddings.shape)',
    `# expected: ${formatTorchSize([T, dim])}`,
    '',
    'input_embeddings = token_embeddings + pos_embeddings',
    'print(input_embeddings.shape)',
    `# expected: ${formatTorchSize([rows, T, dim])}`,
    '',
  );

  // ── expected values ──
  let expected: PytorchSnippet['expected'] = null;
  push('print(token_embeddings)', 'print(pos_embeddings)', 'print(input_embeddings)');
  if (o.tables) {
    const tokenEmbeddings = o.tables.tokenRows(inputs);
    const slots = Int32Array.from({ length: T }, (_, i) => i);
    const posEmbeddings = positionalRows(settings.positional, o.tables, slots);
    const inputEmbeddings = addEmbeddings(tokenEmbeddings, posEmbeddings);
    expected = { tokenEmbeddings, posEmbeddings, inputEmbeddings };
    const posGrad = settings.positional === 'learned' ? 'EmbeddingBackward0' : undefined;
    push(
      '',
      "# What the extension computed — PyTorch should print exactly this (PyTorch's vectorised and scalar CPU",
      '# kernels differ by up to ~2e-6, which can flip a last printed digit):',
      '# print(token_embeddings)',
      commentBlock(formatTorchTensor(tokenEmbeddings, [rows, T, dim], { gradFn: 'EmbeddingBackward0' })),
      '# print(pos_embeddings)',
      commentBlock(formatTorchTensor(posEmbeddings, [T, dim], { gradFn: posGrad })),
      '# print(input_embeddings)',
      commentBlock(formatTorchTensor(inputEmbeddings, [rows, T, dim], { gradFn: 'AddBackward0' })),
      '',
    );
    const k = Math.min(dim, 8);
    const firstRow = Array.from(inputEmbeddings.subarray(0, k), pyFloat32).join(', ');
    push(
      `# First ${k} values of input_embeddings[0, 0] as the extension computed them:`,
      `expected_first_row = torch.tensor([${firstRow}])`,
      `print("matches the extension:", torch.allclose(input_embeddings[0, 0, :${k}], expected_first_row, atol=1e-5))`,
      '# expected: matches the extension: True',
    );
  }
  return { code: lines.join('\n') + '\n', inputsShape: [rows, T], inputs, expected };
}

type ModelSource = Extract<SourceDescription, { kind: 'model' }>;

/**
 * Reads one tensor of a .safetensors file with json + numpy: Debian packages no python3-safetensors, and the format
 * is simple (an 8-byte header length, a JSON header with dtype, shape and data_offsets, raw little-endian data).
 */
const LOAD_TENSOR_CODE = `import json, os
import numpy as np


def load_tensor(path, name):
    # What safetensors.safe_open(path, "pt").get_tensor(name).float() gives, with json + numpy only.
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        info = json.loads(f.read(n))[name]
        start, end = info["data_offsets"]
        f.seek(8 + n + start)
        raw = f.read(end - start)
    if info["dtype"] == "BF16":
        values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
    else:
        values = np.frombuffer(raw, dtype={"F32": "<f4", "F16": "<f2", "F64": "<f8"}[info["dtype"]]).astype(np.float32)
    return torch.from_numpy(values.reshape(info["shape"]).copy())
`;

/** A model's ids, recomputed with Hugging Face's tokenizers (when installed) from the model's own tokenizer.json. */
function modelIdsCheck(source: ModelSource, settings: PytorchSnippetOptions['settings'], o: PytorchSnippetOptions): string[] {
  if (source.format === 'gguf')
    return ["# The token IDs come from the GGUF file's own vocabulary (tokenizer.ggml.*), as the extension tokenized the text.", ''];
  const text = o.text;
  if (!text) return [];
  const first = Array.from({ length: Math.min(o.ids.length, 64) }, (_, i) => o.ids[i]);
  return [
    'import os',
    text.kind === 'file' ? `raw_text = open(${pythonString(text.path)}, encoding="utf-8").read()` : `raw_text = ${pythonString(text.text)}`,
    'try:',
    '    from tokenizers import Tokenizer',
    '',
    `    tokenizer = Tokenizer.from_file(os.path.join(${pythonString(source.path)}, "tokenizer.json"))`,
    `    tokenizer.encode_special_tokens = ${settings.allowSpecial ? 'False' : 'True  # special-token text stays plain text'}`,
    `    ids = tokenizer.encode(raw_text, add_special_tokens=${settings.addSpecialTokens ? 'True' : 'False'}).ids`,
    `    print("tokenizers gives the same IDs:", ids[:${first.length}] == [${first.join(', ')}])`,
    'except ImportError:',
    '    print("(pip install tokenizers to recompute the IDs from tokenizer.json)")',
    '',
  ];
}

/**
 * The layers of a model source: its token table (and learned position table) read from the same files, or — for a
 * GGUF file, which PyTorch cannot read — the dequantized rows the extension used, embedded in the script.
 */
function modelLayers(source: ModelSource, inputs: Int32Array, tables: PytorchSnippetOptions['tables']): string[] {
  if (source.format === 'gguf') {
    if (!tables) throw new RangeError('a GGUF source needs its tables to embed the rows');
    const used = [...new Set(Array.from(inputs))].sort((a, b) => a - b);
    const values = tables.tokenRows(used);
    const dim = source.dim;
    return [
      `# PyTorch cannot read a .gguf file (${source.path}). These are the rows of ${source.tokenTensor} (${source.dtype}) the`,
      '# extension dequantized exactly as ggml does, as float32, for the token IDs used here.',
      `used_ids = [${used.join(', ')}]`,
      'used_rows = torch.nn.Parameter(torch.tensor([',
      ...used.map((_, i) => `    [${Array.from(values.subarray(i * dim, (i + 1) * dim), pyFloat32).join(', ')}],`),
      ']))',
      'row_of = {token_id: i for i, token_id in enumerate(used_ids)}',
      '',
      '',
      'class GgufRows(torch.nn.Module):',
      '    # Looks up the embedded rows the way nn.Embedding looks up its table.',
      '    def forward(self, ids):',
      '        return torch.nn.functional.embedding(torch.tensor([[row_of[int(t)] for t in row] for row in ids]), used_rows)',
      '',
      '',
      'token_embedding_layer = GgufRows()',
    ];
  }
  const file = (name: string) => `os.path.join(MODEL, ${pythonString(name)})`;
  const lines = [
    LOAD_TENSOR_CODE,
    `MODEL = ${pythonString(source.path)}`,
    `# ${source.tokenTensor} in ${source.file}${source.shard ? ` (shard ${source.shard.number} of ${source.shard.of})` : ''}, stored as ${source.dtype}; the extension shows float32.`,
    `token_embedding_layer = torch.nn.Embedding.from_pretrained(load_tensor(${file(source.file)}, ${pythonString(source.tokenTensor)}), freeze=False)`,
  ];
  if (source.positions.kind === 'learned') {
    lines.push(
      `pos_embedding_layer = torch.nn.Embedding.from_pretrained(load_tensor(${file(source.positions.file)}, ${pythonString(source.positions.tensor)}), freeze=False)`,
    );
  }
  return lines;
}
