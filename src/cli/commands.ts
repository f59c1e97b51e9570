/**
 * The CLI: one file per command (tokenize, weights, inspect, neighbors, tensors, model, export), their shared options
 * in sources.ts, parsing in options.ts. Commands run the same EngineService as the worker, in-process (the CLI is
 * headless, so there is no UI thread to protect). `runCli` returns the exit code and never throws.
 */
import { RpcError } from '../shared/rpc';
import type { EngineService } from '../engine/service';
import { PROGRAM, type CliIO, type Command } from './io';
import { UsageError, helpText, parseOptions } from './options';
import { tokenizeCommand } from './tokenize';
import { weightsCommand } from './weights';
import { inspectCommand } from './inspect';
import { neighborsCommand } from './neighbors';
import { tensorsCommand } from './tensors';
import { modelCommand } from './model';
import { exportCommand } from './export';

export type { CliIO } from './io';

/** Every command with its one-line summary for the main help, in the order the help lists them. */
const COMMANDS: Record<string, { command: Command; summary: string }> = {
  tokenize: { command: tokenizeCommand, summary: 'token ids and spans of a text' },
  weights: { command: weightsCommand, summary: 'rows of the token / positional embedding tables (PyTorch initialisation, a file, a model)' },
  inspect: { command: inspectCommand, summary: 'first sliding-window batch and its embeddings' },
  neighbors: { command: neighborsCommand, summary: 'nearest tokens by cosine similarity of their embeddings' },
  tensors: { command: tensorsCommand, summary: '2-D tensors of a .safetensors file (embedding table candidates)' },
  model: { command: modelCommand, summary: 'what a model folder or .gguf file holds (tokenizer, table, positions)' },
  export: { command: exportCommand, summary: 'write that batch (or the token IDs) to a CSV, JSON or .npy file' },
};

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
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    `usage: ${PROGRAM} <command> [flags]`,
    '',
    'See what the first layer of a language model makes of a text: token ids (OpenAI encodings, any Hugging Face',
    'tokenizer.json, a model folder or .gguf file), PyTorch-exact or a model’s own embedding rows, batches.',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's flags.`,
    '',
  ].join('\n');
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failed, 2 bad command line). */
export async function runCli(argv: readonly string[], io: CliIO, service: EngineService): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new UsageError(`missing command (${Object.keys(COMMANDS).join(', ')}); see ${PROGRAM} --help`);
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout(mainHelp());
      return 0;
    }
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands are ${Object.keys(COMMANDS).join(', ')}`);
    const { command } = entry;
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(helpText(command.usage, command.description, command.options));
      return 0;
    }
    const { values, positionals } = parseOptions(name, rest, command.options, command.positional === true);
    await command.run(values, io, service, positionals);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const invalid = e instanceof RpcError && e.kind === 'invalidInput';
    const text = invalid ? `invalid input: ${message.replace(ENGINE_FIELD, (field) => FLAG_OF_FIELD[field] ?? field)}` : message;
    io.stderr(`${PROGRAM}: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
