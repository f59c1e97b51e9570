/**
 * What the settings controls accept, as pure functions (unit-tested in Node): whole numbers in range, seeds up
 * to 2^64−1, and a positional table small enough to travel with every state. The host re-checks every
 * message (src/host/webviewMessages.ts); these checks only give the user the reason before a round trip.
 */
import { MAX_POSITIONAL_VALUES, MAX_SEED, canonicalSeed } from '../../src/shared/limits';
import { fmtInt } from '../shared/format';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkPositiveInt(text: string, label: string, max: number): Checked<number> {
  const v = text.trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    return { ok: false, error: `${label} must be a whole number from 1 to ${fmtInt(max)} (got “${v}”).` };
  }
  return { ok: true, value: Number(v) };
}

/** A decimal seed 0..2^64−1, normalised (leading zeros dropped). */
export function checkSeed(text: string): Checked<string> {
  const v = text.trim();
  const seed = canonicalSeed(v);
  if (seed === undefined) return { ok: false, error: `Seed must be a whole number from 0 to ${MAX_SEED} (got “${v}”).` };
  return { ok: true, value: seed };
}

/** `value` × `other` (context × dim) must fit; `other` unknown (no state yet) passes. */
export function checkPositionalSize(value: number, other: number | undefined): Checked<number> {
  if (other === undefined || value * other <= MAX_POSITIONAL_VALUES) return { ok: true, value };
  return { ok: false, error: `context × dim = ${fmtInt(value * other)} is more than ${fmtInt(MAX_POSITIONAL_VALUES)} positional values; lower one of them.` };
}
