/**
 * Prints a tensor exactly like PyTorch's default `repr` (torch/_tensor_str.py): `tensor([[ 0.3374, -0.1778], …])`.
 *
 * Why a port and not `toFixed`: PyTorch formats the float32 value widened to a Python float with Python's
 * correctly rounded, round-half-even formatting (`'{:.4f}'.format(0.03125) == '0.0312'`), while JS `toFixed`
 * rounds ties away from zero. We therefore round the exact binary value with BigInt arithmetic.
 * The layout rules (shared column width, sign alignment, scientific-notation switch, `...` summarisation with
 * edge items, line wrapping at 80 columns, suffix placement) follow `_Formatter`, `_vector_str`,
 * `_tensor_str_with_formatter`, `get_summarized_data` and `_add_suffixes`. Expected strings in the tests were
 * printed by real PyTorch (test/fixtures/analysis-torch-reference.json).
 */

export interface TorchPrintOptions {
  /** Digits after the decimal point (torch.set_printoptions(precision=…)); default 4. */
  precision?: number;
  /** Line width; default 80. */
  linewidth?: number;
  /** Summarise with `...` when the tensor has more than this many elements; default 1000. */
  threshold?: number;
  /** Items kept at each edge of a summarised dimension; default 3. */
  edgeitems?: number;
  /** Force (true) or forbid (false) scientific notation; default: PyTorch's automatic choice. */
  sciMode?: boolean;
}

export interface TorchReprOptions extends TorchPrintOptions {
  /** `float32` (PyTorch's default dtype, the default here) or `int64` (token IDs, `torch.tensor([[40, …]])`). */
  dtype?: 'float32' | 'int64';
  /** Appends `requires_grad=True` (a leaf that requires grad, e.g. an nn.Embedding weight). */
  requiresGrad?: boolean;
  /** Appends `grad_fn=<…>`, e.g. `EmbeddingBackward0`, `AddBackward0`; takes precedence over requiresGrad. */
  gradFn?: string;
  /** Prefixes `Parameter containing:\n`, as `print(layer.weight)` does. */
  parameter?: boolean;
}

const DEFAULTS: Required<Omit<TorchPrintOptions, 'sciMode'>> = {
  precision: 4,
  linewidth: 80,
  threshold: 1000,
  edgeitems: 3,
};

// ───────────────────────── exact decimal formatting of a double ─────────────────────────

/** |x| = mant · 2^exp exactly, for finite x. */
function decompose(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return { mant, exp };
}

/** round-half-even(num / den) for non-negative bigints. */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** round-half-even(|x| · 10^shift) for finite x and any integer shift. */
function scaledRound(x: number, shift: number): bigint {
  const { mant, exp } = decompose(Math.abs(x));
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  return divRoundHalfEven(num, den);
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Python's `'{:.{p}f}'.format(x)`. */
export function pyFormatFixed(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const digits = scaledRound(x, precision).toString();
  let body: string;
  if (precision === 0) {
    body = digits;
  } else {
    const padded = digits.padStart(precision + 1, '0');
    body = `${padded.slice(0, -precision)}.${padded.slice(-precision)}`;
  }
  return (isNegative(x) ? '-' : '') + body;
}

/** Python's `'{:.{p}e}'.format(x)`. */
export function pyFormatExp(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = isNegative(x) ? '-' : '';
  let e = 0;
  let q = 0n;
  if (x !== 0) {
    const low = 10n ** BigInt(precision);
    const high = low * 10n;
    e = Math.floor(Math.log10(Math.abs(x)));
    // log10 can be off by one near powers of ten; adjust until the rounded mantissa has precision+1 digits.
    for (;;) {
      q = scaledRound(x, precision - e);
      if (q >= high) e += 1;
      else if (q < low) e -= 1;
      else break;
    }
  }
  const digits = q.toString().padStart(precision + 1, '0');
  const mantissa = precision === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const expAbs = Math.abs(e).toString().padStart(2, '0');
  return `${sign}${mantissa}e${e < 0 ? '-' : '+'}${expAbs}`;
}

// ───────────────────────── _Formatter ─────────────────────────

/** One column width and notation for every printed element, chosen from the values that get printed. */
export class TorchElementFormatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    values: ArrayLike<number>,
    private readonly floating: boolean,
    private readonly precision: number,
    sciModeOverride?: boolean,
  ) {
    if (!floating) {
      for (let i = 0; i < values.length; i++) this.maxWidth = Math.max(this.maxWidth, String(values[i]).length);
      return;
    }
    const nonzeroFinite: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v) && v !== 0) nonzeroFinite.push(v);
    }
    if (nonzeroFinite.length > 0) {
      let min = Infinity;
      let max = 0;
      for (const v of nonzeroFinite) {
        const a = Math.abs(v);
        if (a < min) min = a;
        if (a > max) max = a;
        if (v !== Math.ceil(v)) this.intMode = false;
      }
      const sci = max / min > 1000 || max > 1e8 || (!this.intMode && min < 1e-4);
      if (sci) {
        this.sciMode = true;
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, pyFormatExp(v, precision).length);
      } else if (this.intMode) {
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, pyFormatFixed(v, 0).length + 1);
      } else {
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, pyFormatFixed(v, precision).length);
      }
    }
    if (sciModeOverride !== undefined) this.sciMode = sciModeOverride;
  }

  width(): number {
    return this.maxWidth;
  }

  format(value: number): string {
    let ret: string;
    if (!this.floating) ret = String(value);
    else if (this.sciMode) ret = pyFormatExp(value, this.precision);
    else if (this.intMode) ret = pyFormatFixed(value, 0) + (Number.isFinite(value) ? '.' : '');
    else ret = pyFormatFixed(value, this.precision);
    return ret.padStart(this.maxWidth, ' ');
  }
}

// ───────────────────────── layout ─────────────────────────

interface View {
  data: ArrayLike<number>;
  shape: readonly number[];
  strides: number[];
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** Indices printed along a dimension of size n (all, or the edge items around `...`). */
function printedIndices(n: number, summarize: boolean, edge: number): { head: number[]; tail: number[] | null } {
  if (summarize && n > 2 * edge) {
    const head = Array.from({ length: edge }, (_, i) => i);
    const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
    return { head, tail };
  }
  return { head: Array.from({ length: n }, (_, i) => i), tail: null };
}

/** get_summarized_data: the values that will be printed, which alone decide the formatter. */
function collectPrinted(v: View, dim: number, offset: number, summarize: boolean, edge: number, out: number[]): void {
  if (dim === v.shape.length) {
    out.push(v.data[offset]!);
    return;
  }
  const { head, tail } = printedIndices(v.shape[dim]!, summarize, edge);
  for (const i of [...head, ...(tail ?? [])]) collectPrinted(v, dim + 1, offset + i * v.strides[dim]!, summarize, edge, out);
}

function vectorStr(
  v: View,
  offset: number,
  indent: number,
  summarize: boolean,
  f: TorchElementFormatter,
  o: Required<Omit<TorchPrintOptions, 'sciMode'>>,
): string {
  const dim = v.shape.length - 1;
  const elementLength = f.width() + 2;
  const perLine = Math.max(1, Math.floor((o.linewidth - indent) / elementLength));
  const { head, tail } = printedIndices(v.shape[dim]!, summarize, o.edgeitems);
  const at = (i: number) => f.format(v.data[offset + i * v.strides[dim]!]!);
  const items = tail ? [...head.map(at), ' ...', ...tail.map(at)] : head.map(at);
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStr(
  v: View,
  dim: number,
  offset: number,
  indent: number,
  summarize: boolean,
  f: TorchElementFormatter,
  o: Required<Omit<TorchPrintOptions, 'sciMode'>>,
): string {
  const remaining = v.shape.length - dim;
  if (remaining === 0) return f.format(v.data[offset]!);
  if (remaining === 1) return vectorStr(v, offset, indent, summarize, f, o);
  const { head, tail } = printedIndices(v.shape[dim]!, summarize, o.edgeitems);
  const sub = (i: number) => tensorStr(v, dim + 1, offset + i * v.strides[dim]!, indent + 1, summarize, f, o);
  const slices = tail ? [...head.map(sub), '...', ...tail.map(sub)] : head.map(sub);
  return '[' + slices.join(',' + '\n'.repeat(remaining - 1) + ' '.repeat(indent + 1)) + ']';
}

function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function checkShape(data: ArrayLike<number>, shape: readonly number[]): number {
  let numel = 1;
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`bad tensor shape [${shape.join(', ')}]`);
    numel *= s;
  }
  if (numel !== data.length) {
    throw new RangeError(`shape [${shape.join(', ')}] needs ${numel} values, got ${data.length}`);
  }
  return numel;
}

/**
 * The bracketed contents PyTorch prints inside `tensor(…)` (torch's `_tensor_str`), for `data` in C order.
 * `indent` is the column the opening bracket sits at (7 for `tensor(`).
 */
export function formatTensorBody(
  data: ArrayLike<number>,
  shape: readonly number[],
  options: TorchPrintOptions & { dtype?: 'float32' | 'int64'; indent?: number } = {},
): string {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const numel = checkShape(data, shape);
  if (numel === 0) return '[]';
  const view: View = { data, shape, strides: stridesOf(shape) };
  const summarize = numel > o.threshold;
  const printed: number[] = [];
  collectPrinted(view, 0, 0, summarize, o.edgeitems, printed);
  const floating = (options.dtype ?? 'float32') === 'float32';
  const f = new TorchElementFormatter(printed, floating, o.precision, options.sciMode);
  return tensorStr(view, 0, 0, options.indent ?? 7, summarize, f, o);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * `repr(t)` / `print(t)` of a CPU tensor of PyTorch's default dtype (float32) or int64, e.g.
 * `formatTorchTensor(weights, [6, 3], { parameter: true, requiresGrad: true })` gives the book's
 * `Parameter containing:\ntensor([[ 0.3374, -0.1778, -0.1690], …], requires_grad=True)`.
 */
export function formatTorchTensor(data: ArrayLike<number>, shape: readonly number[], options: TorchReprOptions = {}): string {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const prefix = 'tensor(';
  const indent = prefix.length;
  const numel = checkShape(data, shape);
  const suffixes: string[] = [];
  if (numel === 0 && shape.length !== 1) suffixes.push(`size=${pyTuple(shape)}`);
  if (numel === 0 && options.dtype === 'int64') suffixes.push('dtype=torch.int64');
  if (options.gradFn) suffixes.push(`grad_fn=<${options.gradFn}>`);
  else if (options.requiresGrad) suffixes.push('requires_grad=True');
  const body = formatTensorBody(data, shape, { ...options, indent });
  const text = prefix + body;
  // _add_suffixes' own arithmetic (it counts 2 more than the last line's length); copied for identical wrapping.
  let lastLineLen = text.length - text.lastIndexOf('\n') + 1;
  let out = text;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > o.linewidth) {
      out += ',\n' + ' '.repeat(indent) + suffix;
      lastLineLen = indent + suffix.length;
    } else {
      out += ', ' + suffix;
      lastLineLen += suffix.length + 2;
    }
  }
  out += ')';
  return options.parameter ? 'Parameter containing:\n' + out : out;
}

/** `repr(t.shape)`, e.g. `torch.Size([8, 4, 256])`. */
export function formatTorchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}
