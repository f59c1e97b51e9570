/**
 * `token-embeddings model PATH [--json]`: what a model folder or .gguf file holds, as the extension will use it —
 * architecture, tokenizer, token table (file, tensor, shard, rows, padding, dim, dtype / quantization), positional
 * scheme and context length. Only headers, config.json and the tokenizer are read.
 */
import { describeModel, formatModelDescription } from '../engine/model';
import { PROGRAM, type Command } from './io';
import { UsageError } from './options';
import { helpOption, jsonOption } from './sources';

export const modelCommand: Command = {
  usage: `${PROGRAM} model PATH [--json]`,
  description:
    'What a Hugging Face model folder (config.json, tokenizer.json, *.safetensors) or a .gguf file holds, as the\n' +
    'extension uses it: architecture, tokenizer, token table (file, tensor, shard, rows, padding rows, dim, dtype or\n' +
    'quantization), positional scheme and context length. Reads headers only.',
  options: {
    model: { kind: 'string', meta: 'PATH', help: 'model folder or .gguf file (or give PATH first)' },
    json: jsonOption,
    help: helpOption,
  },
  positional: true,
  run(values, io, _service, positionals) {
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (see: ${PROGRAM} model --help)`);
    const flagPath = values.model as string | undefined;
    if (positionals.length === 1 && flagPath !== undefined) throw new UsageError('give the model path once (PATH or --model PATH)');
    const path = positionals[0] ?? flagPath;
    if (path === undefined) throw new UsageError('missing PATH (a Hugging Face model folder or a .gguf file)');
    const d = describeModel(path);
    io.stdout(values.json ? `${JSON.stringify(d, null, 2)}\n` : `${formatModelDescription(d)}\n`);
  },
};
