/**
 * Input checks for the engine service. Everything that arrives over the protocol is untrusted (it crossed a
 * thread boundary and may come from settings a user typed), so each field is checked here and a bad one
 * becomes RpcError('invalidInput') with a message that says what was wrong and what is allowed.
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
import { MAX_POSITIONAL_VALUES, MAX_ROWS_PER_REQUEST, SETTING_LIMITS, canonicalSeed, seedProblem, type IntRange } from '../shared/limits';
import { RpcError } from '../shared/rpc';

function invalid(message: string): RpcError {
  return new RpcError('invalidInput', message);
}

export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`${name} must be a whole number, got ${describe(value)}`);
  }
  if (value < min || value > max) throw invalid(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A setting checked against its range in src/shared/limits.ts. */
function checkSetting(name: keyof typeof SETTING_LIMITS, value: unknown): number {
  const range: IntRange = SETTING_LIMITS[name];
  return checkInteger(name, value, range.min, range.max);
}

/** Seeds travel as decimal strings because torch.manual_seed takes any value up to 2^64−1. */
export function normalizeSeed(seed: unknown): string {
  const text = typeof seed === 'string' ? seed : '';
  const canonical = canonicalSeed(text);
  if (canonical === undefined) throw invalid(`seed ${seedProblem(text)}, got ${describe(seed)}`);
  return canonical;
}

export function checkEncoding(value: unknown): EncodingName {
  if (typeof value === 'string' && (ENCODINGS as readonly string[]).includes(value)) return value as EncodingName;
  throw invalid(`encoding must be one of ${ENCODINGS.join(', ')}, got ${describe(value)}`);
}

function checkPath(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${name} must be a non-empty file path`);
  return value;
}

export function checkTokenizerSource(value: unknown, name = 'tokenizer'): TokenizerSource {
  if (typeof value !== 'object' || value === null) {
    throw invalid(`${name} must be { kind: "encoding", encoding }, { kind: "tokenizer.json", path } or { kind: "model", path }`);
  }
  const t = value as Record<string, unknown>;
  if (t.kind === 'encoding') return { kind: 'encoding', encoding: checkEncoding(t.encoding) };
  if (t.kind === 'tokenizer.json' || t.kind === 'model') return { kind: t.kind, path: checkPath(`${name}.path`, t.path) };
  throw invalid(`${name}.kind must be "encoding", "tokenizer.json" or "model", got ${describe(t.kind)}`);
}

function checkOptionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(`${name} must be true or false when given, got ${describe(value)}`);
  return value;
}

export function checkTokenizeOptions(value: unknown): TokenizeOptions {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof TokenizeOptions, unknown>>;
  const tokenizer = checkTokenizerSource(o.tokenizer, 'options.tokenizer');
  if (typeof o.allowSpecial !== 'boolean') throw invalid('options.allowSpecial must be true or false');
  const addSpecialTokens = checkOptionalBoolean('options.addSpecialTokens', o.addSpecialTokens);
  return { tokenizer, allowSpecial: o.allowSpecial, ...(addSpecialTokens !== undefined ? { addSpecialTokens } : {}) };
}

export function checkPositional(value: unknown): PositionalScheme {
  if (typeof value === 'string' && (POSITIONAL_SCHEMES as readonly string[]).includes(value)) return value as PositionalScheme;
  throw invalid(`positional must be one of ${POSITIONAL_SCHEMES.join(', ')}, got ${describe(value)}`);
}

export function checkText(value: unknown): string {
  if (typeof value !== 'string') throw invalid(`text must be a string, got ${describe(value)}`);
  return value;
}

export function checkWeights(value: unknown): WeightsSource {
  if (typeof value !== 'object' || value === null) throw invalid('weights must be { kind: "random", seed }, { kind: "file", path } or { kind: "model", path }');
  const w = value as Record<string, unknown>;
  if (w.kind === 'random') return { kind: 'random', seed: normalizeSeed(w.seed) };
  if (w.kind === 'model') return { kind: 'model', path: checkPath('weights.path', w.path) };
  if (w.kind === 'file') {
    checkPath('weights.path', w.path);
    for (const key of ['tokenTensor', 'positionTensor'] as const) {
      if (w[key] !== undefined && typeof w[key] !== 'string') throw invalid(`weights.${key} must be a tensor name (string)`);
    }
    return {
      kind: 'file',
      path: w.path as string,
      ...(typeof w.tokenTensor === 'string' ? { tokenTensor: w.tokenTensor } : {}),
      ...(typeof w.positionTensor === 'string' ? { positionTensor: w.positionTensor } : {}),
    };
  }
  throw invalid(`weights.kind must be "random", "file" or "model", got ${describe(w.kind)}`);
}

/** Returns a clean copy of the settings (normalised seed, no extra fields). */
export function checkSettings(value: unknown): EmbeddingSettings {
  if (typeof value !== 'object' || value === null) throw invalid('settings must be an object');
  const s = value as Record<string, unknown>;
  const dim = checkSetting('dim', s.dim);
  const contextLength = checkSetting('contextLength', s.contextLength);
  if (contextLength * dim > MAX_POSITIONAL_VALUES) {
    throw invalid(
      `contextLength × dim = ${contextLength * dim} values is too large for the positional table (at most ${MAX_POSITIONAL_VALUES}); lower contextLength or dim`,
    );
  }
  if (typeof s.allowSpecial !== 'boolean') throw invalid(`allowSpecial must be true or false, got ${describe(s.allowSpecial)}`);
  const addSpecialTokens = checkOptionalBoolean('addSpecialTokens', s.addSpecialTokens);
  return {
    tokenizer: checkTokenizerSource(s.tokenizer),
    allowSpecial: s.allowSpecial,
    ...(addSpecialTokens !== undefined ? { addSpecialTokens } : {}),
    dim,
    contextLength,
    stride: checkSetting('stride', s.stride),
    batchSize: checkSetting('batchSize', s.batchSize),
    positional: checkPositional(s.positional),
    weights: checkWeights(s.weights),
  };
}

export function checkRowList(name: string, value: unknown, rowCount: number, tableName: string): number[] {
  if (!Array.isArray(value)) throw invalid(`${name} must be an array of row numbers`);
  if (value.length > MAX_ROWS_PER_REQUEST) throw invalid(`${name} asks for ${value.length} rows; at most ${MAX_ROWS_PER_REQUEST} per request`);
  for (const row of value) {
    if (typeof row !== 'number' || !Number.isInteger(row) || row < 0 || row >= rowCount) {
      throw invalid(`${name}: row ${describe(row)} is outside the ${tableName} (rows 0 to ${rowCount - 1})`);
    }
  }
  return value as number[];
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
