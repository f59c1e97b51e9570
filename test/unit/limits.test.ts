import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_POSITIONAL_VALUES, MAX_SEED, SETTING_LIMITS, canonicalSeed } from '../../src/shared/limits';

interface SettingSchema {
  minimum?: number;
  maximum?: number;
  pattern?: string;
  patternErrorMessage?: string;
  markdownDescription?: string;
}
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const schema = (key: string): SettingSchema => {
  const s = pkg.contributes.configuration.properties[`tokenEmbeddings.${key}`];
  assert.ok(s, `package.json contributes tokenEmbeddings.${key}`);
  return s;
};

test("package.json's minimum/maximum are the limits of src/shared/limits.ts", () => {
  for (const [key, range] of Object.entries(SETTING_LIMITS)) {
    const s = schema(key);
    assert.equal(s.minimum, range.min, `tokenEmbeddings.${key} minimum`);
    assert.equal(s.maximum, range.max, `tokenEmbeddings.${key} maximum`);
  }
  // Every bounded integer setting in package.json has its limits here (none is bounded in one place only).
  const bounded = Object.entries(pkg.contributes.configuration.properties)
    .filter(([, s]) => s.minimum !== undefined || s.maximum !== undefined)
    .map(([key]) => key.replace('tokenEmbeddings.', ''));
  assert.deepEqual(bounded.sort(), Object.keys(SETTING_LIMITS).sort());
});

test('package.json states the positional-table cap and the seed range the code enforces', () => {
  assert.match(schema('contextLength').markdownDescription ?? '', new RegExp(MAX_POSITIONAL_VALUES.toLocaleString('en-US')));
  const seed = schema('seed');
  assert.match(seed.patternErrorMessage ?? '', new RegExp(`0 to ${MAX_SEED}`));
  // The Settings UI's pattern accepts exactly what canonicalSeed accepts (after trimming).
  const pattern = new RegExp(seed.pattern ?? '');
  for (const text of ['0', '123', ' 7 ', '007', String(MAX_SEED), String(MAX_SEED + 1n), '1'.repeat(21), '-1', '1e3', '']) {
    const bySchema = pattern.test(text) && BigInt(text.trim()) <= MAX_SEED;
    assert.equal(canonicalSeed(text.trim()) !== undefined, bySchema, JSON.stringify(text));
  }
});

test('canonicalSeed: digits only, at most 2^64 − 1, canonical form', () => {
  assert.equal(canonicalSeed('007'), '7');
  assert.equal(canonicalSeed('18446744073709551615'), '18446744073709551615');
  assert.equal(canonicalSeed('18446744073709551616'), undefined);
  assert.equal(canonicalSeed(' 1'), undefined); // callers trim
  assert.equal(canonicalSeed('+1'), undefined);
  assert.equal(canonicalSeed('1'.repeat(5000)), undefined); // no BigInt of a huge string
});
