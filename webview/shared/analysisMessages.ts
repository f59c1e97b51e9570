/**
 * Defensive parsing of the analysis messages (host → panel): `analysis`, `analysisError`, `actionDone`.
 * Same rules as messages.ts: every field is checked, vectors become typed arrays of the declared length
 * (typed arrays, plain arrays and JSON-serialised typed arrays are accepted). No DOM: Node-testable.
 */
import { ANALYSIS_KINDS, type AnalysisPage, type AnalysisResult, type ScoreVsOffsetSeries } from '../../src/shared/engineProtocol';
import type { HostToWebview } from '../../src/shared/webviewProtocol';
import { InvalidMessage } from './messages';

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
function ints(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new InvalidMessage(`${what}: expected an array`);
  return v.map((x, i) => int(x, `${what}[${i}]`));
}

function values(v: unknown, length: number, what: string): ArrayLike<number> {
  let src: ArrayLike<unknown>;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) src = v as unknown as ArrayLike<number>;
  else if (Array.isArray(v)) src = v;
  else if (v !== null && typeof v === 'object') src = { ...(v as Obj), length } as ArrayLike<unknown>;
  else throw new InvalidMessage(`${what}: expected a typed array`);
  if (src.length !== length) throw new InvalidMessage(`${what}: expected ${length} values, got ${src.length}`);
  for (let i = 0; i < length; i++) {
    const x = src[i];
    // NaN is a legitimate value (cosine of a zero vector); anything else non-numeric is not.
    if (typeof x !== 'number') throw new InvalidMessage(`${what}: element ${i} is not a number`);
  }
  return src as ArrayLike<number>;
}
const f32 = (v: unknown, n: number, what: string) => (v instanceof Float32Array && v.length === n ? v : Float32Array.from(values(v, n, what)));
const f64 = (v: unknown, n: number, what: string) => (v instanceof Float64Array && v.length === n ? v : Float64Array.from(values(v, n, what)));

function page(v: unknown): AnalysisPage {
  const o = obj(v, 'page');
  return { firstToken: int(o.firstToken, 'page.firstToken'), count: int(o.count, 'page.count'), totalTokens: int(o.totalTokens, 'page.totalTokens'), capped: o.capped === true };
}

function series(v: unknown, i: number): ScoreVsOffsetSeries {
  const o = obj(v, `series[${i}]`);
  const scheme = o.scheme;
  if (scheme !== 'learned' && scheme !== 'sinusoidal' && scheme !== 'rope') throw new InvalidMessage(`series[${i}].scheme: unknown`);
  const starts = ints(o.starts, `series[${i}].starts`);
  const offsets = ints(o.offsets, `series[${i}].offsets`);
  return {
    scheme,
    starts,
    offsets,
    scores: f64(o.scores, starts.length * offsets.length, `series[${i}].scores`),
    spread: f64(o.spread, offsets.length, `series[${i}].spread`),
    maxSpread: num(o.maxSpread, `series[${i}].maxSpread`),
  };
}

export function parseAnalysisResult(v: unknown): AnalysisResult {
  const o = obj(v, 'result');
  const p = page(o.page);
  const n = p.count;
  switch (o.kind) {
    case 'similarity':
      if (!Array.isArray(o.repeated) || !Array.isArray(o.pairs)) throw new InvalidMessage('similarity: repeated and pairs must be arrays');
      return {
        kind: 'similarity',
        page: p,
        token: f32(o.token, n * n, 'token'),
        combined: f32(o.combined, n * n, 'combined'),
        repeated: o.repeated.map((g, i) => {
          const r = obj(g, `repeated[${i}]`);
          return { id: int(r.id, 'id'), indices: ints(r.indices, 'indices').filter((x) => x < n) };
        }),
        pairs: o.pairs.map((g, i) => {
          const r = obj(g, `pairs[${i}]`);
          return { id: int(r.id, 'id'), i: int(r.i, 'i'), j: int(r.j, 'j'), tokenSimilarity: num(r.tokenSimilarity, 'tokenSimilarity'), combinedSimilarity: num(r.combinedSimilarity, 'combinedSimilarity') };
        }),
      };
    case 'projection': {
      const ev = Array.isArray(o.explainedVarianceRatio) ? o.explainedVarianceRatio : [];
      return {
        kind: 'projection',
        page: p,
        tokenCoords: f32(o.tokenCoords, 2 * n, 'tokenCoords'),
        combinedCoords: f32(o.combinedCoords, 2 * n, 'combinedCoords'),
        explainedVarianceRatio: [num(ev[0], 'explainedVarianceRatio[0]'), num(ev[1], 'explainedVarianceRatio[1]')],
      };
    }
    case 'tokenStats':
      return {
        kind: 'tokenStats',
        page: p,
        tokenNorm: f64(o.tokenNorm, n, 'tokenNorm'),
        positionNorm: f64(o.positionNorm, n, 'positionNorm'),
        combinedNorm: f64(o.combinedNorm, n, 'combinedNorm'),
        shift: f64(o.shift, n, 'shift'),
        cosTokenCombined: f64(o.cosTokenCombined, n, 'cosTokenCombined'),
      };
    case 'positionalLab': {
      if (!Array.isArray(o.series)) throw new InvalidMessage('positionalLab: series must be an array');
      const l = obj(o.longerThanContext, 'longerThanContext');
      return {
        kind: 'positionalLab',
        page: p,
        qId: int(o.qId, 'qId'),
        kId: int(o.kId, 'kId'),
        series: o.series.map(series),
        learnedUnavailable: o.learnedUnavailable === null ? null : str(o.learnedUnavailable, 'learnedUnavailable'),
        contextLength: int(o.contextLength, 'contextLength', 1),
        windowing: str(o.windowing, 'windowing'),
        longerThanContext: { learned: str(l.learned, 'learned'), sinusoidal: str(l.sinusoidal, 'sinusoidal'), rope: str(l.rope, 'rope'), none: str(l.none, 'none') },
      };
    }
    default:
      throw new InvalidMessage('result.kind: unknown analysis');
  }
}

/** The analysis messages, or null for any other type. */
export function parseAnalysisMessage(o: Obj): HostToWebview | null {
  switch (o.type) {
    case 'analysis':
      return { type: 'analysis', result: parseAnalysisResult(o.result) };
    case 'analysisError': {
      const kind = o.kind;
      if (typeof kind !== 'string' || !(ANALYSIS_KINDS as readonly string[]).includes(kind)) throw new InvalidMessage('analysisError.kind: unknown');
      return { type: 'analysisError', kind: kind as AnalysisResult['kind'], message: str(o.message, 'message') };
    }
    case 'actionDone': {
      const action = o.action;
      if (action !== 'export' && action !== 'copyPytorch') throw new InvalidMessage('actionDone.action: unknown');
      if (typeof o.ok !== 'boolean') throw new InvalidMessage('actionDone.ok: expected a boolean');
      return { type: 'actionDone', action, ok: o.ok, message: str(o.message, 'message') };
    }
    default:
      return null;
  }
}
