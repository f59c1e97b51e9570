/**
 * Realistic webview states. The book state uses real GPT-2 tokens (js-tiktoken) of the opening of
 * "The Verdict" and real PyTorch rows (seed 123, 50257 × 256, context 4) from test/fixtures; the large
 * states are generated in the page (see SYNTHETIC_STATE_SOURCE) because shipping 3M floats through
 * page.evaluate would measure JSON, not rendering.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { getEncoding } from 'js-tiktoken';

export const BOOK_TEXT =
  'I HAD always thought Jack Gisburn rather a cheap genius--though a good fellow enough--so it was no great surprise to me to hear that,';

interface BookReference {
  seed: number;
  vocab: number;
  dim: number;
  ctx: number;
  tok_rows: Record<string, number[]>;
  pos_rows: Record<string, number[]>;
}

export function bookReference(): BookReference {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'webview-book-seed123.json'), 'utf8')) as BookReference;
}

/** A PanelState as plain JSON (vectors as number[]); the page turns them into typed arrays before delivery. */
export interface JsonPanelState {
  documentUri: string | null;
  documentLabel: string;
  textOffset: number;
  textLength: number;
  settings: Record<string, unknown>;
  result: Record<string, unknown> & {
    tokens: { id: number; start: number; end: number; bytes: number[]; text: string }[];
    positions: number[];
    tokenEmbeddings: number[];
    positionalEmbeddings: number[];
    combinedEmbeddings: number[];
    dim: number;
  };
  selectedRow: number | null;
}

export function bookState(textOffset = 100): JsonPanelState {
  const ref = bookReference();
  const enc = getEncoding('gpt2');
  const ids = enc.encode(BOOK_TEXT);
  const tokens: JsonPanelState['result']['tokens'] = [];
  let offset = 0;
  for (const id of ids) {
    const text = enc.decode([id]);
    const bytes = Array.from(new TextEncoder().encode(text));
    tokens.push({ id, start: offset, end: offset + text.length, bytes, text });
    offset += text.length;
  }
  if (offset !== BOOK_TEXT.length) throw new Error('fixture: token spans do not cover the text');
  const dim = ref.dim;
  const positions = tokens.map((_, i) => i % ref.ctx);
  const tokenEmbeddings: number[] = [];
  const combinedEmbeddings: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const row = ref.tok_rows[String(ids[i])];
    if (!row) throw new Error(`fixture: no reference row for token id ${ids[i]}`);
    const pos = ref.pos_rows[String(positions[i])]!;
    for (let j = 0; j < dim; j++) {
      tokenEmbeddings.push(row[j]!);
      combinedEmbeddings.push(Math.fround(Math.fround(row[j]!) + Math.fround(pos[j]!)));
    }
  }
  const positionalEmbeddings = Array.from({ length: ref.ctx }, (_, p) => ref.pos_rows[String(p)]!).flat();
  // create_dataloader_v1(stride 4, context 4) over 32 tokens: windows start at 0, 4, …, 24 → 7 rows.
  const batch = Math.min(8, Math.floor((ids.length - ref.ctx - 1) / 4) + 1);
  return {
    documentUri: 'file:///work/the-verdict.txt',
    documentLabel: 'the-verdict.txt',
    textOffset,
    textLength: BOOK_TEXT.length,
    settings: {
      tokenizer: { kind: 'encoding', encoding: 'gpt2' },
      allowSpecial: false,
      dim,
      contextLength: ref.ctx,
      stride: 4,
      batchSize: 8,
      positional: 'learned',
      weights: { kind: 'random', seed: String(ref.seed) },
    },
    result: {
      tokenizer: { kind: 'encoding', encoding: 'gpt2' },
      source: {
        kind: 'random',
        seed: String(ref.seed),
        vocabSize: ref.vocab,
        dim,
        contextLength: ref.ctx,
        tokenizer: { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: ref.vocab },
        paddingRows: 0,
      },
      positional: 'learned',
      totalTokens: ids.length,
      firstToken: 0,
      tokens,
      positions,
      dim,
      contextLength: ref.ctx,
      tokenEmbeddings,
      positionalEmbeddings,
      combinedEmbeddings,
      shapes: {
        inputs: [batch, ref.ctx],
        tokenEmbeddings: [batch, ref.ctx, dim],
        positional: [ref.ctx, dim],
        combined: [batch, ref.ctx, dim],
      },
    },
    selectedRow: null,
  };
}

/**
 * Page-side source of a function `(n, dim, ctx, seed?) => PanelState` with deterministic normal(0,1) values
 * (xorshift + Box–Muller) as Float32Arrays — a plain string so no bundler helper leaks into the page.
 */
export const SYNTHETIC_STATE_SOURCE = `(n, dim, ctx, seed = 0x9e3779b9) => {
  let s = seed >>> 0 || 1;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const normal = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
  const tok = new Float32Array(n * dim), pos = new Float32Array(ctx * dim), comb = new Float32Array(n * dim);
  for (let i = 0; i < tok.length; i++) tok[i] = normal();
  for (let i = 0; i < pos.length; i++) pos[i] = normal();
  const positions = new Int32Array(n);
  const tokens = [];
  const words = [' the', ' model', ' reads', ' tokens', ',', '\\n', '\\t', ' embedding'];
  let off = 0;
  for (let i = 0; i < n; i++) {
    const text = words[i % words.length];
    tokens.push({ id: 262 + (i % 5000), start: off, end: off + text.length, bytes: [], text });
    off += text.length;
    positions[i] = i % ctx;
    for (let j = 0; j < dim; j++) comb[i * dim + j] = tok[i * dim + j] + pos[(i % ctx) * dim + j];
  }
  return {
    documentUri: null, documentLabel: 'synthetic', textOffset: 0, textLength: off,
    settings: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false, dim, contextLength: ctx, stride: ctx, batchSize: 8, positional: 'learned', weights: { kind: 'random', seed: '123' } },
    result: {
      tokenizer: { kind: 'encoding', encoding: 'gpt2' }, source: { kind: 'random', seed: '123', vocabSize: 50257, dim, contextLength: ctx, tokenizer: { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 }, paddingRows: 0 }, positional: 'learned',
      totalTokens: n, firstToken: 0, tokens, positions, dim, contextLength: ctx,
      tokenEmbeddings: tok, positionalEmbeddings: pos, combinedEmbeddings: comb,
      shapes: { inputs: [8, ctx], tokenEmbeddings: [8, ctx, dim], positional: [ctx, dim], combined: [8, ctx, dim] },
    },
    selectedRow: null,
  };
}`;

/**
 * Page-side source of a function `(state, pixelRatio, lut?) => state` that adds the engine worker's paint
 * preview (`result.preview`), computed by the engine's own src/engine/analysis/paintPreview.ts (bundled for the
 * page), as the host's inspections carry it: with `lut` (the panel's colour table) the bitmaps' pixels too.
 */
export const WITH_PREVIEW_SOURCE = (() => {
  const entry = join(__dirname, '..', '..', 'src', 'engine', 'analysis', 'paintPreview.ts');
  const bundle = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', globalName: '__paintPreview', write: false }).outputFiles[0]!.text;
  return `((state, pixelRatio, lut) => {
    ${bundle};
    const r = state.result;
    r.preview = __paintPreview.paintPreview(
      { dim: r.dim, contextLength: r.contextLength, tokenRows: r.tokens.length, tokenEmbeddings: r.tokenEmbeddings, positionalEmbeddings: r.positionalEmbeddings, combinedEmbeddings: r.combinedEmbeddings },
      lut ? { pixelRatio, lut } : { pixelRatio },
    );
    return state;
  })`;
})();

/** Page-side expression: the colour table the panel last reported to the host (viewMetrics), or undefined. */
export const PANEL_LUT_SOURCE = `((m) => (m && m.lut ? Uint8ClampedArray.from(m.lut) : undefined))([...window.__test.posted].reverse().find((m) => m.type === 'viewMetrics'))`;
