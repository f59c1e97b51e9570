/**
 * Defensive parsing of host → webview messages. Anything can arrive on `window.message` (other frames,
 * extensions, a host bug), so every field is checked and vectors are normalised to Float32Array: VS Code
 * delivers typed arrays as typed arrays, but a JSON round trip turns them into `{ "0": …, "1": … }` objects
 * or plain arrays, which are accepted too. No DOM here, so Node unit tests import it directly.
 */
import { ENCODINGS, POSITIONAL_SCHEMES, type EmbeddingSettings, type SourceDescription, type TokenInfo } from '../../src/shared/embeddingTypes';
import type { Neighbor } from '../../src/shared/engineProtocol';
import type { HostToWebview, NeighborsMessage, PanelState, ViewInspectResult } from '../../src/shared/webviewProtocol';

import { parseAnalysisMessage } from './analysisMessages';

export class InvalidMessage extends Error {
  override name = 'InvalidMessage';
}

type Obj = Record<string, unknown>;

function obj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidMessage(`${what}: expected an object`);
  return v as Obj;
}
function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidMessage(`${what}: expected a finite number`);
  return v;
}
function int(v: unknown, what: string, min = 0): number {
  const n = num(v, what);
  if (!Number.isInteger(n) || n < min) throw new InvalidMessage(`${what}: expected an integer ≥ ${min}`);
  return n;
}
function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new InvalidMessage(`${what}: expected a string`);
  return v;
}
function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new InvalidMessage(`${what}: expected a boolean`);
  return v;
}
function oneOf<T extends string>(v: unknown, options: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new InvalidMessage(`${what}: expected one of ${options.join(', ')}`);
  }
  return v as T;
}
function tuple<N extends number>(v: unknown, n: N, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n) throw new InvalidMessage(`${what}: expected ${n} integers`);
  return v.map((x, i) => int(x, `${what}[${i}]`));
}

/** Accepts Float32Array (and other numeric typed arrays), number[], or a JSON-serialised typed array. */
export function toFloat32(v: unknown, length: number, what: string): Float32Array {
  let out: Float32Array;
  if (v instanceof Float32Array) out = v;
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out = Float32Array.from(v as unknown as ArrayLike<number>);
  else if (Array.isArray(v)) out = Float32Array.from(v, (x) => (typeof x === 'number' ? x : NaN));
  else if (v !== null && typeof v === 'object') {
    const o = v as Obj;
    out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const x = o[i];
      if (typeof x !== 'number') throw new InvalidMessage(`${what}: element ${i} missing`);
      out[i] = x;
    }
  } else throw new InvalidMessage(`${what}: expected a Float32Array`);
  if (out.length !== length) throw new InvalidMessage(`${what}: expected ${length} values, got ${out.length}`);
  return out;
}

function toInt32(v: unknown, length: number, what: string): Int32Array {
  const f = toFloat32(v, length, what);
  const out = v instanceof Int32Array ? v : Int32Array.from(f);
  if (out.length !== length) throw new InvalidMessage(`${what}: expected ${length} values`);
  return out;
}

function parseToken(v: unknown, i: number): TokenInfo {
  const o = obj(v, `tokens[${i}]`);
  const start = int(o.start, `tokens[${i}].start`);
  const end = int(o.end, `tokens[${i}].end`);
  if (end < start) throw new InvalidMessage(`tokens[${i}]: end before start`);
  const bytes = Array.isArray(o.bytes) ? o.bytes.map((b, j) => int(b, `tokens[${i}].bytes[${j}]`)) : [];
  return { id: int(o.id, `tokens[${i}].id`), start, end, bytes, text: str(o.text, `tokens[${i}].text`) };
}

function parseSource(v: unknown): SourceDescription {
  const o = obj(v, 'source');
  const common = {
    vocabSize: int(o.vocabSize, 'source.vocabSize'),
    dim: int(o.dim, 'source.dim'),
    contextLength: int(o.contextLength, 'source.contextLength'),
  };
  if (o.kind === 'random') return { kind: 'random', seed: str(o.seed, 'source.seed'), ...common };
  if (o.kind === 'file') {
    return {
      kind: 'file',
      path: str(o.path, 'source.path'),
      tokenTensor: str(o.tokenTensor, 'source.tokenTensor'),
      positionTensor: o.positionTensor === null ? null : str(o.positionTensor, 'source.positionTensor'),
      dtype: str(o.dtype, 'source.dtype'),
      ...common,
    };
  }
  throw new InvalidMessage('source.kind: expected random or file');
}

export function parseInspectResult(v: unknown): ViewInspectResult {
  const o = obj(v, 'result');
  const tokens = Array.isArray(o.tokens) ? o.tokens.map(parseToken) : (() => { throw new InvalidMessage('tokens: expected an array'); })();
  const dim = int(o.dim, 'dim', 1);
  const contextLength = int(o.contextLength, 'contextLength', 1);
  const n = tokens.length;
  const positions = toInt32(o.positions, n, 'positions');
  for (let i = 0; i < n; i++) {
    if (positions[i]! < 0 || positions[i]! >= contextLength) throw new InvalidMessage(`positions[${i}] outside 0..${contextLength - 1}`);
  }
  const shapes = obj(o.shapes, 'shapes');
  return {
    encoding: oneOf(o.encoding, ENCODINGS, 'encoding'),
    source: parseSource(o.source),
    positional: oneOf(o.positional, POSITIONAL_SCHEMES, 'positional'),
    totalTokens: int(o.totalTokens, 'totalTokens'),
    firstToken: int(o.firstToken, 'firstToken'),
    tokens,
    positions,
    dim,
    contextLength,
    tokenEmbeddings: toFloat32(o.tokenEmbeddings, n * dim, 'tokenEmbeddings'),
    positionalEmbeddings: toFloat32(o.positionalEmbeddings, contextLength * dim, 'positionalEmbeddings'),
    combinedEmbeddings: toFloat32(o.combinedEmbeddings, n * dim, 'combinedEmbeddings'),
    shapes: {
      inputs: tuple(shapes.inputs, 2, 'shapes.inputs') as [number, number],
      tokenEmbeddings: tuple(shapes.tokenEmbeddings, 3, 'shapes.tokenEmbeddings') as [number, number, number],
      positional: tuple(shapes.positional, 2, 'shapes.positional') as [number, number],
      combined: tuple(shapes.combined, 3, 'shapes.combined') as [number, number, number],
    },
  };
}

function parseSettings(v: unknown): EmbeddingSettings {
  const o = obj(v, 'settings');
  const w = obj(o.weights, 'settings.weights');
  const weights: EmbeddingSettings['weights'] =
    w.kind === 'file'
      ? {
          kind: 'file',
          path: str(w.path, 'weights.path'),
          ...(w.tokenTensor !== undefined ? { tokenTensor: str(w.tokenTensor, 'weights.tokenTensor') } : {}),
          ...(w.positionTensor !== undefined ? { positionTensor: str(w.positionTensor, 'weights.positionTensor') } : {}),
        }
      : { kind: 'random', seed: str(w.seed, 'weights.seed') };
  return {
    encoding: oneOf(o.encoding, ENCODINGS, 'settings.encoding'),
    allowSpecial: bool(o.allowSpecial, 'settings.allowSpecial'),
    dim: int(o.dim, 'settings.dim', 1),
    contextLength: int(o.contextLength, 'settings.contextLength', 1),
    stride: int(o.stride, 'settings.stride', 1),
    batchSize: int(o.batchSize, 'settings.batchSize', 1),
    positional: oneOf(o.positional, POSITIONAL_SCHEMES, 'settings.positional'),
    weights,
  };
}

export function parsePanelState(v: unknown): PanelState {
  const o = obj(v, 'state');
  const result = parseInspectResult(o.result);
  const selectedRow = o.selectedRow === null || o.selectedRow === undefined ? null : int(o.selectedRow, 'selectedRow');
  return {
    documentUri: o.documentUri === null || o.documentUri === undefined ? null : str(o.documentUri, 'documentUri'),
    documentLabel: typeof o.documentLabel === 'string' ? o.documentLabel : '',
    textOffset: int(o.textOffset, 'textOffset'),
    settings: parseSettings(o.settings),
    result,
    selectedRow: selectedRow !== null && selectedRow < result.tokens.length ? selectedRow : null,
  };
}

/** Weights UI: the nearest tokens of the selected row. */
function parseNeighborsMessage(o: Obj): NeighborsMessage {
  const status = oneOf(o.status, ['loading', 'ready', 'error'] as const, 'neighbors.status');
  if (!Array.isArray(o.neighbors)) throw new InvalidMessage('neighbors.neighbors: expected an array');
  const neighbors: Neighbor[] = o.neighbors.map((raw, i) => {
    const n = obj(raw, `neighbors[${i}]`);
    return {
      id: int(n.id, `neighbors[${i}].id`),
      score: num(n.score, `neighbors[${i}].score`),
      text: n.text === null ? null : str(n.text, `neighbors[${i}].text`),
    };
  });
  return {
    type: 'neighbors',
    row: int(o.row, 'neighbors.row'),
    id: int(o.id, 'neighbors.id'),
    status,
    neighbors,
    ...(typeof o.message === 'string' ? { message: o.message } : {}),
  };
}

/**
 * Returns the typed message, `null` for messages that are not ours (no known `type`), and throws
 * InvalidMessage for a known type with a malformed body (the view shows that as an error banner).
 */
export function parseHostMessage(data: unknown): HostToWebview | null {
  if (data === null || typeof data !== 'object') return null;
  const o = data as Obj;
  switch (o.type) {
    case 'state':
      return { type: 'state', state: parsePanelState(o.state) };
    case 'busy':
      return {
        type: 'busy',
        busy: bool(o.busy, 'busy'),
        ...(typeof o.message === 'string' ? { message: o.message } : {}),
      };
    case 'error':
      return { type: 'error', message: str(o.message, 'message') };
    case 'selectRow':
      return { type: 'selectRow', row: o.row === null ? null : int(o.row, 'row') };
    case 'neighbors':
      return parseNeighborsMessage(o);
    default:
      return parseAnalysisMessage(o); // analysis / analysisError / actionDone, or null (not ours)
  }
}
