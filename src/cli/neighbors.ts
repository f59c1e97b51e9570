/** `token-embeddings neighbors`: the k nearest tokens of a token by cosine similarity over the whole token table. */
import { tokenizerLabel } from '../shared/embeddingTypes';
import { visibleTokenText } from '../shared/visibleToken';
import { PROGRAM, printJson, table, type Command } from './io';
import { UsageError } from './options';
import { dimOption, helpOption, jsonOption, settingsFrom, tokenizerOptions, weightsOptions } from './sources';

export const neighborsCommand: Command = {
  usage: `${PROGRAM} neighbors (--model PATH | --weights FILE | --seed S) --id N [--k 10] [--encoding gpt2 | --tokenizer PATH] [--dim 256] [--json]`,
  description:
    'The k tokens whose embeddings are closest to token N by cosine similarity (the token itself excluded),\n' +
    'scanning the whole token table of a model (--model), a .safetensors file (--weights) or the random init (--seed).\n' +
    'Padding rows (in the table, never produced by the tokenizer) are marked.',
  options: {
    ...weightsOptions,
    ...tokenizerOptions,
    id: { kind: 'int', meta: 'N', help: 'token id to find neighbours of' },
    k: { kind: 'int', meta: 'K', help: 'how many neighbours (1-1000)', default: '10' },
    dim: dimOption,
    json: jsonOption,
    help: helpOption,
  },
  async run(values, io, service) {
    if (values.id === undefined) throw new UsageError('missing --id N: the token whose neighbours to find');
    const settings = settingsFrom(values);
    // Neighbours only need the token table: don't require a positional one from the file.
    const r = await service.neighbors({ settings: { ...settings, positional: 'none' }, id: values.id as number, k: (values.k as number | undefined) ?? 10 });
    if (values.json) {
      printJson(io, r);
      return;
    }
    const s = r.source;
    const from = s.kind === 'random' ? `torch.manual_seed(${s.seed}) nn.Embedding(${s.vocabSize}, ${s.dim})` : `${s.tokenTensor} in ${s.path}`;
    const shown = (text: string | null, padding: boolean) =>
      padding ? '(padding row, never trained)' : text === null ? '(unused id)' : visibleTokenText(text);
    const rows = r.neighbors.map((n, i) => [String(i + 1), String(n.id), n.score.toFixed(4), shown(n.text, n.padding)]);
    io.stdout(
      `nearest ${r.neighbors.length} tokens to ${r.id} ${shown(r.text, r.padding)} by cosine similarity (${from}, ${tokenizerLabel(s.tokenizer)})\n` +
        table(['#', 'id', 'cosine', 'token'], rows),
    );
  },
};
