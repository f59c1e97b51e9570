/**
 * `token-embeddings inspect`: the book's chapter 2 pipeline on a text — token ids, the first batch of
 * create_dataloader_v1 and the shapes of its embeddings (with --vectors the tensors themselves).
 */
import { explainPositions } from '../engine/model/positions';
import { tokenizerLabel } from '../shared/embeddingTypes';
import { formatSize, formatTensor, tensorView } from '../engine/torchFormat';
import { PROGRAM, nest, printJson, rangeList, type Command } from './io';
import { helpOption, jsonOption, loaderOptions, readText, settingsFrom, textOptions, tokenizerOptions, weightsOptions } from './sources';

export const inspectCommand: Command = {
  usage:
    `${PROGRAM} inspect (--text S | --file F) [--encoding gpt2 | --tokenizer PATH] [--model PATH | --weights FILE | --seed 123] [--dim 256]\n` +
    '       [--context-length 4] [--stride 4] [--batch-size 8] [--positional learned] [--vectors] [--json]',
  description:
    "The book's chapter 2 pipeline on a text: token ids, the first batch of create_dataloader_v1(text, batch_size,\n" +
    'max_length=context_length, stride, shuffle=False) (drop_last=False: a short text gives a smaller batch) and\n' +
    'the shapes of its embeddings; --vectors adds the token, positional and input embedding tensors.',
  options: {
    ...textOptions,
    ...tokenizerOptions,
    ...weightsOptions,
    ...loaderOptions,
    vectors: { kind: 'bool', help: 'include tokenEmbeddings, posEmbeddings and inputEmbeddings' },
    json: jsonOption,
    help: helpOption,
  },
  async run(values, io, service) {
    const { text, label } = readText(values, io);
    const settings = settingsFrom(values);
    const r = await service.inspect({ text, settings, firstToken: 0, maxTokens: 0 });
    const { tokenizer, allowSpecial, addSpecialTokens } = settings;
    const ids = await service.tokenize({ text, options: { tokenizer, allowSpecial, addSpecialTokens } });
    const fb = r.firstBatch;
    const ctx = r.contextLength;
    const dim = r.dim;
    const shape = [fb.batch, ctx, dim];
    const name = tokenizerLabel(r.source.tokenizer);

    let vectors: { tok: Float32Array; pos: Float32Array; sum: Float32Array } | undefined;
    if (values.vectors) {
      const rows = await service.rows({ settings, tokenRows: Array.from(fb.inputs), positionRows: rangeList(ctx) });
      const sum = new Float32Array(rows.token.length);
      for (let i = 0; i < sum.length; i++) sum[i] = rows.token[i] + rows.position[(Math.floor(i / dim) % ctx) * dim + (i % dim)];
      vectors = { tok: rows.token, pos: rows.position, sum };
    }

    if (values.json) {
      printJson(io, {
        tokenizer: r.source.tokenizer,
        positional: r.positional,
        totalTokens: r.totalTokens,
        windows: fb.windows,
        batches: fb.batches,
        ids: Array.from(ids.ids),
        inputs: nest(fb.inputs, [fb.batch, ctx]),
        targets: nest(fb.targets, [fb.batch, ctx]),
        shape,
        ...(vectors
          ? { tokenEmbeddings: nest(vectors.tok, shape), posEmbeddings: nest(vectors.pos, [ctx, dim]), inputEmbeddings: nest(vectors.sum, shape) }
          : {}),
      });
      return;
    }

    const out = [
      `${label}: ${r.totalTokens} tokens (${name}); ${fb.windows} windows of ${ctx} tokens, stride ${settings.stride}; ` +
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
      `pos_embeddings   ${formatSize([ctx, dim])}  (${r.source.kind === 'model' ? explainPositions(r.source.positions) : r.positional})`,
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
  },
};
