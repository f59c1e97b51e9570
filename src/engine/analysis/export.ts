/**
 * "Take it away": the token / positional / combined matrices as CSV, JSON or NumPy `.npy`, and the token IDs and
 * spans as JSON. Pure functions from plain data to text/bytes, so the CLI, the worker and tests share them.
 *
 * Numbers: every float32 is written as the SHORTEST decimal that reads back to the same float32
 * (e.g. `0.3373702`, as numpy prints np.float32, not the 17-digit widening `0.3373701870441437`), so CSV/JSON round-trip exactly
 * through `np.float32(...)` / `torch.tensor(..., dtype=torch.float32)`. NaN/±Infinity become `NaN`, `inf`,
 * `-inf` in CSV (what pandas/numpy read) and `null` in JSON (JSON has no such numbers).
 *
 * CSV follows RFC 4180: comma separated, CRLF line ends, a field is quoted when it contains `"`, `,`, CR, LF or
 * leading/trailing whitespace, with `"` doubled. Token texts are untrusted (they are the user's text): a text
 * starting with `=`, `+`, `-`, `@`, TAB or CR would be run as a formula by spreadsheet programs (CSV injection),
 * so such a field gets a leading `'` and is always quoted — e.g. the token `=cmd` is written `"'=cmd"`.
 * Numeric columns are never altered (a negative number is data, not a formula).
 */
import { encodeNpy } from './npy';
import { runSteps, type Steps } from '../steps';
import type { TokenizerDescription } from '../../shared/embeddingTypes';

export type ExportFormat = 'csv' | 'json' | 'npy';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'npy'];

/** A float32 tensor in C order (row-major), e.g. `rows × dim` or `(batch, context, dim)`. */
export interface ExportTensor {
  /** Name used in JSON (`token_embeddings`, `pos_embeddings`, `input_embeddings` …). */
  name: string;
  data: Float32Array;
  shape: number[];
}

/** Optional per-row labels for a 2-D matrix whose rows are tokens (leading CSV columns index,id,token). */
export interface RowLabels {
  /** Token index in the text (defaults to 0…rows-1). */
  index?: ArrayLike<number>;
  ids?: ArrayLike<number>;
  texts?: readonly string[];
}

/** A token of the text for the IDs-and-spans JSON. Spans are UTF-16 `[start, end)` offsets. */
export interface ExportToken {
  id: number;
  start: number;
  end: number;
  text: string;
}

export interface ExportFile {
  /** File extension without the dot. */
  extension: ExportFormat;
  mime: string;
  bytes: Uint8Array;
}

// ───────────────────────── numbers ─────────────────────────

/** 10^0 … 10^22: every one exact in float64. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The double nearest to the decimal `round(a / 10^k)·10^k` for a float32 `a` > 0, or NaN when that cannot be
 * decided without the slow path: |k| > 22 (10^|k| not exact), or a / 10^k within rounding of a half-way point.
 * With n < 2^53 and 10^|k| exact, n·10^k and n/10^|k| are single correctly rounded operations, so the result is
 * exactly what Number() gives for the decimal string — the fast path of every correct strtod.
 */
function roundedToPowerOfTen(a: number, k: number): number {
  if (k > 22 || k < -22) return NaN;
  const q = k >= 0 ? a / EXACT_POWERS_OF_TEN[k]! : a * EXACT_POWERS_OF_TEN[-k]!;
  if (q >= 2 ** 52) return NaN;
  const floor = Math.floor(q);
  // q carries one rounding (relative 2^−53): a fraction this close to ½ might be on either side of it.
  if (Math.abs(q - floor - 0.5) <= q * 2 ** -50) return NaN;
  const n = q - floor > 0.5 ? floor + 1 : floor;
  return k >= 0 ? n * EXACT_POWERS_OF_TEN[k]! : n / EXACT_POWERS_OF_TEN[-k]!;
}

/** The shortest decimal string that parses back to exactly this float32 value. */
export function float32ToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Fast path: f rounded to p significant digits as the double Number() reads from f.toPrecision(p), by exact
  // float64 arithmetic; any case it cannot decide (NaN) goes to the toPrecision path.
  const a = Math.abs(f);
  let e10 = Math.floor(Math.log10(a));
  // log10 may be off by one next to a power of ten: 9 digits must scale a into [1e8, 1e9).
  const q9 = e10 - 8 >= 0 ? a / EXACT_POWERS_OF_TEN[Math.min(e10 - 8, 22)]! : a * EXACT_POWERS_OF_TEN[Math.min(8 - e10, 22)]!;
  if (q9 < 1e8) e10--;
  else if (q9 >= 1e9) e10++;
  // Most float32 values need 7–9 significant digits: start at 7 and walk down or up (2–3 tries, not 9).
  // Round-tripping is monotone in p (more digits are never farther from f), so this finds the shortest.
  let v = roundedToPowerOfTen(a, e10 - 6);
  if (v !== v) return float32ToStringByPrecision(f);
  if (Math.fround(v) === a) {
    for (let p = 6; p >= 1; p--) {
      const shorter = roundedToPowerOfTen(a, e10 - p + 1);
      if (shorter !== shorter) return float32ToStringByPrecision(f);
      if (Math.fround(shorter) !== a) break;
      v = shorter;
    }
  } else {
    v = roundedToPowerOfTen(a, e10 - 7);
    if (v === v && Math.fround(v) !== a) v = roundedToPowerOfTen(a, e10 - 8); // 9 digits always round-trip
    if (v !== v) return float32ToStringByPrecision(f);
  }
  // The double nearest a decimal of ≤ 9 digits prints as that decimal (its shortest round trip), so this is
  // String(Number(f.toPrecision(p))), what the toPrecision path returns.
  return String(f < 0 ? -v : v);
}

/** float32ToString through toPrecision (any float32; ~4× slower): the reference the fast path must equal. */
export function float32ToStringByPrecision(f: number): string {
  const roundTrips = (p: number) => Math.fround(Number(f.toPrecision(p))) === f;
  let p = 7;
  if (roundTrips(p)) {
    while (p > 1 && roundTrips(p - 1)) p--;
  } else {
    p = roundTrips(8) ? 8 : 9;
  }
  return String(Number(f.toPrecision(p)));
}

function csvNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return float32ToString(x);
}

function jsonNumber(x: number): string {
  return Number.isFinite(x) ? float32ToString(x) : 'null';
}

// ───────────────────────── CSV ─────────────────────────

const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field holding untrusted text, neutralised against spreadsheet formula injection. */
export function csvTextField(text: string): string {
  const guarded = FORMULA_START.test(text) ? `'${text}` : text;
  const mustQuote = guarded !== text || /[",\r\n]/.test(guarded) || /^\s|\s$/.test(guarded);
  return mustQuote ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function checkMatrix(data: ArrayLike<number>, rows: number, dim: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(dim) || rows < 0 || dim < 0) {
    throw new RangeError(`bad matrix size ${rows}×${dim}`);
  }
  if (data.length !== rows * dim) throw new RangeError(`a ${rows}×${dim} matrix needs ${rows * dim} values, got ${data.length}`);
}

function checkLabels(labels: RowLabels, rows: number): void {
  for (const [key, arr] of [
    ['index', labels.index],
    ['ids', labels.ids],
    ['texts', labels.texts],
  ] as const) {
    if (arr !== undefined && arr.length !== rows) throw new RangeError(`labels.${key} has ${arr.length} entries for ${rows} rows`);
  }
}

/**
 * A `rows × dim` float32 matrix as CSV: header `dim_0,…,dim_{d-1}`, preceded by `index,id,token` when labels are
 * given (only the label columns that are present). Ends with CRLF.
 */
export function matrixToCsv(data: ArrayLike<number>, rows: number, dim: number, labels?: RowLabels): string {
  return runSteps(matrixToCsvSteps(data, rows, dim, labels));
}

/** matrixToCsv as steps (one per 16 rows), for runStepsAsync. */
export function* matrixToCsvSteps(data: ArrayLike<number>, rows: number, dim: number, labels?: RowLabels): Steps<string> {
  checkMatrix(data, rows, dim);
  const withLabels = labels !== undefined;
  if (labels) checkLabels(labels, rows);
  const header: string[] = [];
  if (withLabels) {
    header.push('index');
    if (labels.ids) header.push('id');
    if (labels.texts) header.push('token');
  }
  for (let j = 0; j < dim; j++) header.push(`dim_${j}`);
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    if (withLabels) {
      cells.push(String(labels.index ? labels.index[i] : i));
      if (labels.ids) cells.push(String(labels.ids[i]));
      if (labels.texts) cells.push(csvTextField(labels.texts[i]!));
    }
    for (let j = 0; j < dim; j++) cells.push(csvNumber(data[i * dim + j]!));
    lines.push(cells.join(','));
    if (i % 16 === 15) yield;
  }
  return lines.join('\r\n') + '\r\n';
}

// ───────────────────────── JSON ─────────────────────────

function nestedJson(data: ArrayLike<number>, shape: readonly number[], dim: number, offset: number, stride: number[]): string {
  if (shape.length === 0) return jsonNumber(data[0]!);
  const n = shape[dim]!;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = offset + i * stride[dim]!;
    parts.push(dim === shape.length - 1 ? jsonNumber(data[at]!) : nestedJson(data, shape, dim + 1, at, stride));
  }
  return '[' + parts.join(',') + ']';
}

function tensorShapeCheck(t: ExportTensor): void {
  let n = 1;
  for (const s of t.shape) {
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`${t.name}: bad shape [${t.shape.join(', ')}]`);
    n *= s;
  }
  if (n !== t.data.length) throw new RangeError(`${t.name}: shape [${t.shape.join(', ')}] needs ${n} values, got ${t.data.length}`);
}

/** `{"name":…,"dtype":"float32","shape":[…],"data":[[…],…]}` with nested arrays in C order. */
export function tensorToJson(t: ExportTensor): string {
  tensorShapeCheck(t);
  const strides = new Array<number>(t.shape.length);
  let s = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= t.shape[d]!;
  }
  return `{"name":${JSON.stringify(t.name)},"dtype":"float32","shape":${JSON.stringify(t.shape)},"data":${nestedJson(t.data, t.shape, 0, 0, strides)}}`;
}

/** Several tensors plus free-form metadata (settings, source) in one JSON document. */
export function tensorsToJson(tensors: readonly ExportTensor[], meta: Record<string, unknown> = {}): string {
  const body = tensors.map((t) => `${JSON.stringify(t.name)}:${tensorToJson(t)}`).join(',');
  return `{"meta":${JSON.stringify(meta)},"tensors":{${body}}}`;
}

/**
 * Token IDs and spans: `{"tokenizer":{kind,name,path?,model,vocabSize},"count":n,"ids":[…],"spans":[[s,e],…],
 * "tokens":[{id,start,end,text},…]}`.
 */
export function tokensToJson(tokenizer: TokenizerDescription, tokens: readonly ExportToken[]): string {
  return JSON.stringify({
    tokenizer,
    count: tokens.length,
    ids: tokens.map((t) => t.id),
    spans: tokens.map((t) => [t.start, t.end]),
    tokens: tokens.map((t) => ({ id: t.id, start: t.start, end: t.end, text: t.text })),
  });
}

// ───────────────────────── one entry point ─────────────────────────

/**
 * One tensor as a file. CSV needs a 2-D matrix (a 3-D batch is written as `batch·context` rows);
 * JSON and `.npy` keep the shape.
 */
export function exportTensor(format: ExportFormat, t: ExportTensor, labels?: RowLabels): ExportFile {
  return runSteps(exportTensorSteps(format, t, labels));
}

/** exportTensor as steps (CSV: one per 16 rows), for runStepsAsync. */
export function* exportTensorSteps(format: ExportFormat, t: ExportTensor, labels?: RowLabels): Steps<ExportFile> {
  tensorShapeCheck(t);
  switch (format) {
    case 'csv': {
      const dim = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1]!;
      const rows = dim === 0 ? 0 : t.data.length / dim;
      return { extension: 'csv', mime: 'text/csv', bytes: new TextEncoder().encode(yield* matrixToCsvSteps(t.data, rows, dim, labels)) };
    }
    case 'json':
      return { extension: 'json', mime: 'application/json', bytes: new TextEncoder().encode(tensorToJson(t)) };
    case 'npy':
      return { extension: 'npy', mime: 'application/octet-stream', bytes: encodeNpy(t.data, t.shape) };
  }
}
