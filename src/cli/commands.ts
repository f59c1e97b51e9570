/**
 * The CLI's commands (tokenize, weights, inspect, neighbors, tensors, model, export: the `commands` table below).
 * They run the same EngineService as the worker, in-process:
 * the CLI is headless, so there is no UI thread to protect. `runCli` returns the exit code and never throws.
 */
import {
  ENCODINGS,
  POSITIONAL_SCHEMES,
  tokenizerLabel,
  type EmbeddingSettings,
  type EncodingName,
  type PositionalScheme,
  type WeightsSource,
} from '../shared/embeddingTypes';
import type { RowsResult } from '../shared/engineProtocol';
import { SETTING_LIMITS } from '../shared/limits';
import { RpcError } from '../shared/rpc';
import type { EngineService } from '../engine/service';
import { UsageError, helpText, parseFlags, type FlagSpec, type FlagValues } from './args';
import { formatParameter, formatSize, formatTensor, tensorView, type TensorView } from '../engine/torchFormat';
import { exportCommand, exportFlags } from './exportCommand';
import { modelCommand, splitModelPath } from './modelCommand';
import { tokenizeJsonChunks } from './jsonStream';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array;
  /** Writes a file (`-`: standard output); used by `export`. */
  writeFile(path: string, bytes: Uint8Array): void;
}

const PROGRAM = 'token-embeddings';
/** Above this many values a table is only printed in JSON when rows are picked (it would be hundreds of MB). */
const JSON_TABLE_LIMIT = 1_000_000;

const textFlags: Record<string, FlagSpec> = {
  text: { kind: 'string', meta: 'S', help: 'the text to read (use --text=S if S starts with --)' },
  file: { kind: 'string', meta: 'F', help: 'read the text from this UTF-8 file (- reads standard input)' },
};
const encodingFlag: FlagSpec = { kind: 'string', choices: ENCODINGS, meta: 'NAME', help: 'BPE encoding', default: 'gpt2' };
const jsonFlag: FlagSpec = { kind: 'bool', help: 'print JSON instead of a table' };
const helpFlag: FlagSpec = { kind: 'bool', help: 'show this help' };
const positionalFlag: FlagSpec = { kind: 'string', choices: POSITIONAL_SCHEMES, meta: 'KIND', help: 'positional embeddings', default: 'learned' };
const weightsFlags: Record<string, FlagSpec> = {
  weights: { kind: 'string', meta: 'FILE', help: 'read learned tables from this local .safetensors file instead of a random init' },
  'token-tensor': { kind: 'string', meta: 'NAME', help: 'token table tensor in --weights', default: 'detected (wte.weight, …)' },
  'position-tensor': { kind: 'string', meta: 'NAME', help: 'positional table tensor in --weights', default: 'detected (wpe.weight, …)' },
};

/** The settings of the book's sliding-window pipeline: one table for every command that runs it (inspect, export). */
const loaderFlags: Record<string, FlagSpec> = {
  encoding: encodingFlag,
  'allow-special': { kind: 'bool', help: 'read <|endoftext|> etc. as special tokens' },
  dim: { kind: 'int', meta: 'D', help: `embedding dimension (${SETTING_LIMITS.dim.min}-${SETTING_LIMITS.dim.max})`, default: '256' },
  seed: { kind: 'seed', meta: 'S', help: 'torch.manual_seed value', default: '123' },
  'context-length': { kind: 'int', meta: 'C', help: 'max_length of each input window', default: '4' },
  stride: { kind: 'int', meta: 'N', help: 'tokens between window starts', default: '4' },
  'batch-size': { kind: 'int', meta: 'B', help: 'windows per batch', default: '8' },
  positional: positionalFlag,
};

const commands = {
  tokenize: {
    usage: `${PROGRAM} tokenize (--text S | --file F) [--encoding gpt2] [--allow-special] [--json]`,
    description: 'BPE token ids of a text, with the [start, end) UTF-16 span of each token.',
    flags: {
      ...textFlags,
      encoding: encodingFlag,
      'allow-special': { kind: 'bool', help: 'read <|endoftext|> etc. as special tokens, not as plain text' },
      json: jsonFlag,
      help: helpFlag,
    },
  },
  weights: {
    usage:
      `${PROGRAM} weights [--seed 123] [--vocab V] [--dim 256] [--context-length 4] [--rows 1,2] [--pos-rows 0,1] [--json]\n` +
      `       ${PROGRAM} weights --weights FILE [--token-tensor NAME] [--position-tensor NAME] [--rows 1,2] [--pos-rows 0,1] [--json]`,
    description:
      'Rows of the token and positional embedding tables exactly as torch.manual_seed(seed); nn.Embedding(vocab, dim);\n' +
      'nn.Embedding(context_length, dim) initialise them, or as stored in a .safetensors file (--weights).\n' +
      'Each table prints all its rows unless rows are picked. Without --json the tables print the way PyTorch prints them.',
    flags: {
      ...weightsFlags,
      seed: { kind: 'seed', meta: 'S', help: 'torch.manual_seed value, 0 to 2^64-1', default: '123' },
      vocab: { kind: 'int', meta: 'V', help: 'token table rows', default: "the encoding's vocabulary size" },
      encoding: { ...encodingFlag, help: 'encoding whose vocabulary size is the default --vocab' },
      dim: { kind: 'int', meta: 'D', help: 'embedding dimension (1-4096)', default: '256' },
      'context-length': { kind: 'int', meta: 'C', help: 'positional table rows', default: '4' },
      positional: positionalFlag,
      rows: { kind: 'intList', meta: 'R,R,…', help: 'token table rows to print' },
      'pos-rows': { kind: 'intList', meta: 'R,R,…', help: 'positional table rows to print' },
      json: jsonFlag,
      help: helpFlag,
    },
  },
  inspect: {
    usage: `${PROGRAM} inspect (--text S | --file F) [--encoding gpt2] [--dim 256] [--seed 123] [--context-length 4] [--stride 4] [--batch-size 8] [--positional learned] [--vectors] [--json]`,
    description:
      "The book's chapter 2 pipeline on a text: token ids, the first batch of create_dataloader_v1(text, batch_size,\n" +
      'max_length=context_length, stride, shuffle=False) (drop_last=False: a short text gives a smaller batch) and\n' +
      'the shapes of its embeddings; --vectors adds the token, positional and input embedding tensors.',
    flags: {
      ...textFlags,
      ...loaderFlags,
      vectors: { kind: 'bool', help: 'include tokenEmbeddings, posEmbeddings and inputEmbeddings' },
      json: jsonFlag,
      help: helpFlag,
    },
  },
  neighbors: {
    usage: `${PROGRAM} neighbors (--weights FILE | --seed S) --id N [--k 10] [--encoding gpt2] [--dim 256] [--json]`,
    description:
      'The k tokens whose embeddings are closest to token N by cosine similarity (the token itself excluded),\n' +
      'scanning the whole token table of a .safetensors file (--weights) or of the random init (--seed).',
    flags: {
      ...weightsFlags,
      seed: { kind: 'seed', meta: 'S', help: 'torch.manual_seed value of a random table', default: '123' },
      id: { kind: 'int', meta: 'N', help: 'token id to find neighbours of' },
      k: { kind: 'int', meta: 'K', help: 'how many neighbours (1-1000)', default: '10' },
      encoding: { ...encodingFlag, help: 'encoding of the token ids (and the vocabulary size)' },
      dim: { kind: 'int', meta: 'D', help: 'embedding dimension of a random table', default: '256' },
      json: jsonFlag,
      help: helpFlag,
    },
  },
  tensors: {
    usage: `${PROGRAM} tensors --weights FILE [--json]`,
    description:
      'The 2-D tensors of a .safetensors file (only its header is read): candidates for --token-tensor and\n' +
      '--position-tensor, and which ones would be picked automatically.',
    flags: {
      weights: weightsFlags.weights,
      json: jsonFlag,
      help: helpFlag,
    },
  },
  model: {
    usage: `${PROGRAM} model PATH [--json]`,
    description:
      'What a Hugging Face model folder (config.json, tokenizer.json, *.safetensors) or a .gguf file holds, as the\n' +
      'extension uses it: architecture, tokenizer, token table (file, tensor, shard, rows, padding rows, dim, dtype or\n' +
      'quantization), positional scheme and context length. Reads headers only.',
    flags: {
      model: { kind: 'string', meta: 'PATH', help: 'model folder or .gguf file (or give PATH first)' },
      json: jsonFlag,
      help: helpFlag,
    },
  },
  export: {
    usage: `${PROGRAM} export (--text S | --file F) --out FILE [--what input|token|positional|inputs|ids] [--format csv|json|npy] [inspect's flags]`,
    description:
      'Writes the first sliding-window batch that inspect shows to a file: input_embeddings (default), token_embeddings\n' +
      "(batch, context, dim), pos_embeddings (context, dim) or the batch's token IDs (inputs); or every token of the text\n" +
      'with its span (ids). CSV (one row per token, index,id,token columns; token texts guarded against spreadsheet\n' +
      'formulas), JSON (nested arrays, shortest exact float32 decimals) or NumPy .npy (np.load gives float32/int64).',
    flags: {
      ...textFlags,
      ...exportFlags,
      ...loaderFlags,
      help: helpFlag,
    },
  },
} satisfies Record<string, { usage: string; description: string; flags: Record<string, FlagSpec> }>;

type CommandName = keyof typeof commands;

/** Engine messages name protocol fields; CLI users know the flags. */
const FLAG_OF_FIELD: Record<string, string> = {
  dim: '--dim',
  contextLength: '--context-length',
  stride: '--stride',
  batchSize: '--batch-size',
  seed: '--seed',
  vocabSize: '--vocab',
  tokenRows: '--rows',
  positionRows: '--pos-rows',
  id: '--id',
  k: '--k',
};
const ENGINE_FIELD = /^(dim|contextLength|stride|batchSize|seed|vocabSize|tokenRows|positionRows|id|k)\b/;

function mainHelp(): string {
  return [
    `usage: ${PROGRAM} <command> [flags]`,
    '',
    'See what the first layer of a GPT-style model makes of a text: BPE token ids, PyTorch-exact embedding rows, batches.',
    '',
    'commands:',
    '  tokenize   token ids and spans of a text',
    '  weights    rows of the token / positional embedding tables (PyTorch initialisation)',
    '  inspect    first sliding-window batch and its embeddings',
    '  neighbors  nearest tokens by cosine similarity of their embeddings',
    '  tensors    2-D tensors of a .safetensors file (embedding table candidates)',
    '  model      what a model folder or .gguf file holds (tokenizer, table, positions)',
    '  export     write that batch (or the token IDs) to a CSV, JSON or .npy file',
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's flags.`,
    '',
  ].join('\n');
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failed, 2 bad command line). */
export async function runCli(argv: readonly string[], io: CliIO, service: EngineService): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new UsageError(`missing command (tokenize, weights or inspect); see ${PROGRAM} --help`);
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout(mainHelp());
      return 0;
    }
    if (!(name in commands))
      throw new UsageError(`unknown command ${JSON.stringify(name)}; commands are tokenize, weights, inspect, neighbors, tensors, model, export`);
    const command = commands[name as CommandName];
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(helpText(command.usage, command.description, command.flags));
      return 0;
    }
    const model = name === 'model' ? splitModelPath(rest) : { path: undefined, rest };
    const flags = parseFlags(name, model.rest, command.flags);
    switch (name as CommandName) {
      case 'tokenize':
        await tokenize(flags, io, service);
        break;
      case 'weights':
        await weights(flags, io, service);
        break;
      case 'inspect':
        await inspect(flags, io, service);
        break;
      case 'neighbors':
        await neighbors(flags, io, service);
        break;
      case 'tensors':
        await tensors(flags, io, service);
        break;
      case 'model':
        modelCommand(model.path, flags, io);
        break;
      case 'export':
        await exportCommand(flags, io, service, { readText: (f) => readText(f, io), settingsFrom });
        break;
    }
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const invalid = e instanceof RpcError && e.kind === 'invalidInput';
    const text = invalid ? `invalid input: ${message.replace(ENGINE_FIELD, (field) => FLAG_OF_FIELD[field] ?? field)}` : message;
    io.stderr(`${PROGRAM}: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

// ───────────── input ─────────────

function readText(flags: FlagValues, io: CliIO): { text: string; label: string } {
  const text = flags.text as string | undefined;
  const file = flags.file as string | undefined;
  if (text !== undefined && file !== undefined) throw new UsageError('give either --text or --file, not both');
  if (text !== undefined) return { text, label: 'text' };
  if (file === undefined) throw new UsageError('missing input: give --text S or --file F');
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : e instanceof Error
              ? e.message
              : String(e);
    throw new Error(`cannot read ${file}: ${why}`);
  }
  if (bytes.includes(0)) throw new Error(`${file} looks like a binary file (it contains NUL bytes); give a UTF-8 text file`);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), label: file };
  } catch {
    throw new Error(`${file} is not valid UTF-8 text; convert it to UTF-8 first`);
  }
}

/** `--weights FILE` (with optional tensor names) or `--seed S`; never both. */
function weightsFrom(flags: FlagValues): WeightsSource {
  const path = flags.weights as string | undefined;
  if (path === undefined) {
    if (flags['token-tensor'] !== undefined || flags['position-tensor'] !== undefined) {
      throw new UsageError('--token-tensor and --position-tensor name tensors of a --weights file; give --weights FILE too');
    }
    return { kind: 'random', seed: (flags.seed as string | undefined) ?? '123' };
  }
  if (flags.seed !== undefined) throw new UsageError('give either --weights FILE or --seed S, not both');
  if (flags.vocab !== undefined) throw new UsageError("--vocab sizes a random table; a --weights file's table has its own size");
  return {
    kind: 'file',
    path,
    ...(flags['token-tensor'] !== undefined ? { tokenTensor: flags['token-tensor'] as string } : {}),
    ...(flags['position-tensor'] !== undefined ? { positionTensor: flags['position-tensor'] as string } : {}),
  };
}

function settingsFrom(flags: FlagValues): EmbeddingSettings {
  return {
    tokenizer: { kind: 'encoding', encoding: (flags.encoding as EncodingName | undefined) ?? 'gpt2' },
    allowSpecial: flags['allow-special'] === true,
    dim: (flags.dim as number | undefined) ?? 256,
    contextLength: (flags['context-length'] as number | undefined) ?? 4,
    stride: (flags.stride as number | undefined) ?? 4,
    batchSize: (flags['batch-size'] as number | undefined) ?? 8,
    positional: (flags.positional as PositionalScheme | undefined) ?? 'learned',
    weights: weightsFrom(flags),
  };
}

function json(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** Nested arrays `[rows][cols]` (or deeper) from a row-major buffer. */
function nest(data: ArrayLike<number>, shape: readonly number[], offset = 0): unknown[] {
  const [n, ...inner] = shape;
  const stride = inner.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    out.push(inner.length === 0 ? data[offset + i] : nest(data, inner, offset + i * stride));
  }
  return out;
}

// ───────────── commands ─────────────

async function tokenize(flags: FlagValues, io: CliIO, service: EngineService): Promise<void> {
  const { text } = readText(flags, io);
  const encoding = (flags.encoding as EncodingName | undefined) ?? 'gpt2';
  const r = await service.tokenize({ text, options: { tokenizer: { kind: 'encoding', encoding }, allowSpecial: flags['allow-special'] === true } });
  if (flags.json) {
    for (const chunk of tokenizeJsonChunks(encoding, r.ids, r.spans)) io.stdout(chunk);
    io.stdout('\n');
    return;
  }
  const spans = nest(r.spans, [r.ids.length, 2]) as [number, number][];
  const rows = spans.map(([s, e], i) => [String(i), String(r.ids[i]), `${s}-${e}`, JSON.stringify(text.slice(s, e))]);
  io.stdout(`${r.ids.length} tokens (${encoding})\n${table(['#', 'id', 'span', 'text'], rows)}`);
}

async function weights(flags: FlagValues, io: CliIO, service: EngineService): Promise<void> {
  const settings = settingsFrom(flags);
  // Resolve the vocabulary (the encoding's size unless --vocab) and validate everything in one cheap call.
  const probe = await service.rows({ settings, vocabSize: flags.vocab as number | undefined, tokenRows: [], positionRows: [] });
  const vocab = probe.vocabSize ?? (flags.vocab as number);
  // A file brings its own shapes; a random table has the requested ones.
  const dim = probe.dim;
  const contextLength = probe.contextLength ?? settings.contextLength;
  const source = describeSource(settings.weights, probe);
  const pickedTok = flags.rows as number[] | undefined;
  const pickedPos = flags['pos-rows'] as number[] | undefined;

  if (flags.json) {
    if (!pickedTok && vocab * dim > JSON_TABLE_LIMIT) {
      throw new UsageError(`the token table has ${vocab * dim} values, too many to print as JSON; pick rows with --rows 0,1,2`);
    }
    const tokRows = pickedTok ?? rangeList(vocab);
    const posRows = pickedPos ?? rangeList(contextLength);
    const r = await service.rows({ settings, vocabSize: vocab, tokenRows: tokRows, positionRows: posRows });
    const pick = (rows: number[], data: Float32Array) =>
      Object.fromEntries(rows.map((row, i) => [String(row), Array.from(data.subarray(i * dim, (i + 1) * dim))]));
    json(io, {
      ...(settings.weights.kind === 'file' ? { source: source.description } : {}),
      token: pick(tokRows, r.token),
      position: pick(posRows, r.position),
    });
    return;
  }

  const parts: string[] = [];
  if (pickedTok) {
    const r = await service.rows({ settings, vocabSize: vocab, tokenRows: pickedTok, positionRows: [] });
    parts.push(
      `# token_embedding_layer(torch.tensor([${pickedTok.join(', ')}]))  ${source.token}`,
      formatTensor(tensorView([pickedTok.length, dim], r.token), ['grad_fn=<EmbeddingBackward0>']),
    );
  } else {
    parts.push(`# token_embedding_layer.weight  ${source.token}`, formatParameter(await tableView(service, settings, vocab, 'token', vocab, dim)));
  }
  parts.push('');
  if (pickedPos) {
    const r = await service.rows({ settings, vocabSize: vocab, tokenRows: [], positionRows: pickedPos });
    parts.push(
      `# pos_embedding_layer(torch.tensor([${pickedPos.join(', ')}]))  ${source.position}`,
      formatTensor(tensorView([pickedPos.length, dim], r.position), ['grad_fn=<EmbeddingBackward0>']),
    );
  } else {
    parts.push(`# pos_embedding_layer.weight  ${source.position}`, formatParameter(await tableView(service, settings, vocab, 'position', contextLength, dim)));
  }
  io.stdout(`${parts.join('\n')}\n`);
}

interface SourceLabels {
  token: string;
  position: string;
  description: {
    path: string;
    tokenTensor: string;
    positionTensor: string | null;
    dtype: string;
    vocabSize: number;
    dim: number;
    contextLength: number;
  } | null;
}

/** Comment lines naming where the printed rows come from. */
function describeSource(weights: WeightsSource, probe: RowsResult): SourceLabels {
  const vocab = probe.vocabSize ?? 0;
  const ctx = probe.contextLength ?? 0;
  if (weights.kind === 'random') {
    return {
      token: `with torch.manual_seed(${weights.seed}); nn.Embedding(${vocab}, ${probe.dim})`,
      position: `nn.Embedding(${ctx}, ${probe.dim})`,
      description: null,
    };
  }
  const d = probe.source;
  if (d?.kind !== 'file') throw new Error('the engine did not describe the weights file');
  return {
    token: `${d.tokenTensor} [${d.vocabSize}, ${d.dim}] ${d.dtype} from ${d.path}`,
    position: d.positionTensor
      ? `${d.positionTensor} [${d.contextLength}, ${d.dim}] from ${d.path}`
      : `${ctx} slots, ${d.dim} dims (no learned table in ${d.path})`,
    description: { ...d },
  };
}

/**
 * A whole table as a TensorView that fetches only the rows PyTorch would print: all rows of a small table,
 * the first and last three of a summarised one (more than 1000 values).
 */
async function tableView(
  service: EngineService,
  settings: EmbeddingSettings,
  vocab: number,
  which: 'token' | 'position',
  rows: number,
  dim: number,
): Promise<TensorView> {
  const wanted = rows * dim > 1000 && rows > 6 ? [0, 1, 2, rows - 3, rows - 2, rows - 1] : rangeList(rows);
  const r = await service.rows({
    settings,
    vocabSize: vocab,
    tokenRows: which === 'token' ? wanted : [],
    positionRows: which === 'position' ? wanted : [],
  });
  const data = which === 'token' ? r.token : r.position;
  const slot = new Map(wanted.map((row, i) => [row, i]));
  return {
    shape: [rows, dim],
    dtype: 'float32',
    at: (flat) => {
      const i = slot.get(Math.floor(flat / dim));
      if (i === undefined) throw new Error(`row ${Math.floor(flat / dim)} was not fetched`);
      return data[i * dim + (flat % dim)];
    },
  };
}

async function inspect(flags: FlagValues, io: CliIO, service: EngineService): Promise<void> {
  const { text, label } = readText(flags, io);
  const settings = settingsFrom(flags);
  const r = await service.inspect({ text, settings, firstToken: 0, maxTokens: 0 });
  const ids = await service.tokenize({ text, options: { tokenizer: settings.tokenizer, allowSpecial: settings.allowSpecial } });
  const fb = r.firstBatch;
  const ctx = r.contextLength;
  const dim = r.dim;
  const shape = [fb.batch, ctx, dim];

  let vectors: { tok: Float32Array; pos: Float32Array; sum: Float32Array } | undefined;
  if (flags.vectors) {
    const rows = await service.rows({ settings, tokenRows: Array.from(fb.inputs), positionRows: rangeList(ctx) });
    const sum = new Float32Array(rows.token.length);
    for (let i = 0; i < sum.length; i++) {
      const slotOf = Math.floor(i / dim) % ctx;
      sum[i] = rows.token[i] + rows.position[slotOf * dim + (i % dim)];
    }
    vectors = { tok: rows.token, pos: rows.position, sum };
  }

  if (flags.json) {
    json(io, {
      encoding: tokenizerLabel(settings.tokenizer),
      totalTokens: r.totalTokens,
      windows: fb.windows,
      batches: fb.batches,
      ids: Array.from(ids.ids),
      inputs: nest(fb.inputs, [fb.batch, ctx]),
      targets: nest(fb.targets, [fb.batch, ctx]),
      shape,
      ...(vectors
        ? {
            tokenEmbeddings: nest(vectors.tok, shape),
            posEmbeddings: nest(vectors.pos, [ctx, dim]),
            inputEmbeddings: nest(vectors.sum, shape),
          }
        : {}),
    });
    return;
  }

  const out = [
    `${label}: ${r.totalTokens} tokens (${tokenizerLabel(settings.tokenizer)}); ${fb.windows} windows of ${ctx} tokens, stride ${settings.stride}; ` +
      `${fb.batches} batches of up to ${settings.batchSize} (drop_last=False)`,
    '',
    'Token IDs:',
    ` ${formatTensor(tensorView([fb.batch, ctx], fb.inputs, 'int64'))}`,
    '',
    'Targets:',
    ` ${formatTensor(tensorView([fb.batch, ctx], fb.targets, 'int64'))}`,
    '',
    'Inputs shape:',
    ` ${formatSize([fb.batch, ctx])}`,
    '',
    `token_embeddings ${formatSize(shape)}`,
    `pos_embeddings   ${formatSize([ctx, dim])}  (${settings.positional})`,
    `input_embeddings ${formatSize(shape)}`,
  ];
  if (vectors) {
    out.push(
      '',
      'token_embeddings:',
      formatTensor(tensorView(shape, vectors.tok), ['grad_fn=<EmbeddingBackward0>']),
      '',
      'pos_embeddings:',
      formatTensor(tensorView([ctx, dim], vectors.pos), ['grad_fn=<EmbeddingBackward0>']),
      '',
      'input_embeddings:',
      formatTensor(tensorView(shape, vectors.sum), ['grad_fn=<AddBackward0>']),
    );
  }
  io.stdout(`${out.join('\n')}\n`);
}

async function neighbors(flags: FlagValues, io: CliIO, service: EngineService): Promise<void> {
  if (flags.id === undefined) throw new UsageError('missing --id N: the token whose neighbours to find');
  const settings = settingsFrom(flags);
  // Neighbours only need the token table: don't require a positional one from the file.
  const r = await service.neighbors({ settings: { ...settings, positional: 'none' }, id: flags.id as number, k: (flags.k as number | undefined) ?? 10 });
  if (flags.json) {
    json(io, r);
    return;
  }
  const from =
    r.source.kind !== 'random'
      ? `${r.source.tokenTensor} in ${r.source.path}`
      : `torch.manual_seed(${r.source.seed}) nn.Embedding(${r.source.vocabSize}, ${r.source.dim})`;
  const rows = r.neighbors.map((n, i) => [String(i + 1), String(n.id), n.score.toFixed(4), n.text === null ? '(unused id)' : JSON.stringify(n.text)]);
  io.stdout(
    `nearest ${r.neighbors.length} tokens to ${r.id} ${r.text === null ? '' : JSON.stringify(r.text)} by cosine similarity (${from}, ${tokenizerLabel(settings.tokenizer)})\n` +
      table(['#', 'id', 'cosine', 'token'], rows),
  );
}

async function tensors(flags: FlagValues, io: CliIO, service: EngineService): Promise<void> {
  const path = flags.weights as string | undefined;
  if (path === undefined) throw new UsageError('missing --weights FILE');
  const r = await service.tensors({ path });
  if (flags.json) {
    json(io, r);
    return;
  }
  const rows = r.candidates.map((c) => [
    c.name,
    `[${c.rows}, ${c.cols}]`,
    c.readable ? c.dtype : `${c.dtype} (not viewable)`,
    c.name === r.detected.tokenTensor ? 'token (detected)' : c.name === r.detected.positionTensor ? 'position (detected)' : '',
  ]);
  io.stdout(`${r.candidates.length} two-dimensional tensors in ${path}\n${leftTable(['tensor', 'shape', 'dtype', 'use'], rows)}`);
}

// ───────────── helpers ─────────────

function rangeList(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : c < 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function leftTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
