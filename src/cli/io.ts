/** What the CLI commands read and write through (the real process in cli.ts, a capture in tests), and output helpers. */
import type { EngineService } from '../engine/service';
import type { OptionSpecs, OptionValues } from './options';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array;
  /** Writes a file (`-`: standard output); used by `export`. */
  writeFile(path: string, bytes: Uint8Array): void;
}

export const PROGRAM = 'token-embeddings';

/** One command: its help and options, and what it does with the parsed values. */
export interface Command {
  usage: string;
  description: string;
  options: OptionSpecs;
  /** Takes one positional argument (the `model` command's PATH). */
  positional?: boolean;
  run(values: OptionValues, io: CliIO, service: EngineService, positionals: string[]): Promise<void> | void;
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** Nested arrays `[rows][cols]` (or deeper) from a row-major buffer. */
export function nest(data: ArrayLike<number>, shape: readonly number[], offset = 0): unknown[] {
  const [n, ...inner] = shape;
  const stride = inner.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(inner.length === 0 ? data[offset + i] : nest(data, inner, offset + i * stride));
  return out;
}

export function rangeList(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A text table: the first two columns right-aligned (numbers), the others left-aligned, the last unpadded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : c < 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** A text table with every column left-aligned. */
export function leftTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** Why a file could not be read or written, from its Node error code. */
export function fileProblem(e: unknown, missing: string): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return missing;
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
