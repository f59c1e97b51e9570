/**
 * The options every command shares, defined once: the text (`--text` / `--file`), where the tokenizer comes from
 * (`--encoding`, `--tokenizer PATH`, `--model PATH`), where the tables come from (`--weights FILE`, `--seed`,
 * `--model PATH`), special tokens (`--allow-special`, `--add-special`) and the book's sliding-window settings.
 * They become the same EmbeddingSettings the extension sends the engine.
 */
import {
  ENCODINGS,
  POSITIONAL_SCHEMES,
  type EmbeddingSettings,
  type EncodingName,
  type PositionalScheme,
  type TokenizerSource,
  type WeightsSource,
} from '../shared/embeddingTypes';
import { SETTING_LIMITS } from '../shared/limits';
import { fileProblem, type CliIO } from './io';
import { UsageError, type OptionSpec, type OptionSpecs, type OptionValues } from './options';

export const textOptions: OptionSpecs = {
  text: { kind: 'string', meta: 'S', help: 'the text to read (use --text=S if S starts with --)' },
  file: { kind: 'string', meta: 'F', help: 'read the text from this UTF-8 file (- reads standard input)' },
};

/** Where the tokenizer comes from, and how special tokens are read. */
export const tokenizerOptions: OptionSpecs = {
  encoding: { kind: 'string', choices: ENCODINGS, meta: 'NAME', help: 'built-in BPE encoding', default: 'gpt2' },
  tokenizer: { kind: 'string', meta: 'PATH', help: 'a Hugging Face tokenizer.json, or a folder holding one (model folder, HF cache folder)' },
  model: { kind: 'string', meta: 'PATH', help: 'a Hugging Face model folder or .gguf file: its tokenizer (and its tables, unless --weights/--seed)' },
  'allow-special': { kind: 'bool', help: 'read <|endoftext|> etc. as special tokens, not as plain text' },
  'add-special': { kind: 'bool', help: "add the tokens a tokenizer.json's post-processor puts around a text (BOS…)" },
};

/** Where the tables come from besides --model. */
export const weightsOptions: OptionSpecs = {
  weights: { kind: 'string', meta: 'FILE', help: 'read learned tables from this local .safetensors file instead of a random init' },
  'token-tensor': { kind: 'string', meta: 'NAME', help: 'token table tensor in --weights', default: 'detected (wte.weight, …)' },
  'position-tensor': { kind: 'string', meta: 'NAME', help: 'positional table tensor in --weights', default: 'detected (wpe.weight, …)' },
  seed: { kind: 'seed', meta: 'S', help: 'torch.manual_seed value of a random table, 0 to 2^64-1', default: '123' },
};

export const positionalOption: OptionSpec = {
  kind: 'string',
  choices: POSITIONAL_SCHEMES,
  meta: 'KIND',
  help: 'positional embeddings (a --model uses its own)',
  default: 'learned',
};
export const dimOption: OptionSpec = {
  kind: 'int',
  meta: 'D',
  help: `embedding dimension of a random table (${SETTING_LIMITS.dim.min}-${SETTING_LIMITS.dim.max})`,
  default: '256',
};

/** The settings of the book's sliding-window pipeline (inspect, export). */
export const loaderOptions: OptionSpecs = {
  dim: dimOption,
  'context-length': { kind: 'int', meta: 'C', help: 'max_length of each input window', default: '4' },
  stride: { kind: 'int', meta: 'N', help: 'tokens between window starts', default: '4' },
  'batch-size': { kind: 'int', meta: 'B', help: 'windows per batch', default: '8' },
  positional: positionalOption,
};

export const jsonOption: OptionSpec = { kind: 'bool', help: 'print JSON instead of a table' };
export const helpOption: OptionSpec = { kind: 'bool', help: 'show this help' };

/** `--model` > `--tokenizer` > `--encoding` (gpt2); a .gguf given to --tokenizer means the GGUF's own tokenizer. */
export function tokenizerFrom(values: OptionValues): TokenizerSource {
  const model = values.model as string | undefined;
  const path = values.tokenizer as string | undefined;
  const encoding = values.encoding as EncodingName | undefined;
  // With --model, --encoding or --tokenizer picks another tokenizer for the model's tables.
  if (path !== undefined && encoding !== undefined) throw new UsageError('give one tokenizer: --encoding NAME or --tokenizer PATH, not both');
  if (path !== undefined) return /\.gguf$/i.test(path) ? { kind: 'model', path } : { kind: 'tokenizer.json', path };
  if (encoding !== undefined) return { kind: 'encoding', encoding };
  if (model !== undefined) return { kind: 'model', path: model };
  return { kind: 'encoding', encoding: 'gpt2' };
}

/** `--model PATH`, `--weights FILE` (with optional tensor names) or `--seed S` (default 123); only one of them. */
export function weightsFrom(values: OptionValues): WeightsSource {
  const model = values.model as string | undefined;
  const path = values.weights as string | undefined;
  const seed = values.seed as string | undefined;
  if ((values['token-tensor'] !== undefined || values['position-tensor'] !== undefined) && path === undefined) {
    throw new UsageError('--token-tensor and --position-tensor name tensors of a --weights file; give --weights FILE too');
  }
  if ([model, path, seed].filter((x) => x !== undefined).length > 1) {
    throw new UsageError(
      model !== undefined
        ? 'give either --model PATH (its own tables) or --weights FILE / --seed S, not both'
        : 'give either --weights FILE or --seed S, not both',
    );
  }
  if ((model !== undefined || path !== undefined) && values.vocab !== undefined) {
    throw new UsageError("--vocab sizes a random table; a --weights file's or a --model's table has its own size");
  }
  if (model !== undefined) return { kind: 'model', path: model };
  if (path === undefined) return { kind: 'random', seed: seed ?? '123' };
  return {
    kind: 'file',
    path,
    ...(values['token-tensor'] !== undefined ? { tokenTensor: values['token-tensor'] as string } : {}),
    ...(values['position-tensor'] !== undefined ? { positionTensor: values['position-tensor'] as string } : {}),
  };
}

export function settingsFrom(values: OptionValues): EmbeddingSettings {
  return {
    tokenizer: tokenizerFrom(values),
    allowSpecial: values['allow-special'] === true,
    ...(values['add-special'] === true ? { addSpecialTokens: true } : {}),
    dim: (values.dim as number | undefined) ?? 256,
    contextLength: (values['context-length'] as number | undefined) ?? 4,
    stride: (values.stride as number | undefined) ?? 4,
    batchSize: (values['batch-size'] as number | undefined) ?? 8,
    positional: (values.positional as PositionalScheme | undefined) ?? 'learned',
    weights: weightsFrom(values),
  };
}

/** The text of `--text S` or `--file F` (`-`: standard input), refused when binary or not UTF-8. */
export function readText(values: OptionValues, io: CliIO): { text: string; label: string } {
  const text = values.text as string | undefined;
  const file = values.file as string | undefined;
  if (text !== undefined && file !== undefined) throw new UsageError('give either --text or --file, not both');
  if (text !== undefined) return { text, label: 'text' };
  if (file === undefined) throw new UsageError('missing input: give --text S or --file F');
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${fileProblem(e, 'no such file')}`);
  }
  if (bytes.includes(0)) throw new Error(`${file} looks like a binary file (it contains NUL bytes); give a UTF-8 text file`);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), label: file };
  } catch {
    throw new Error(`${file} is not valid UTF-8 text; convert it to UTF-8 first`);
  }
}
