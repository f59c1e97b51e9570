/**
 * Defensive parsing of the analysis results the host sends in reply to the panel's `analysis` requests.
 * The checks of validate.ts: every field is checked, vectors become typed arrays of the declared length
 * (typed arrays, plain arrays and JSON-serialised typed arrays are accepted). No DOM: Node-testable.
 */
import type { AnalysisPage, AnalysisResult, ScoreVsOffsetSeries } from '../../src/shared/engineProtocol';
import { array, bool, int, ints, InvalidMessage, nullable, num, numOrNaN, obj, oneOf, str, toFloat32 as f32, toFloat64 as f64 } from './validate';

/** Row indices into the analysed rows: an index past the page would read outside the matrices. */
function rows(v: unknown, count: number, what: string): number[] {
  const out = ints(v, what);
  const bad = out.find((x) => x >= count);
  if (bad !== undefined) throw new InvalidMessage(`${what}: row ${bad} is outside the ${count} analysed rows`);
  return out;
}

function page(v: unknown): AnalysisPage {
  const o = obj(v, 'page');
  return {
    firstToken: int(o.firstToken, 'page.firstToken'),
    count: int(o.count, 'page.count'),
    totalTokens: int(o.totalTokens, 'page.totalTokens'),
    capped: bool(o.capped, 'page.capped'),
  };
}

function series(v: unknown, i: number): ScoreVsOffsetSeries {
  const o = obj(v, `series[${i}]`);
  const scheme = oneOf(o.scheme, ['learned', 'sinusoidal', 'rope'] as const, `series[${i}].scheme`);
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
      return {
        kind: 'similarity',
        page: p,
        token: f32(o.token, n * n, 'token'),
        combined: f32(o.combined, n * n, 'combined'),
        repeated: array(o.repeated, 'repeated').map((g, i) => {
          const r = obj(g, `repeated[${i}]`);
          return { id: int(r.id, `repeated[${i}].id`), indices: rows(r.indices, n, `repeated[${i}].indices`) };
        }),
        pairs: array(o.pairs, 'pairs').map((g, k) => {
          const r = obj(g, `pairs[${k}]`);
          const [i, j] = rows([r.i, r.j], n, `pairs[${k}].i/j`);
          return {
            id: int(r.id, `pairs[${k}].id`),
            i: i!,
            j: j!,
            // NaN: a cosine with a zero vector (e.g. positions `none`) is undefined.
            tokenSimilarity: numOrNaN(r.tokenSimilarity, `pairs[${k}].tokenSimilarity`),
            combinedSimilarity: numOrNaN(r.combinedSimilarity, `pairs[${k}].combinedSimilarity`),
          };
        }),
      };
    case 'projection': {
      const ev = array(o.explainedVarianceRatio, 'explainedVarianceRatio');
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
      const w = obj(o.windowing, 'windowing');
      return {
        kind: 'positionalLab',
        page: p,
        qId: int(o.qId, 'qId'),
        kId: int(o.kId, 'kId'),
        series: array(o.series, 'series').map(series),
        learnedUnavailable: nullable(o.learnedUnavailable, (x) => str(x, 'learnedUnavailable')),
        contextLength: int(o.contextLength, 'contextLength', 1),
        windowing: {
          totalTokens: int(w.totalTokens, 'windowing.totalTokens'),
          stride: int(w.stride, 'windowing.stride', 1),
          windows: int(w.windows, 'windowing.windows'),
          droppedTokens: int(w.droppedTokens, 'windowing.droppedTokens'),
        },
      };
    }
    default:
      throw new InvalidMessage('result.kind: unknown analysis');
  }
}
