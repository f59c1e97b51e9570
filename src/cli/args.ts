/**
 * Strict command-line parsing for the CLI: every flag is declared per command, so a typo is an error
 * instead of being silently ignored. Accepts `--flag value` and `--flag=value`.
 */
import { MAX_SEED, canonicalSeed, seedProblem } from '../shared/limits';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagKind = 'string' | 'int' | 'bool' | 'intList' | 'seed';

export interface FlagSpec {
  kind: FlagKind;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** Placeholder shown in help, e.g. `N`. */
  meta?: string;
  help: string;
  default?: string;
}

export type FlagValues = Record<string, string | number | boolean | number[] | undefined>;

function parseInt10(flag: string, raw: string): number {
  if (!/^[0-9]+$/.test(raw)) throw new UsageError(`--${flag} expects a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag} is too large: ${raw}`);
  return n;
}

function parseValue(flag: string, spec: FlagSpec, raw: string): string | number | number[] {
  switch (spec.kind) {
    case 'int':
      return parseInt10(flag, raw);
    case 'intList': {
      const parts = raw.split(',').map((p) => p.trim());
      if (parts.some((p) => p === '')) throw new UsageError(`--${flag} expects comma-separated row numbers such as 0,1,2, got ${JSON.stringify(raw)}`);
      return parts.map((p) => parseInt10(flag, p));
    }
    case 'seed':
      if (!/^[0-9]+$/.test(raw)) throw new UsageError(`--${flag} expects a whole number from 0 to ${MAX_SEED}, got ${JSON.stringify(raw)}`);
      if (canonicalSeed(raw) === undefined) throw new UsageError(`--${flag} ${seedProblem(raw)}, got ${raw}`);
      return raw;
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`--${flag} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(raw)}`);
      }
      return raw;
    case 'bool':
      throw new UsageError(`--${flag} does not take a value`);
  }
}

/** Parses `argv` (after the command name) against `flags`; defaults are applied by the caller. */
export function parseFlags(command: string, argv: readonly string[], flags: Record<string, FlagSpec>): FlagValues {
  const out: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (see: token-embeddings ${command} --help)`);
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = flags[name];
    if (!spec) throw new UsageError(`unknown flag --${name} for ${command} (see: token-embeddings ${command} --help)`);
    if (out[name] !== undefined) throw new UsageError(`--${name} is given twice`);
    if (spec.kind === 'bool') {
      if (eq !== -1) throw new UsageError(`--${name} does not take a value`);
      out[name] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value${spec.meta ? ` (${spec.meta})` : ''}`);
      }
      raw = next;
      i++;
    }
    out[name] = parseValue(name, spec, raw);
  }
  return out;
}

export function helpText(usage: string, description: string, flags: Record<string, FlagSpec>): string {
  const rows = Object.entries(flags).map(([name, spec]) => {
    const left = `--${name}${spec.kind === 'bool' ? '' : ` ${spec.meta ?? 'VALUE'}`}`;
    const choices = spec.choices ? `: ${spec.choices.join(', ')}` : '';
    const right = `${spec.help}${choices}${spec.default !== undefined ? ` (default ${spec.default})` : ''}`;
    return [left, right] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [`usage: ${usage}`, '', description, '', ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`), ''].join('\n');
}
