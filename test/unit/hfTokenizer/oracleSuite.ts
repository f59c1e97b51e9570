/**
 * The oracle suite every real tokenizer.json goes through: ids identical to Rust tokenizers 0.22 on real
 * and seeded random text (both special-token modes, and with the post-processor's tokens), and the span
 * invariants. One test file per model, so each big file is loaded once per process.
 */
import { test } from 'node:test';
import { parseHfTokenizer, type HfTokenizer } from '../../../src/engine/hfTokenizer';
import { assertSameIds, checkSpans, randomTexts, rng, RustOracle, sampleTexts } from './support';

export interface SuiteOptions {
  /** How the normalizer changes text, for the span-content check (default: not at all). */
  view?: (s: string) => string;
  /** Every text unit lies in a span (false for tokenizers whose pre-tokenizer removes whitespace). */
  covers?: boolean;
  /** The unknown token, whose bytes are not the text it stands for. */
  unknownId?: number;
  randomCount?: number;
}

/** Long pieces with no whitespace: random letters/digits/CJK runs (SentencePiece models see one piece). */
function longRuns(seed: number): string[] {
  const next = rng(seed);
  const alphabet = [
    'abcdefghijklmnopqrstuvwxyz',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    '的一是不了人我在有他这中大来上国个到说们',
    'αβγδεζηθικλμνξοπρστυφχψω',
  ];
  return alphabet.map((a) => {
    let s = '';
    for (let i = 0; i < 6000; i++) s += a[Math.floor(next() * a.length)];
    return s;
  });
}

export function oracleSuite(name: string, loadJson: () => Record<string, unknown>, opts: SuiteOptions = {}): void {
  let json: Record<string, unknown> | undefined;
  let ours: HfTokenizer | undefined;
  let oracle: RustOracle | undefined;
  const setup = (): { ours: HfTokenizer; oracle: RustOracle } => {
    json ??= loadJson();
    // Ours reads the file's text the way the extension does (hfTokenizer/leanJson.ts); Rust gets the object.
    ours ??= parseHfTokenizer(JSON.stringify(json), `${name}/tokenizer.json`);
    oracle ??= new RustOracle(json);
    return { ours, oracle };
  };

  test(`${name}: ids equal Rust tokenizers on prose, code, scripts, NFD, emoji, byte and special-token text`, async () => {
    const { ours, oracle } = setup();
    for (const text of sampleTexts()) {
      for (const allowSpecial of [false, true]) await assertSameIds(ours, oracle, text, allowSpecial);
    }
  });

  test(`${name}: ids equal Rust tokenizers on seeded random Unicode`, async () => {
    const { ours, oracle } = setup();
    for (const text of randomTexts(12, opts.randomCount ?? 150)) {
      await assertSameIds(ours, oracle, text, false);
      await assertSameIds(ours, oracle, text, true);
    }
  });

  test(`${name}: ids equal Rust tokenizers on long runs without whitespace`, async () => {
    const { ours, oracle } = setup();
    for (const text of longRuns(7)) await assertSameIds(ours, oracle, text, false);
  });

  test(`${name}: "add special tokens" adds what the post-processor adds, with empty spans`, async () => {
    const { ours, oracle } = setup();
    const text = 'Hello there, world.';
    await assertSameIds(ours, oracle, text, false, true);
    const plain = ours.encode(text, { allowSpecial: false });
    const withSpecial = ours.encode(text, { allowSpecial: false, addSpecialTokens: true });
    const extra = withSpecial.ids.length - plain.ids.length;
    for (let k = 0; k < withSpecial.ids.length; k++) {
      const isAdded = withSpecial.spans[2 * k] === withSpecial.spans[2 * k + 1];
      if (isAdded && extra === 0) throw new Error(`token ${k} has an empty span but nothing was added`);
    }
  });

  test(`${name}: spans lie in the text, never go backwards and hold each token's bytes`, () => {
    const { ours } = setup();
    for (const text of [...sampleTexts(), ...randomTexts(99, 60)]) {
      for (const allowSpecial of [false, true]) checkSpans(ours, text, allowSpecial, { view: opts.view, covers: opts.covers, unknownId: opts.unknownId });
    }
  });
}
