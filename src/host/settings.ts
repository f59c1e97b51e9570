/**
 * The extension's settings as plain data, validated field by field. Pure (no `vscode` import) so the
 * rules are unit-tested; `config.ts` feeds it from `workspace.getConfiguration`.
 * An invalid value never breaks the extension: it falls back to its default and is reported once.
 */
import {
  ENCODINGS,
  POSITIONAL_SCHEMES,
  type EmbeddingSettings,
  type EncodingName,
  type PositionalScheme,
  type TokenizeOptions,
  type TokenizerSource,
  type WeightsSource,
} from '../shared/embeddingTypes';
import { MAX_POSITIONAL_VALUES, SEED_RANGE, SETTING_LIMITS, canonicalSeed, isIntegerIn } from '../shared/limits';
import { isUriString } from './platform';

/** Home directory for `~/` in the path settings; set once by the host (this module stays free of Node imports for tests). */
let homeDir: string | undefined;
export function setHomeDir(dir: string | undefined): void {
  homeDir = dir;
}

export const SECTION = 'tokenEmbeddings';

export interface HostSettings {
  encoding: EncodingName;
  dim: number;
  seed: string;
  contextLength: number;
  stride: number;
  batchSize: number;
  positional: PositionalScheme;
  hoverEnabled: boolean;
  maxTokens: number;
  allowSpecialTokens: boolean;
  /** Local .safetensors file with learned embeddings; '' = the random PyTorch init. */
  weightsPath: string;
  /** Tensor names inside that file; '' = auto-detect (GPT-2 `wte`/`wpe`, Llama, BERT names). */
  tokenTensor: string;
  positionTensor: string;
  /** Nearest tokens in the hover: a whole-vocabulary scan (~0.3–3 s), so opt-in. */
  hoverNeighbors: boolean;
  /**
   * A tokenizer.json, a folder holding one (a model folder, a Hugging Face cache folder) or a .gguf whose
   * tokenizer is used; '' = the built-in `encoding`. The tables stay the weights file or the random init.
   */
  tokenizerPath: string;
  /** A Hugging Face model folder or a .gguf file: its tokenizer, token table and positions; '' = none. */
  modelPath: string;
}

/** The book's chapter-2 set-up: GPT-2 BPE, torch.manual_seed(123), 256-wide, 4-token context. */
export const DEFAULT_SETTINGS: Readonly<HostSettings> = Object.freeze({
  encoding: 'gpt2',
  dim: 256,
  seed: '123',
  contextLength: 4,
  stride: 4,
  batchSize: 8,
  positional: 'learned',
  hoverEnabled: true,
  maxTokens: 512,
  allowSpecialTokens: false,
  weightsPath: '',
  tokenTensor: '',
  positionTensor: '',
  hoverNeighbors: false,
  tokenizerPath: '',
  modelPath: '',
});

/** Setting keys relative to the `tokenEmbeddings` section, in the order problems are reported. */
export const SETTING_KEYS = {
  encoding: 'encoding',
  dim: 'dim',
  seed: 'seed',
  contextLength: 'contextLength',
  stride: 'stride',
  batchSize: 'batchSize',
  positional: 'positional',
  hoverEnabled: 'hover.enabled',
  maxTokens: 'maxTokens',
  allowSpecialTokens: 'allowSpecialTokens',
  weightsPath: 'weightsPath',
  tokenTensor: 'weights.tokenTensor',
  positionTensor: 'weights.positionTensor',
  hoverNeighbors: 'hover.neighbors',
  tokenizerPath: 'tokenizerPath',
  modelPath: 'modelPath',
} as const satisfies Record<keyof HostSettings, string>;

export interface SettingsProblem {
  /** Full setting id, e.g. `tokenEmbeddings.dim`. */
  setting: string;
  message: string;
}

export function isEncoding(value: unknown): value is EncodingName {
  return typeof value === 'string' && (ENCODINGS as readonly string[]).includes(value);
}

export function isPositionalScheme(value: unknown): value is PositionalScheme {
  return typeof value === 'string' && (POSITIONAL_SCHEMES as readonly string[]).includes(value);
}

/**
 * A seed as torch.manual_seed takes it: a decimal integer 0 … 2^64−1, canonicalised ("007" → "7").
 * Whole non-negative JSON numbers are accepted too when they are exact (≤ 2^53−1).
 */
export function normalizeSeed(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  }
  return typeof value === 'string' ? canonicalSeed(value.trim()) : undefined;
}

export const MAX_TENSOR_NAME = 1024;

/**
 * An absolute path (POSIX `/…`, Windows `C:\\…` or UNC `\\\\…`, or `~/…`) or, for VS Code for the Web, a URI
 * (`vscode-vfs://github/…`), trimmed; '' = none. The engine says whether the file is usable (it must read it anyway).
 */
export function absolutePathValue(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const path = raw.trim();
  if (path === '') return '';
  if (path.includes('\0') || path.length > 4096) return undefined;
  const absolute = path.startsWith('/') || path.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\') || isUriString(path);
  return absolute ? path : undefined;
}

/** An absolute path to a .safetensors file; '' = none. */
export function weightsPathValue(raw: unknown): string | undefined {
  const path = absolutePathValue(raw);
  return path === undefined || (path !== '' && !/\.safetensors$/i.test(path)) ? undefined : path;
}

/** A .gguf file is a model (its tokenizer and tables live in it); anything else is a folder or a tokenizer.json. */
export function isGgufPath(path: string): boolean {
  return /\.gguf$/i.test(path);
}

/** A tensor name as safetensors headers spell it (any non-control text); '' = auto-detect. */
export function tensorName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw.trim();
  if (name.length > MAX_TENSOR_NAME || /[\u0000-\u001f]/.test(name)) return undefined;
  return name;
}

function describe(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
  } catch {
    return String(value);
  }
}

/**
 * Reads every setting through `get` (which returns `undefined` for "not set") and validates it.
 * Unset values take their default silently; set but invalid values take their default and are listed.
 */
export function validateSettings(get: (key: string) => unknown): { settings: HostSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const settings: HostSettings = { ...DEFAULT_SETTINGS };

  function take<K extends keyof HostSettings>(key: K, accept: (raw: unknown) => HostSettings[K] | undefined, expected: string): void {
    const raw = get(SETTING_KEYS[key]);
    if (raw === undefined || raw === null) return;
    const value = accept(raw);
    if (value === undefined) {
      problems.push({
        setting: `${SECTION}.${SETTING_KEYS[key]}`,
        message: `${describe(raw)} is not ${expected}; using ${describe(DEFAULT_SETTINGS[key])}`,
      });
    } else {
      settings[key] = value;
    }
  }
  const int = (b: { min: number; max: number }) => (raw: unknown) => (isIntegerIn(raw, b.min, b.max) ? raw : undefined);
  const bool = (raw: unknown) => (typeof raw === 'boolean' ? raw : undefined);

  take('encoding', (r) => (isEncoding(r) ? r : undefined), `one of ${ENCODINGS.join(', ')}`);
  take('dim', int(SETTING_LIMITS.dim), `an integer from ${SETTING_LIMITS.dim.min} to ${SETTING_LIMITS.dim.max}`);
  take('seed', normalizeSeed, SEED_RANGE);
  take('contextLength', int(SETTING_LIMITS.contextLength), `an integer from ${SETTING_LIMITS.contextLength.min} to ${SETTING_LIMITS.contextLength.max}`);
  take('stride', int(SETTING_LIMITS.stride), `an integer from ${SETTING_LIMITS.stride.min} to ${SETTING_LIMITS.stride.max}`);
  take('batchSize', int(SETTING_LIMITS.batchSize), `an integer from ${SETTING_LIMITS.batchSize.min} to ${SETTING_LIMITS.batchSize.max}`);
  take('positional', (r) => (isPositionalScheme(r) ? r : undefined), `one of ${POSITIONAL_SCHEMES.join(', ')}`);
  take('hoverEnabled', bool, 'true or false');
  if (settings.contextLength * settings.dim > MAX_POSITIONAL_VALUES) {
    problems.push({
      setting: `${SECTION}.${SETTING_KEYS.contextLength}`,
      message: `contextLength × dim = ${settings.contextLength * settings.dim} is more than ${MAX_POSITIONAL_VALUES} positional values; using ${DEFAULT_SETTINGS.contextLength}`,
    });
    settings.contextLength = DEFAULT_SETTINGS.contextLength;
  }
  take('maxTokens', int(SETTING_LIMITS.maxTokens), `an integer from ${SETTING_LIMITS.maxTokens.min} to ${SETTING_LIMITS.maxTokens.max}`);
  take('allowSpecialTokens', bool, 'true or false');
  take('weightsPath', weightsPathValue, 'an absolute path to a .safetensors file (or empty for the random init)');
  take('tokenTensor', tensorName, `a tensor name of at most ${MAX_TENSOR_NAME} characters (or empty to auto-detect)`);
  take('positionTensor', tensorName, `a tensor name of at most ${MAX_TENSOR_NAME} characters (or empty to auto-detect)`);
  take('hoverNeighbors', bool, 'true or false');
  take('tokenizerPath', absolutePathValue, 'an absolute path to a tokenizer.json, a folder holding one, or a .gguf file (or empty for the encoding)');
  take('modelPath', absolutePathValue, 'an absolute path to a Hugging Face model folder or a .gguf file (or empty for none)');
  return { settings, problems };
}

/** One warning for all problems at once (undefined when there are none). */
export function settingsWarning(problems: readonly SettingsProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const list = problems.map((p) => `${p.setting}: ${p.message}`).join('; ');
  return `Token Embeddings: ${problems.length === 1 ? 'an invalid setting was' : `${problems.length} invalid settings were`} replaced by defaults — ${list}.`;
}

/** A leading `~/` expanded with `home` (the engine takes real paths only). */
export function expandHome(path: string, home: string | undefined): string {
  return path.startsWith('~/') && home ? `${home.replace(/[\\/]+$/, '')}/${path.slice(2)}` : path;
}

/*
 * Precedence of the sources, in one place:
 *   modelPath      → the model's tokenizer, token table and positions (tokenizerPath, encoding, weightsPath unused);
 *   tokenizerPath  → that tokenizer, with the weights file or the random init;
 *   otherwise      → the built-in encoding, with the weights file or the random init.
 */

/**
 * The settings that choose the sources (tokenizer and tables): a change to any of them is a load the views must
 * not see half done (sourceGate.ts). The seed, dim and the rest are computed on demand and apply at once.
 */
export const SOURCE_FIELDS = [
  'encoding',
  'tokenizerPath',
  'modelPath',
  'weightsPath',
  'tokenTensor',
  'positionTensor',
] as const satisfies readonly (keyof HostSettings)[];
export type SourceFields = Pick<HostSettings, (typeof SOURCE_FIELDS)[number]>;

export function sourceFieldsOf(s: HostSettings): SourceFields {
  return Object.fromEntries(SOURCE_FIELDS.map((k) => [k, s[k]])) as SourceFields;
}

/** Equal keys: the same sources. */
export function sourceKey(s: HostSettings): string {
  return JSON.stringify(SOURCE_FIELDS.map((k) => s[k]));
}

/** The settings with no file source: the built-in encoding and the random init (what the views use before a file has loaded). */
export function withoutFileSources(s: HostSettings): HostSettings {
  return { ...s, tokenizerPath: '', modelPath: '', weightsPath: '', tokenTensor: '', positionTensor: '' };
}

/** Which tokenizer the settings choose. */
export function tokenizerSourceOf(s: HostSettings, home?: string): TokenizerSource {
  if (s.modelPath !== '') return { kind: 'model', path: expandHome(s.modelPath, home) };
  if (s.tokenizerPath !== '') {
    const path = expandHome(s.tokenizerPath, home);
    return isGgufPath(path) ? { kind: 'model', path } : { kind: 'tokenizer.json', path };
  }
  return { kind: 'encoding', encoding: s.encoding };
}

/**
 * The change that closes an open model but keeps its tokenizer (for Use Random Init and a weights file chosen
 * while a model is open): the model becomes the tokenizer path — its folder's tokenizer.json, or the .gguf.
 */
export function keepModelTokenizer(s: HostSettings): Partial<HostSettings> {
  return s.modelPath === '' ? {} : { modelPath: '', tokenizerPath: s.modelPath };
}

/** Where the tables come from: the model, else the weights file when `weightsPath` is set, else the seeded random init. */
export function weightsSourceOf(s: HostSettings, home?: string): WeightsSource {
  if (s.modelPath !== '') return { kind: 'model', path: expandHome(s.modelPath, home) };
  if (s.weightsPath === '') return { kind: 'random', seed: s.seed };
  return {
    kind: 'file',
    path: expandHome(s.weightsPath, home),
    ...(s.tokenTensor ? { tokenTensor: s.tokenTensor } : {}),
    ...(s.positionTensor ? { positionTensor: s.positionTensor } : {}),
  };
}

/** What the status bar and the highlighter tokenize with. */
export function tokenizeOptionsOf(s: HostSettings): TokenizeOptions {
  return { tokenizer: tokenizerSourceOf(s, homeDir), allowSpecial: s.allowSpecialTokens };
}

/** The engine's view of the settings (see the precedence above). */
export function toEmbeddingSettings(s: HostSettings): EmbeddingSettings {
  return {
    tokenizer: tokenizerSourceOf(s, homeDir),
    allowSpecial: s.allowSpecialTokens,
    dim: s.dim,
    contextLength: s.contextLength,
    stride: s.stride,
    batchSize: s.batchSize,
    positional: s.positional,
    weights: weightsSourceOf(s, homeDir),
  };
}

/** A stable key: equal keys mean equal problems, so a warning is not repeated for the same mistakes. */
export function problemsKey(problems: readonly SettingsProblem[]): string {
  return problems.map((p) => `${p.setting}=${p.message}`).join('\n');
}
