/**
 * What "add special tokens" adds for one sequence: the ids TemplateProcessing (or Bert/Roberta
 * processing) puts before and after it. ByteLevel post-processing only trims offsets and adds nothing.
 */
import { arr, type Json, obj, str, typeOf } from './configReaders';
import { invalid, unsupported } from './errors';
import { MAX_TOKEN_ID } from './models';

export interface SpecialWrap {
  prefix: number[];
  suffix: number[];
}

function checkId(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_TOKEN_ID) {
    throw invalid(`${where} = ${JSON.stringify(v)}: ids must be integers from 0 to ${MAX_TOKEN_ID}`);
  }
  return v;
}

export function createPostProcessor(v: unknown, where = 'post_processor'): SpecialWrap {
  if (v === null || v === undefined) return { prefix: [], suffix: [] };
  const o = obj(v, where);
  const type = typeOf(o, where);
  switch (type) {
    case 'TemplateProcessing':
      return template(o, where);
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const pair = (x: unknown, w: string): number => {
        const a = arr(x, w);
        return checkId(a[1], `${w}[1]`);
      };
      return { prefix: [pair(o.cls, `${where}.cls`)], suffix: [pair(o.sep, `${where}.sep`)] };
    }
    case 'ByteLevel':
      return { prefix: [], suffix: [] };
    case 'Sequence': {
      const parts = arr(o.processors, `${where}.processors`).map((p, i) => createPostProcessor(p, `${where}.processors[${i}]`));
      // Each processor wraps what the previous ones produced.
      return parts.reduce<SpecialWrap>((acc, p) => ({ prefix: [...p.prefix, ...acc.prefix], suffix: [...acc.suffix, ...p.suffix] }), {
        prefix: [],
        suffix: [],
      });
    }
    default:
      throw unsupported(
        `${where}: post-processor type "${type}" is not supported (supported: TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence)`,
      );
  }
}

function template(o: Json, where: string): SpecialWrap {
  const specials = obj(o.special_tokens ?? {}, `${where}.special_tokens`);
  const single = arr(o.single, `${where}.single`);
  const wrap: SpecialWrap = { prefix: [], suffix: [] };
  let seenSequence = false;
  single.forEach((piece, i) => {
    const w = `${where}.single[${i}]`;
    const p = obj(piece, w);
    if (p.Sequence !== undefined) {
      if (seenSequence) throw invalid(`${w}: a single-sequence template holds one sequence`);
      seenSequence = true;
      return;
    }
    const sp = obj(p.SpecialToken, `${w}.SpecialToken`);
    const name = str(sp.id, `${w}.SpecialToken.id`);
    const def = specials[name];
    if (def === undefined) throw invalid(`${w}: special token ${JSON.stringify(name)} is not in ${where}.special_tokens`);
    const ids = arr(obj(def, `${where}.special_tokens.${name}`).ids, `${where}.special_tokens.${name}.ids`).map((x, k) =>
      checkId(x, `${where}.special_tokens.${name}.ids[${k}]`),
    );
    (seenSequence ? wrap.suffix : wrap.prefix).push(...ids);
  });
  if (!seenSequence) throw invalid(`${where}.single has no Sequence`);
  return wrap;
}
