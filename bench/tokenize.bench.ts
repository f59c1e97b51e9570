/**
 * Tokenizer throughput: ours vs js-tiktoken, tiktoken (WASM, OpenAI's Rust core) and gpt-tokenizer,
 * measured in the same process on the same strings (gpt2 encoding, which all of them support), plus our
 * own pre-tokenizer/merge on 1 MB pathological inputs in the other encodings.
 *
 *   node --import tsx bench/tokenize.bench.ts          (or `npm run bench -- tokenize`)
 *   BENCH_QUICK=1 node --import tsx bench/tokenize.bench.ts   (10 KB and 100 KB only, one pass, 3 s budget)
 *
 * MB = 10^6 bytes of UTF-8. Each cell is the best of a few passes, timed in CPU time of this process
 * (user + system) rather than wall time: the machine is shared, and all contenders run on this one thread.
 * A baseline is skipped where one pass, extrapolated from the sizes before (with the growth they show),
 * would pass ~20 s (js-tiktoken and tiktoken merge long pieces in O(n²)); tiktoken's WASM may also crash.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { BpeTokenizer, getTokenizer } from '../src/engine/tokenizer/index';
import type { EncodingName } from '../src/shared/embeddingTypes';

const QUICK = !!process.env.BENCH_QUICK;
const SIZES = QUICK ? [10_000, 100_000] : [10_000, 100_000, 1_000_000, 4_000_000];
/** Skip a baseline whose extrapolated time for one pass exceeds this. */
const BUDGET_MS = QUICK ? 3_000 : 20_000;
const root = join(__dirname, '..');

// ───────────── inputs ─────────────

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `unit` repeated and cut to about `bytes` UTF-8 bytes (never inside a surrogate pair). */
function ofSize(unit: string, bytes: number): string {
  const ratio = Buffer.byteLength(unit) / unit.length;
  let s = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)) + 1).slice(0, Math.round(bytes / ratio));
  if (/[\ud800-\udbff]$/.test(s)) s = s.slice(0, -1);
  return s;
}

function randomFrom(alphabet: string, chars: number, seed: number): string {
  const next = seeded(seed);
  const a = Array.from(alphabet);
  const parts: string[] = [];
  for (let i = 0; i < chars; i++) parts.push(a[Math.floor(next() * a.length)]);
  return parts.join('');
}

const verdict = readFileSync(join(root, 'test', 'fixtures', 'the-verdict.txt'), 'utf8');
const tsLib = join(root, 'node_modules', 'typescript', 'lib');
let code = '';
for (const f of readdirSync(tsLib)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  code += readFileSync(join(tsLib, f), 'utf8');
  if (code.length > 4_500_000) break;
}
const maxSize = SIZES[SIZES.length - 1];
const letters = randomFrom('abcdefghijklmnopqrstuvwxyz', maxSize, 1);
const base64 = Buffer.from(Uint8Array.from({ length: maxSize }, (_, i) => (seeded(2)() * 256 + i * 7919) & 0xff))
  .toString('base64')
  .slice(0, maxSize);
const cjk = randomFrom(
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从',
  maxSize / 3,
  3,
);

const INPUTS: Array<{ name: string; unit: string }> = [
  { name: 'prose', unit: verdict },
  { name: 'code', unit: code },
  { name: 'aaaa…', unit: 'a'.repeat(maxSize) },
  { name: 'letters', unit: letters },
  { name: 'base64', unit: base64 },
  { name: 'CJK', unit: cjk },
];

// ───────────── tokenizers ─────────────

type Encode = (text: string) => ArrayLike<number>;
interface Contender {
  name: string;
  encode: Encode;
  /** Per input kind: times of the sizes measured so far, for the skip rule; Infinity after a crash. */
  last: Map<string, Array<{ bytes: number; ms: number }>>;
  reset?: () => void;
}

/** CPU milliseconds used by this process so far. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeLoad<T>(f: () => T): [T, number] {
  const t0 = cpuMs();
  const v = f();
  return [v, cpuMs() - t0];
}

const [ours, oursLoad] = timeLoad(() => getTokenizer('gpt2'));
const [js, jsLoad] = timeLoad(() => getEncoding('gpt2'));
let wasm: Tiktoken;
const [, wasmLoad] = timeLoad(() => (wasm = get_encoding('gpt2')));

const contenders: Contender[] = [
  { name: 'ours', encode: (t) => ours.encode(t, { allowSpecial: false }).ids, last: new Map() },
  { name: 'js-tiktoken', encode: (t) => js.encode(t, [], []), last: new Map() },
  {
    name: 'tiktoken-wasm',
    encode: (t) => wasm.encode(t, [], []),
    last: new Map(),
    // A WASM trap leaves the instance unusable; start a fresh one.
    reset: () => (wasm = get_encoding('gpt2')),
  },
  { name: 'gpt-tokenizer', encode: (t) => gptTokenizerEncode(t, { disallowedSpecial: new Set() }), last: new Map() },
];

/**
 * Would one pass of `c` on `bytes` of this input kind take longer than the budget? Extrapolates from the
 * last two sizes measured with the growth exponent they show (1 = linear … 2 = quadratic), assuming
 * quadratic when only one size is known.
 */
function overBudget(c: Contender, kind: string, bytes: number): boolean {
  const seen = c.last.get(kind) ?? [];
  if (seen.length === 0) return false;
  const b = seen[seen.length - 1];
  if (!Number.isFinite(b.ms)) return true; // crashed before
  let exponent = 2;
  if (seen.length >= 2) {
    const a = seen[seen.length - 2];
    exponent = Math.min(2, Math.max(1, Math.log(b.ms / a.ms) / Math.log(b.bytes / a.bytes)));
  }
  return b.ms * (bytes / b.bytes) ** exponent > BUDGET_MS;
}

/** Best-of-n CPU time in ms, or a note why it was not measured. */
function measure(c: Contender, kind: string, text: string, bytes: number): { ms: number; ids?: ArrayLike<number> } | string {
  if (overBudget(c, kind, bytes)) return 'skip';
  const seen = c.last.get(kind) ?? [];
  c.last.set(kind, seen);
  const passes = QUICK ? 1 : bytes >= 1_000_000 ? 2 : 4;
  let best = Infinity;
  let ids: ArrayLike<number> | undefined;
  let first: ArrayLike<number> | undefined;
  for (let p = 0; p < passes; p++) {
    // Each pass gets a different first letter: gpt-tokenizer memoises whole pieces, and a repeat of a
    // 1 MB piece would otherwise measure a cache hit. (Ours memoises only pieces up to 48 chars.)
    const input = p === 0 ? text : String.fromCharCode(0x61 + p) + text;
    const t0 = cpuMs();
    try {
      ids = c.encode(input);
    } catch {
      c.reset?.();
      seen.push({ bytes, ms: Infinity });
      return 'crash';
    }
    best = Math.min(best, Math.max(cpuMs() - t0, 0.001));
    if (p === 0) first = ids;
    if (best > 3000) break;
  }
  seen.push({ bytes, ms: best });
  return { ms: best, ids: first };
}

const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const sizeName = (b: number): string => (b >= 1e6 ? `${b / 1e6} MB` : `${b / 1e3} KB`);

console.log(
  `load (CPU ms): ours ${oursLoad.toFixed(0)}, js-tiktoken ${jsLoad.toFixed(0)}, tiktoken-wasm ${wasmLoad.toFixed(0)}` + ' (gpt-tokenizer loads at import)',
);
console.log(
  `\ngpt2, MB/s (best of passes, CPU time)${QUICK ? ' — QUICK mode' : ''}; ratio = ours ÷ baseline; ✓ = same ids as tiktoken;` +
    `\n"ours cold" = one pass with an empty piece cache; "skip" = over the ${BUDGET_MS / 1000} s budget, "crash" = threw`,
);
const head = ['input', 'size', 'ours cold', ...contenders.map((c) => c.name), 'vs js-tiktoken', 'vs wasm', 'vs gpt-tok', 'ids'];
const widths = [8, 7, 9, 9, 12, 14, 14, 15, 9, 11, 4];
const row = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
console.log(row(head));

// Warm every contender's JIT up on prose, then seed the skip rule with silent 1 KB and 3 KB passes per
// contender and input, so a quadratic baseline is not first discovered by spending minutes on a row.
for (const c of contenders) for (let k = 0; k < 5; k++) c.encode(verdict);
for (const input of INPUTS) {
  for (const probe of [1_000, 3_000]) {
    const text = ofSize(input.unit, probe);
    for (const c of contenders) measure(c, input.name, text, Buffer.byteLength(text));
  }
}

for (const input of INPUTS) {
  for (const size of SIZES) {
    const text = ofSize(input.unit, size);
    const bytes = Buffer.byteLength(text);
    // Ours once more with an empty piece cache: the speed on text it has never seen.
    if (ours instanceof BpeTokenizer) ours.clearCache();
    const t0 = cpuMs();
    ours.encode(text, { allowSpecial: false });
    const cold = fmt(mbps(bytes, Math.max(cpuMs() - t0, 0.001)));
    const results = contenders.map((c) => measure(c, input.name, text, bytes));
    const speed = results.map((r) => (typeof r === 'string' ? r : fmt(mbps(bytes, r.ms))));
    speed.unshift(cold);
    const o = results[0];
    const ratio = (k: number): string => {
      const r = results[k];
      return typeof o === 'string' || typeof r === 'string' ? '–' : `${(r.ms / o.ms).toFixed(1)}×`;
    };
    const w = results[2];
    let same = '';
    if (typeof o !== 'string' && typeof w !== 'string' && o.ids && w.ids) {
      same = o.ids.length === w.ids.length && Array.from(o.ids).every((v, k) => v === w.ids![k]) ? '✓' : '✗';
    }
    console.log(row([input.name, sizeName(size), ...speed, ratio(1), ratio(2), ratio(3), same]));
  }
}
wasm!.free();

// ───────────── our pre-tokenizer and merge on 1 MB pathological inputs, all encodings ─────────────

const scale = QUICK ? 100_000 : 1_000_000;
const stress: Array<{ name: string; text: string }> = [
  { name: 'prose', text: ofSize(verdict, scale) },
  { name: 'spaces', text: ' '.repeat(scale) },
  { name: 'mixed ws', text: ofSize(' \t \u3000\n  \r\n\u00a0 ', scale) + 'x' },
  { name: 'a-run', text: 'a'.repeat(scale) },
  { name: 'A-run', text: 'A'.repeat(scale) },
  { name: 'AbC mix', text: randomFrom('aAbBcCdDeEfF', scale, 4) },
  { name: 'letters', text: letters.slice(0, scale) },
  { name: 'base64', text: base64.slice(0, scale) },
  { name: 'digits', text: randomFrom('0123456789', scale, 5) },
  { name: 'punct', text: randomFrom('!@#$%^&*()[]{};:,.<>/?|', scale, 6) },
  { name: 'CJK', text: cjk.slice(0, scale / 3) },
];
console.log(`\nours only, ${sizeName(scale)} inputs: MB/s and time relative to prose in the same encoding`);
const encs: EncodingName[] = ['gpt2', 'p50k_base', 'cl100k_base', 'o200k_base'];
console.log(['input'.padEnd(9), ...encs.map((e) => e.padStart(20))].join(' '));
const proseMs = new Map<EncodingName, number>();
for (const e of encs) for (let k = 0; k < 5; k++) getTokenizer(e).encode(verdict + code.slice(0, 50_000), { allowSpecial: false });
for (const s of stress) {
  const bytes = Buffer.byteLength(s.text);
  const cells: string[] = [];
  for (const e of encs) {
    const tok = getTokenizer(e);
    let best = Infinity;
    for (let p = 0; p < (QUICK ? 1 : 2); p++) {
      const t0 = cpuMs();
      tok.encode(s.text, { allowSpecial: false });
      best = Math.min(best, cpuMs() - t0);
    }
    if (s.name === 'prose') proseMs.set(e, best);
    cells.push(`${fmt(mbps(bytes, best))} MB/s ${(best / proseMs.get(e)!).toFixed(1)}×`.padStart(20));
  }
  console.log([s.name.padEnd(9), ...cells].join(' '));
}
