/**
 * `token-embeddings weights`: rows of the token and positional tables — PyTorch-exact random init, a .safetensors
 * file, or a model's own — printed the way PyTorch prints them, or as JSON.
 */
import { explainPositions } from '../engine/model/positions';
import type { EmbeddingSettings, SourceDescription } from '../shared/embeddingTypes';
import type { EngineService } from '../engine/service';
import { formatParameter, formatTensor, tensorView, type TensorView } from '../engine/torchFormat';
import { PROGRAM, printJson, rangeList, type Command } from './io';
import { UsageError } from './options';
import { helpOption, jsonOption, positionalOption, settingsFrom, tokenizerOptions, weightsOptions } from './sources';

/** Above this many values a table is only printed in JSON when rows are picked (it would be hundreds of MB). */
const JSON_TABLE_LIMIT = 1_000_000;

export const weightsCommand: Command = {
  usage:
    `${PROGRAM} weights [--seed 123] [--vocab V] [--dim 256] [--context-length 4] [--rows 1,2] [--pos-rows 0,1] [--json]\n` +
    `       ${PROGRAM} weights --weights FILE [--token-tensor NAME] [--position-tensor NAME] [--rows 1,2] [--pos-rows 0,1] [--json]\n` +
    `       ${PROGRAM} weights --model PATH [--rows 1,2] [--pos-rows 0,1] [--json]`,
  description:
    'Rows of the token and positional embedding tables exactly as torch.manual_seed(seed); nn.Embedding(vocab, dim);\n' +
    'nn.Embedding(context_length, dim) initialise them, as stored in a .safetensors file (--weights), or a model\n' +
    "folder's / .gguf file's own (--model). Each table prints all its rows unless rows are picked. Without --json the\n" +
    'tables print the way PyTorch prints them.',
  options: {
    ...weightsOptions,
    ...tokenizerOptions,
    vocab: { kind: 'int', meta: 'V', help: 'token table rows of a random table', default: "the tokenizer's vocabulary size" },
    dim: { kind: 'int', meta: 'D', help: 'embedding dimension of a random table (1-4096)', default: '256' },
    'context-length': { kind: 'int', meta: 'C', help: 'positional table rows', default: '4' },
    positional: positionalOption,
    rows: { kind: 'intList', meta: 'R,R,…', help: 'token table rows to print' },
    'pos-rows': { kind: 'intList', meta: 'R,R,…', help: 'positional table rows to print' },
    json: jsonOption,
    help: helpOption,
  },
  async run(values, io, service) {
    const settings = settingsFrom(values);
    const requested = values.vocab as number | undefined;
    // Resolve the vocabulary (the tokenizer's size unless --vocab) and validate everything in one cheap call.
    const probe = await service.rows({ settings, vocabSize: requested, tokenRows: [], positionRows: [] });
    const { vocabSize: vocab, dim, contextLength } = probe;
    const labels = sourceLabels(probe.source);
    const pickedTok = values.rows as number[] | undefined;
    const pickedPos = values['pos-rows'] as number[] | undefined;
    const rows = (tokenRows: number[], positionRows: number[]) => service.rows({ settings, vocabSize: requested, tokenRows, positionRows });

    if (values.json) {
      if (!pickedTok && vocab * dim > JSON_TABLE_LIMIT) {
        throw new UsageError(`the token table has ${vocab * dim} values, too many to print as JSON; pick rows with --rows 0,1,2`);
      }
      const tokRows = pickedTok ?? rangeList(vocab);
      const posRows = pickedPos ?? rangeList(contextLength);
      const r = await rows(tokRows, posRows);
      const pick = (list: number[], data: Float32Array) =>
        Object.fromEntries(list.map((row, i) => [String(row), Array.from(data.subarray(i * dim, (i + 1) * dim))]));
      printJson(io, {
        ...(probe.source.kind !== 'random' ? { source: probe.source } : {}),
        token: pick(tokRows, r.token),
        position: pick(posRows, r.position),
      });
      return;
    }

    const parts: string[] = [];
    if (pickedTok) {
      const r = await rows(pickedTok, []);
      parts.push(
        `# token_embedding_layer(torch.tensor([${pickedTok.join(', ')}]))  ${labels.token}`,
        formatTensor(tensorView([pickedTok.length, dim], r.token), ['grad_fn=<EmbeddingBackward0>']),
      );
    } else {
      parts.push(`# token_embedding_layer.weight  ${labels.token}`, formatParameter(await tableView(service, settings, requested, 'token', vocab, dim)));
    }
    parts.push('');
    if (pickedPos) {
      const r = await rows([], pickedPos);
      parts.push(
        `# pos_embedding_layer(torch.tensor([${pickedPos.join(', ')}]))  ${labels.position}`,
        formatTensor(tensorView([pickedPos.length, dim], r.position), ['grad_fn=<EmbeddingBackward0>']),
      );
    } else {
      parts.push(
        `# pos_embedding_layer.weight  ${labels.position}`,
        formatParameter(await tableView(service, settings, requested, 'position', contextLength, dim)),
      );
    }
    io.stdout(`${parts.join('\n')}\n`);
  },
};

/** Comment lines naming where the printed rows come from. */
function sourceLabels(d: SourceDescription): { token: string; position: string } {
  const padding = d.paddingRows > 0 ? `; rows ${d.tokenizer.vocabSize}… are padding (never produced by the tokenizer)` : '';
  switch (d.kind) {
    case 'random':
      return { token: `with torch.manual_seed(${d.seed}); nn.Embedding(${d.vocabSize}, ${d.dim})`, position: `nn.Embedding(${d.contextLength}, ${d.dim})` };
    case 'file':
      return {
        token: `${d.tokenTensor} [${d.vocabSize}, ${d.dim}] ${d.dtype} from ${d.path}${padding}`,
        position: d.positionTensor
          ? `${d.positionTensor} [${d.contextLength}, ${d.dim}] from ${d.path}`
          : `${d.contextLength} slots, ${d.dim} dims (no learned table in ${d.path})`,
      };
    case 'model':
      return {
        token: `${d.tokenTensor} [${d.vocabSize}, ${d.dim}] ${d.dtype} from ${d.path}${padding}`,
        position: d.positions.kind === 'learned' ? `${d.positions.tensor} [${d.contextLength}, ${d.dim}] from ${d.path}` : explainPositions(d.positions),
      };
  }
}

/**
 * A whole table as a TensorView that fetches only the rows PyTorch would print: all rows of a small table,
 * the first and last three of a summarised one (more than 1000 values).
 */
async function tableView(
  service: EngineService,
  settings: EmbeddingSettings,
  vocabSize: number | undefined,
  which: 'token' | 'position',
  rows: number,
  dim: number,
): Promise<TensorView> {
  const wanted = rows * dim > 1000 && rows > 6 ? [0, 1, 2, rows - 3, rows - 2, rows - 1] : rangeList(rows);
  const r = await service.rows({ settings, vocabSize, tokenRows: which === 'token' ? wanted : [], positionRows: which === 'position' ? wanted : [] });
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
