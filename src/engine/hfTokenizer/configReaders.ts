/**
 * Typed readers for tokenizer.json fields: each takes the value and a path such as
 * `pre_tokenizer.pretokenizers[0].behavior` and throws one 'invalid' error naming that path.
 */
import { invalid } from './errors';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, where: string): Json {
  if (!isObject(v)) throw invalid(`${where} must be an object`);
  return v;
}

export function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw invalid(`${where} must be a string`);
  return v;
}

export function optStr(v: unknown, where: string): string | null {
  return v === undefined || v === null ? null : str(v, where);
}

export function bool(v: unknown, where: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw invalid(`${where} must be true or false`);
  return v;
}

export function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw invalid(`${where} must be an array`);
  return v;
}

/** The component type name (`{"type": "NFC"}`), for dispatch. */
export function typeOf(v: Json, where: string): string {
  return str(v.type, `${where}.type`);
}

/** A `{"String": "…"}` or `{"Regex": "…"}` pattern. */
export type PatternSpec = { kind: 'string'; value: string } | { kind: 'regex'; value: string };

export function patternOf(v: unknown, where: string): PatternSpec {
  const o = obj(v, where);
  if (typeof o.String === 'string') return { kind: 'string', value: o.String };
  if (typeof o.Regex === 'string') return { kind: 'regex', value: o.Regex };
  throw invalid(`${where} must be {"String": …} or {"Regex": …}`);
}
