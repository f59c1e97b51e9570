/**
 * Prints tensors the way PyTorch's `repr(tensor)` does (torch/_tensor_str.py with the default print options:
 * precision 4, threshold 1000, edgeitems 3, linewidth 80), so the CLI's tables can be compared with a
 * notebook character by character: the shared column width, the sign space, integer-valued floats as `1.`,
 * scientific notation when values span more than 1000×, summarisation with `...` for big tensors, wrapping
 * of long rows, and the `requires_grad=True` / `grad_fn=<…>` suffixes.
 *
 * Numbers are rounded from their exact binary value with ties to even, as Python's format() does (JS's
 * toFixed rounds ties away from zero, which differs on values such as 0.03125).
 */

export interface TensorView {
  shape: readonly number[];
  /** Element at a row-major flat index. Only the elements that are printed are read. */
  at(flatIndex: number): number;
  dtype: 'float32' | 'int64';
}

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE = 3;
const LINEWIDTH = 80;

export function tensorView(shape: readonly number[], data: ArrayLike<number>, dtype: TensorView['dtype'] = 'float32'): TensorView {
  return { shape, dtype, at: (i) => data[i] };
}

/** `tensor([...], <suffixes>)`, exactly like `repr()`. */
export function formatTensor(t: TensorView, suffixes: readonly string[] = []): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const extra = [...suffixes];
  let body: string;
  if (numel === 0) {
    body = '[]';
    if (!(t.shape.length === 1 && t.shape[0] === 0)) {
      extra.unshift(`size=(${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''})`);
    }
  } else if (t.shape.length === 0) {
    // A 0-d tensor prints its one value without brackets: tensor(3.1416).
    body = new Formatter(t.dtype, [t.at(0)]).format(t.at(0));
  } else {
    const summarize = numel > THRESHOLD;
    const formatter = new Formatter(t.dtype, summarizedValues(t, summarize));
    body = tensorStr(t, strides(t.shape), 0, 0, indent, summarize, formatter);
  }
  return addSuffixes(prefix + body, extra, indent);
}

/** `Parameter containing:\ntensor(..., requires_grad=True)`, as printing an nn.Embedding's weight shows. */
export function formatParameter(t: TensorView): string {
  return `Parameter containing:\n${formatTensor(t, ['requires_grad=True'])}`;
}

/** `torch.Size([8, 4, 256])`. */
export function formatSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d];
  }
  return out;
}

/** Indices printed along a dimension of size n: all, or the first and last EDGE when summarising. */
function shownIndices(n: number, summarize: boolean): { head: number[]; tail: number[] } {
  if (summarize && n > 2 * EDGE) {
    return { head: range(0, EDGE), tail: range(n - EDGE, n) };
  }
  return { head: range(0, n), tail: [] };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** The values the formatter sizes its columns from (get_summarized_data). */
function summarizedValues(t: TensorView, summarize: boolean): number[] {
  const st = strides(t.shape);
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    if (dim === t.shape.length) {
      out.push(t.at(offset));
      return;
    }
    const { head, tail } = shownIndices(t.shape[dim], summarize);
    for (const i of [...head, ...tail]) walk(dim + 1, offset + i * st[dim]);
  };
  walk(0, 0);
  return out;
}

function tensorStr(t: TensorView, st: number[], dim: number, offset: number, indent: number, summarize: boolean, f: Formatter): string {
  const remaining = t.shape.length - dim;
  const { head, tail } = shownIndices(t.shape[dim], summarize);
  if (remaining === 1) {
    const data = head.map((i) => f.format(t.at(offset + i * st[dim])));
    if (tail.length) data.push(' ...', ...tail.map((i) => f.format(t.at(offset + i * st[dim]))));
    const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (f.width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const sub = (i: number) => tensorStr(t, st, dim + 1, offset + i * st[dim], indent + 1, summarize, f);
  const slices = head.map(sub);
  if (tail.length) slices.push('...', ...tail.map(sub));
  return `[${slices.join(`,${'\n'.repeat(remaining - 1)}${' '.repeat(indent + 1)}`)}]`;
}

function addSuffixes(tensorStr: string, suffixes: readonly string[], indent: number): string {
  const parts = [tensorStr];
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > LINEWIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** torch/_tensor_str.py `_Formatter`: one column width and one notation for the whole tensor. */
class Formatter {
  readonly width: number;
  private readonly intMode: boolean;
  private readonly sciMode: boolean;

  constructor(
    private readonly dtype: TensorView['dtype'],
    values: number[],
  ) {
    let width = 1;
    let intMode = true;
    let sciMode = false;
    if (dtype === 'int64') {
      for (const v of values) width = Math.max(width, String(v).length);
    } else {
      const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
      if (finite.length > 0) {
        const abs = finite.map(Math.abs);
        const min = Math.min(...abs);
        const max = Math.max(...abs);
        intMode = finite.every((v) => v === Math.ceil(v));
        if (intMode) {
          if (max / min > 1000 || max > 1e8) {
            sciMode = true;
            for (const v of finite) width = Math.max(width, pyExp(v, PRECISION).length);
          } else {
            for (const v of finite) width = Math.max(width, pyFixed(v, 0).length + 1);
          }
        } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
          sciMode = true;
          for (const v of finite) width = Math.max(width, pyExp(v, PRECISION).length);
        } else {
          for (const v of finite) width = Math.max(width, pyFixed(v, PRECISION).length);
        }
      }
    }
    this.width = width;
    this.intMode = intMode;
    this.sciMode = sciMode;
  }

  format(value: number): string {
    let s: string;
    if (this.dtype === 'int64') s = String(value);
    else if (this.sciMode) s = pyExp(value, PRECISION);
    else if (this.intMode) s = pyFixed(value, 0) + (Number.isFinite(value) ? '.' : '');
    else s = pyFixed(value, PRECISION);
    return s.padStart(this.width, ' ');
  }
}

// ───────────── Python-exact number formatting ─────────────

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** |x| as N / 10^scale with integer N, exactly (every double is a finite decimal). */
function exactDecimal(x: number): { n: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  if (mantissa === 0n) return { n: 0n, scale: 0 };
  if (exp >= 0) return { n: mantissa << BigInt(exp), scale: 0 };
  return { n: mantissa * 5n ** BigInt(-exp), scale: -exp };
}

/** n / 10^k rounded to an integer, ties to even. */
function roundDiv(n: bigint, k: number): bigint {
  if (k <= 0) return n * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k);
  const q = n / d;
  const r = n % d;
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n === 1n)) return q + 1n;
  return q;
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python's `f"{x:.{digits}f}"`. */
export function pyFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const { n, scale } = exactDecimal(x);
  const q = roundDiv(n, scale - digits)
    .toString()
    .padStart(digits + 1, '0');
  const int = q.slice(0, q.length - digits);
  const frac = q.slice(q.length - digits);
  return `${signOf(x)}${int}${digits > 0 ? `.${frac}` : ''}`;
}

/** Python's `f"{x:.{digits}e}"` (exponent with a sign and at least two digits). */
export function pyExp(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const { n, scale } = exactDecimal(x);
  let mant: string;
  let exp: number;
  if (n === 0n) {
    mant = '0'.repeat(digits + 1);
    exp = 0;
  } else {
    const len = n.toString().length;
    exp = len - 1 - scale;
    let q = roundDiv(n, len - (digits + 1));
    if (q.toString().length > digits + 1) {
      q /= 10n; // 9.99995 → 10.0000: exactly a power of ten, nothing is lost
      exp += 1;
    }
    mant = q.toString();
  }
  const body = digits > 0 ? `${mant[0]}.${mant.slice(1)}` : mant;
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${signOf(x)}${body}e${e}`;
}

export interface TorchReprOptions {
  dtype?: TensorView['dtype'];
  /** `Parameter containing:` header plus `requires_grad=True`, as printing an nn.Embedding's weight shows. */
  parameter?: boolean;
  requiresGrad?: boolean;
  /** e.g. `EmbeddingBackward0` → `grad_fn=<EmbeddingBackward0>`. */
  gradFn?: string;
}

/** `repr()` of a dense row-major tensor: the array-taking form of {@link formatTensor}. */
export function formatTorchTensor(data: ArrayLike<number>, shape: readonly number[], options: TorchReprOptions = {}): string {
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new RangeError(`bad tensor shape (${shape.join(', ')})`);
  const numel = shape.reduce((a, b) => a * b, 1);
  if (data.length !== numel) throw new RangeError(`shape (${shape.join(', ')}) needs ${numel} values, got ${data.length}`);
  const view = tensorView(shape, data, options.dtype);
  if (options.parameter) return formatParameter(view);
  const suffixes: string[] = [];
  if (options.requiresGrad) suffixes.push('requires_grad=True');
  if (options.gradFn) suffixes.push(`grad_fn=<${options.gradFn}>`);
  return formatTensor(view, suffixes);
}
