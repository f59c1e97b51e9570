/**
 * `token-embeddings model PATH [--json]`: what a model folder or .gguf file holds, as the extension will use it —
 * architecture, tokenizer, token table (file, tensor, shard, rows, padding, dim, dtype / quantization), positional
 * scheme and context length. Only headers, config.json and the tokenizer are read.
 */
import { describeModel, formatModelDescription } from '../engine/model';
import { UsageError, type FlagValues } from './args';

/** `model PATH …` or `model --model PATH …`: the path may come first, without a flag. */
export function splitModelPath(argv: readonly string[]): { path: string | undefined; rest: string[] } {
  if (argv.length > 0 && !argv[0].startsWith('-')) return { path: argv[0], rest: argv.slice(1) };
  return { path: undefined, rest: [...argv] };
}

export function modelCommand(positionalPath: string | undefined, flags: FlagValues, io: { stdout(text: string): void }): void {
  const flagPath = flags.model as string | undefined;
  if (positionalPath !== undefined && flagPath !== undefined) throw new UsageError('give the model path once (PATH or --model PATH)');
  const path = positionalPath ?? flagPath;
  if (path === undefined) throw new UsageError('missing PATH (a Hugging Face model folder or a .gguf file)');
  const d = describeModel(path);
  io.stdout(flags.json ? `${JSON.stringify(d, null, 2)}\n` : `${formatModelDescription(d)}\n`);
}
