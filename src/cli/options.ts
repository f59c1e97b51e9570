/**
 * Command-line options, parsed by Node's own `util.parseArgs` (strict: an unknown flag is an error, never silently
 * ignored; `--flag value` and `--flag=value`), then converted and checked per kind with messages that name the flag.
 */
import { parseArgs } from 'node:util';
import { MAX_SEED, canonicalSeed, seedProblem } from '../shared/limits';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionKind = 'string' | 'int' | 'bool' | 'intList' | 'seed';

export interface OptionSpec {
  kind: OptionKind;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** Placeholder shown in help, e.g. `N`. */
  meta?: string;
  help: string;
  default?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type OptionValues = Record<string, string | number | boolean | number[] | undefined>;

function parseInt10(flag: string, raw: string): number {
  if (!/^[0-9]+$/.test(raw)) throw new UsageError(`--${flag} expects a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag} is too large: ${raw}`);
  return n;
}

function convert(flag: string, spec: OptionSpec, raw: string): string | number | number[] {
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

/** parseArgs' errors, said in this CLI's words. */
function usageErrorOf(e: unknown, command: string, specs: OptionSpecs): UsageError {
  const see = `(see: token-embeddings ${command} --help)`;
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const flag = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';
  const name = flag.replace(/^-+/, '');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${flag} for ${command} ${see}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${JSON.stringify(/'([^']*)'/.exec(message)?.[1] ?? '')} ${see}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const spec = specs[name];
      if (spec?.kind === 'bool') return new UsageError(`--${name} does not take a value`);
      return new UsageError(`--${name} needs a value${spec?.meta ? ` (${spec.meta})` : ''} (use --${name}=VALUE for a value starting with -)`);
    }
    default:
      return new UsageError(message);
  }
}

/** Parses `argv` (after the command name) against `specs`; defaults are applied by the commands. */
export function parseOptions(
  command: string,
  argv: readonly string[],
  specs: OptionSpecs,
  allowPositionals = false,
): { values: OptionValues; positionals: string[] } {
  // `--seed -5`, `--file -`: a value after its flag may start with one dash (parseArgs would call it ambiguous).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const spec = arg.startsWith('--') && !arg.includes('=') ? specs[arg.slice(2)] : undefined;
    if (spec && spec.kind !== 'bool' && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.kind === 'bool' ? 'boolean' : 'string' }])),
      strict: true,
      allowPositionals,
      tokens: true,
    });
  } catch (e) {
    throw usageErrorOf(e, command, specs);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
  }
  const values: OptionValues = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const spec = specs[name];
    values[name] = spec.kind === 'bool' ? raw === true : convert(name, spec, raw as string);
  }
  return { values, positionals: parsed.positionals };
}

export function helpText(usage: string, description: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = `--${name}${spec.kind === 'bool' ? '' : ` ${spec.meta ?? 'VALUE'}`}`;
    const choices = spec.choices ? `: ${spec.choices.join(', ')}` : '';
    const right = `${spec.help}${choices}${spec.default !== undefined ? ` (default ${spec.default})` : ''}`;
    return [left, right] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [`usage: ${usage}`, '', description, '', ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`), ''].join('\n');
}
