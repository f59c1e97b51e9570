/**
 * The result of each panel request (PanelMethods), checked like every host message before the panel uses it.
 * A reply that does not match its request's result type is refused with the field named.
 */
import type { Neighbor } from '../../src/shared/engineProtocol';
import type { ActionOutcome, PanelMethod, PanelMethods } from '../../src/shared/webviewProtocol';
import { parseAnalysisResult } from './analysisMessages';
import { array, bool, int, nullable, num, obj, str } from './validate';

function parseOutcome(v: unknown): ActionOutcome {
  const o = obj(v, 'outcome');
  return { ok: bool(o.ok, 'outcome.ok'), message: str(o.message, 'outcome.message') };
}

function parseNeighbors(v: unknown): { neighbors: Neighbor[] } {
  const o = obj(v, 'result');
  return {
    neighbors: array(o.neighbors, 'neighbors').map((raw, i) => {
      const n = obj(raw, `neighbors[${i}]`);
      return {
        id: int(n.id, `neighbors[${i}].id`),
        score: num(n.score, `neighbors[${i}].score`),
        text: nullable(n.text, (t) => str(t, `neighbors[${i}].text`)),
        padding: bool(n.padding, `neighbors[${i}].padding`),
      };
    }),
  };
}

export const REPLY_PARSERS: { [K in PanelMethod]: (v: unknown) => PanelMethods[K]['result'] } = {
  analysis: parseAnalysisResult,
  export: parseOutcome,
  copyPytorch: parseOutcome,
  applySettings: parseOutcome,
  neighbors: parseNeighbors,
};
