/**
 * Parsing of host → webview messages with the checks of validate.ts: `state` (the inspected page), `busy`,
 * `error`, `selectRow` and the envelope of `response` (each request's result is parsed by replies.ts). Every field the
 * host sends is kept: a field missing or malformed is an error, never silently dropped or defaulted.
 * No DOM here, so Node unit tests import it directly.
 */
import {
  ENCODINGS,
  POSITIONAL_SCHEMES,
  TOKENIZER_SOURCE_KINDS,
  type EmbeddingSettings,
  type ModelPositions,
  type SourceDescription,
  type TableDescription,
  type TokenInfo,
  type TokenizerDescription,
  type TokenizerSource,
} from '../../src/shared/embeddingTypes';
import type { HostToWebview, PanelState, ViewInspectResult } from '../../src/shared/webviewProtocol';
import type { RpcErrorKind, RpcResponse } from '../../src/shared/rpc';
import { isPixelRatio, previewRows, type MapKind, type PaintPreview, type PreviewGrid } from '../../src/shared/paintPreview';
import { LUT_BYTES } from '../../src/shared/colourScale';
import { isIntegerIn } from '../../src/shared/limits';
import { array, bool, int, InvalidMessage, num, obj, oneOf, str, toFloat32, toInt32, tuple, type Obj } from './validate';

export { InvalidMessage, toFloat32 } from './validate';

const isCount = (x: unknown): x is number => isIntegerIn(x, 0, Infinity);
const isByte = (x: unknown): x is number => isIntegerIn(x, 0, 255);

/**
 * One token. A well-formed one is checked without building a field label per check (a 1,000-token page is
 * thousands of labels, a visible share of the first paint); anything else goes through the labelled checks,
 * which name the field that is wrong.
 */
function parseToken(v: unknown, i: number): TokenInfo {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const { id, start, end, bytes, text } = v as Obj;
    if (isCount(id) && isCount(start) && isCount(end) && end >= start && typeof text === 'string' && Array.isArray(bytes) && bytes.every(isByte)) {
      return { id, start, end, bytes: bytes as number[], text };
    }
  }
  return parseTokenLabelled(v, i);
}

function parseTokenLabelled(v: unknown, i: number): TokenInfo {
  const o = obj(v, `tokens[${i}]`);
  const start = int(o.start, `tokens[${i}].start`);
  const end = int(o.end, `tokens[${i}].end`);
  if (end < start) throw new InvalidMessage(`tokens[${i}]: end before start`);
  const bytes = array(o.bytes, `tokens[${i}].bytes`).map((b, j) => {
    const byte = int(b, `tokens[${i}].bytes[${j}]`);
    if (byte > 255) throw new InvalidMessage(`tokens[${i}].bytes[${j}]: expected a byte (0 to 255)`);
    return byte;
  });
  return { id: int(o.id, `tokens[${i}].id`), start, end, bytes, text: str(o.text, `tokens[${i}].text`) };
}

function parseTokenizerDescription(v: unknown): TokenizerDescription {
  const o = obj(v, 'source.tokenizer');
  return {
    kind: oneOf(o.kind, TOKENIZER_SOURCE_KINDS, 'source.tokenizer.kind'),
    name: str(o.name, 'source.tokenizer.name'),
    ...(o.path !== undefined ? { path: str(o.path, 'source.tokenizer.path') } : {}),
    model: str(o.model, 'source.tokenizer.model'),
    vocabSize: int(o.vocabSize, 'source.tokenizer.vocabSize'),
  };
}

function parseTokenizerSource(v: unknown, what: string): TokenizerSource {
  const o = obj(v, what);
  const kind = oneOf(o.kind, TOKENIZER_SOURCE_KINDS, `${what}.kind`);
  return kind === 'encoding' ? { kind, encoding: oneOf(o.encoding, ENCODINGS, `${what}.encoding`) } : { kind, path: str(o.path, `${what}.path`) };
}

function parseModelPositions(v: unknown): ModelPositions {
  const o = obj(v, 'source.positions');
  const kind = oneOf(o.kind, ['learned', 'rope', 'alibi', 'none'] as const, 'source.positions.kind');
  const orNull = (x: unknown, what: string) => (x === null ? null : int(x, what));
  switch (kind) {
    case 'learned':
      return {
        kind,
        tensor: str(o.tensor, 'source.positions.tensor'),
        file: str(o.file, 'source.positions.file'),
        rows: int(o.rows, 'source.positions.rows'),
        offset: int(o.offset, 'source.positions.offset'),
      };
    case 'rope':
      return {
        kind,
        theta: num(o.theta, 'source.positions.theta'),
        headDim: orNull(o.headDim, 'source.positions.headDim'),
        rotaryDim: orNull(o.rotaryDim, 'source.positions.rotaryDim'),
      };
    default:
      return { kind };
  }
}

function parseSource(v: unknown): SourceDescription {
  const o = obj(v, 'source');
  return { ...parseTable(o), tokenizer: parseTokenizerDescription(o.tokenizer), paddingRows: int(o.paddingRows, 'source.paddingRows') };
}

function parseTable(o: Obj): TableDescription {
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
  if (o.kind === 'model') {
    const shard = o.shard === null ? null : obj(o.shard, 'source.shard');
    return {
      kind: 'model',
      format: oneOf(o.format, ['huggingface', 'gguf'] as const, 'source.format'),
      path: str(o.path, 'source.path'),
      architecture: o.architecture === null ? null : str(o.architecture, 'source.architecture'),
      file: str(o.file, 'source.file'),
      tokenTensor: str(o.tokenTensor, 'source.tokenTensor'),
      shard: shard && { number: int(shard.number, 'source.shard.number', 1), of: int(shard.of, 'source.shard.of', 1) },
      dtype: str(o.dtype, 'source.dtype'),
      modelContextLength: int(o.modelContextLength, 'source.modelContextLength'),
      positions: parseModelPositions(o.positions),
      ...common,
    };
  }
  throw new InvalidMessage('source.kind: expected random, file or model');
}

function parsePreviewGrid(v: unknown, rows: number, cols: number, kind: MapKind, pixelRatio: number, what: string): PreviewGrid | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, what);
  const outRows = int(o.outRows, `${what}.outRows`, 1);
  // A grid for another plan (other rows, another rule) would draw a different picture than the table's.
  if (outRows !== previewRows(rows, cols, kind, pixelRatio) || outRows >= rows) throw new InvalidMessage(`${what}.outRows: not the map's bitmap rows`);
  const values = toFloat32(o.values, outRows * cols, `${what}.values`);
  return o.rgba === undefined ? { outRows, values } : { outRows, values, rgba: pixels(o.rgba, outRows * cols * 4, `${what}.rgba`) };
}

/** RGBA bytes as the engine sends them (a JSON round trip loses them: the preview is then dropped). */
function pixels(v: unknown, length: number, what: string): Uint8ClampedArray {
  if (v instanceof Uint8ClampedArray && v.length === length) return v;
  throw new InvalidMessage(`${what}: expected ${length} bytes`);
}

/**
 * The engine's paint preview (src/shared/paintPreview.ts), checked against the tables it claims to describe.
 * It only saves the panel work: a malformed one is dropped (the panel computes the scale and bitmaps itself),
 * not a reason to refuse the state.
 */
export function parsePaintPreview(v: unknown, r: Pick<ViewInspectResult, 'tokens' | 'dim' | 'contextLength'>): PaintPreview | undefined {
  if (v === undefined) return undefined;
  try {
    const o = obj(v, 'preview');
    const pixelRatio = num(o.pixelRatio, 'preview.pixelRatio');
    if (!isPixelRatio(pixelRatio)) throw new InvalidMessage('preview.pixelRatio: out of range');
    const sc = obj(o.scale, 'preview.scale');
    const scale = {
      maxAbs: num(sc.maxAbs, 'scale.maxAbs'),
      dataMaxAbs: num(sc.dataMaxAbs, 'scale.dataMaxAbs'),
      clippedFraction: num(sc.clippedFraction, 'scale.clippedFraction'),
    };
    if (!(scale.maxAbs > 0 && scale.dataMaxAbs > 0 && scale.clippedFraction >= 0 && scale.clippedFraction <= 1))
      throw new InvalidMessage('preview.scale: out of range');
    const n = r.tokens.length;
    const token = parsePreviewGrid(o.token, n, r.dim, 'tokens', pixelRatio, 'preview.token');
    const position = parsePreviewGrid(o.position, r.contextLength, r.dim, 'positions', pixelRatio, 'preview.position');
    const combined = parsePreviewGrid(o.combined, n, r.dim, 'tokens', pixelRatio, 'preview.combined');
    const lut = o.lut === undefined ? undefined : pixels(o.lut, LUT_BYTES, 'preview.lut');
    if (!lut && [token, position, combined].some((g) => g?.rgba)) throw new InvalidMessage('preview: pixels without their colour table');
    return {
      pixelRatio,
      ...(lut ? { lut } : {}),
      scale,
      ...(token ? { token } : {}),
      ...(position ? { position } : {}),
      ...(combined ? { combined } : {}),
    };
  } catch (e) {
    if (e instanceof InvalidMessage) return undefined;
    throw e;
  }
}

export function parseInspectResult(v: unknown): ViewInspectResult {
  const o = obj(v, 'result');
  const tokens = array(o.tokens, 'tokens').map(parseToken);
  const dim = int(o.dim, 'dim', 1);
  const contextLength = int(o.contextLength, 'contextLength', 1);
  const n = tokens.length;
  const positions = toInt32(o.positions, n, 'positions');
  for (let i = 0; i < n; i++) {
    if (positions[i]! < 0 || positions[i]! >= contextLength) throw new InvalidMessage(`positions[${i}] outside 0..${contextLength - 1}`);
  }
  const shapes = obj(o.shapes, 'shapes');
  return {
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
    ...optional('preview', parsePaintPreview(o.preview, { tokens, dim, contextLength })),
  };
}

/** `{ key: value }`, or nothing for an undefined value (optional fields stay absent, not `undefined`). */
function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function parseSettings(v: unknown): EmbeddingSettings {
  const o = obj(v, 'settings');
  const w = obj(o.weights, 'settings.weights');
  const kind = oneOf(w.kind, ['random', 'file', 'model'] as const, 'settings.weights.kind');
  const weights: EmbeddingSettings['weights'] =
    kind === 'file'
      ? {
          kind: 'file',
          path: str(w.path, 'weights.path'),
          ...(w.tokenTensor !== undefined ? { tokenTensor: str(w.tokenTensor, 'weights.tokenTensor') } : {}),
          ...(w.positionTensor !== undefined ? { positionTensor: str(w.positionTensor, 'weights.positionTensor') } : {}),
        }
      : kind === 'model'
        ? { kind: 'model', path: str(w.path, 'weights.path') }
        : { kind: 'random', seed: str(w.seed, 'weights.seed') };
  return {
    tokenizer: parseTokenizerSource(o.tokenizer, 'settings.tokenizer'),
    allowSpecial: bool(o.allowSpecial, 'settings.allowSpecial'),
    ...(o.addSpecialTokens !== undefined ? { addSpecialTokens: bool(o.addSpecialTokens, 'settings.addSpecialTokens') } : {}),
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
    documentLabel: str(o.documentLabel, 'documentLabel'),
    textOffset: int(o.textOffset, 'textOffset'),
    textLength: int(o.textLength, 'textLength'),
    settings: parseSettings(o.settings),
    result,
    selectedRow: selectedRow !== null && selectedRow < result.tokens.length ? selectedRow : null,
    ...(o.panelOnly === true ? { panelOnly: true } : {}),
  };
}

const ERROR_KINDS: readonly RpcErrorKind[] = ['cancelled', 'timeout', 'workerCrashed', 'workerUnavailable', 'invalidInput', 'internal'];

/** The reply to a panel request: the envelope is checked here, the result by the request's own parser (replies.ts). */
function parseResponse(o: Obj): RpcResponse {
  const id = int(o.id, 'response.id', 1);
  if (bool(o.ok, 'response.ok')) return { type: 'response', id, ok: true, result: o.result };
  const e = obj(o.error, 'response.error');
  return {
    type: 'response',
    id,
    ok: false,
    error: { kind: oneOf(e.kind, ERROR_KINDS, 'response.error.kind'), message: str(e.message, 'response.error.message') },
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
    case 'response':
      return parseResponse(o);
    default:
      return null; // not ours
  }
}
