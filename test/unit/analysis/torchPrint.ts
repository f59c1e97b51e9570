// Reading PyTorch printouts: the commented blocks a generated script states, and comparing prints.
import assert from 'node:assert/strict';

/**
 * Same printout up to PyTorch's own kernel noise: the layout must be identical and every number may differ by at
 * most one unit in its last printed digit or by KERNEL_NOISE absolute (PyTorch's vectorised and scalar kernels
 * differ by ~2e-6 on values of order 1, which flips a 4th decimal now and then, or a 4th significant digit of a
 * sum that nearly cancels when the print is in scientific notation), and only rarely.
 */
const KERNEL_NOISE = 2e-6;

export function assertSamePrint(actual: string, expected: string, what: string) {
  const num = /-?\d+\.\d+(?:e[+-]\d+)?/g;
  assert.equal(actual.replace(num, '#'), expected.replace(num, '#'), `${what}: layout`);
  const a = actual.match(num) ?? [];
  const e = expected.match(num) ?? [];
  let flips = 0;
  a.forEach((x, i) => {
    if (x === e[i]) return;
    flips++;
    const [mant, exp] = x.split('e');
    const ulp = 10 ** -mant!.split('.')[1]!.length * 10 ** Number(exp ?? 0);
    assert.ok(Math.abs(Number(x) - Number(e[i])) <= Math.max(ulp * 1.0001, KERNEL_NOISE), `${what}: ${x} vs ${e[i]}`);
  });
  assert.ok(flips <= Math.max(1, a.length / 50), `${what}: ${flips} of ${a.length} numbers differ`);
}

/** The lines of a commented block that follows a marker line, uncommented. */
export function commentAfter(code: string, marker: string): string {
  const lines = code.split('\n');
  const at = lines.indexOf(marker);
  assert.ok(at >= 0, `marker ${marker} missing`);
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i]!.startsWith('#') && !lines[i]!.startsWith('# print('); i++) {
    out.push(lines[i]!.replace(/^# ?/, ''));
  }
  return out.join('\n');
}

/** Splits a script's stdout into printed values: tensor reprs (balanced parentheses, possibly many lines) and other lines. */
export function printedValues(out: string): string[] {
  const values: string[] = [];
  let open: string[] | null = null;
  let depth = 0;
  for (const line of out.split('\n')) {
    if (open) {
      open.push(line);
      depth += (line.match(/\(/g) ?? []).length - (line.match(/\)/g) ?? []).length;
      if (depth === 0) {
        values.push(open.join('\n'));
        open = null;
      }
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('tensor(')) {
      depth = (trimmed.match(/\(/g) ?? []).length - (trimmed.match(/\)/g) ?? []).length;
      if (depth === 0) values.push(trimmed);
      else open = [trimmed];
    } else if (trimmed) values.push(trimmed);
  }
  return values;
}
