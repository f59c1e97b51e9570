/**
 * What the source bars say about the active source: the tables (random init, a weights file, or a model with
 * its format, architecture, tensor, shard and dtype / quantization), padding rows, the tokenizer, and a model's
 * positions with the reason "combined" equals the token vector for RoPE / ALiBi models. Pure text (unit-tested
 * in Node); the panel's source bar and the side panel's summary show it.
 */
import type { ModelPositions, SourceDescription, TokenizerDescription } from '../../src/shared/embeddingTypes';
import { fmtInt } from './format';

export interface SourceLines {
  /** The tables in a word: `random init · seed 123`, a file name, a model name. */
  label: string;
  /** Tooltip of the label: the PyTorch call or the full path. */
  title: string;
  /** Tensors, dtype, rows × dim, padding rows. */
  detail: string;
  /** `tokenizer llama3 · tokenizer.json (BPE) · 128,256 ids`. */
  tokenizer: string;
  /** A model's positions and what they mean for "combined"; null for the random init and weights files. */
  positions: string | null;
}

function lastSegment(path: string): string {
  return (
    path
      .split(/[\\/]+/)
      .filter(Boolean)
      .pop() ?? path
  );
}

const padding = (rows: number) => (rows > 0 ? ` · ${fmtInt(rows)} padding ${rows === 1 ? 'row' : 'rows'} (never trained)` : '');

function tokenizerKind(t: TokenizerDescription): string {
  switch (t.kind) {
    case 'encoding':
      return `built-in encoding (${t.model})`;
    case 'tokenizer.json':
      return `tokenizer.json (${t.model})`;
    case 'model':
      return `the model’s own (${t.model})`;
  }
}

/** Nothing is added for these schemes: the panel's "combined" heatmap repeats the token one, and this says why. */
const NOTHING_ADDED = 'so nothing is added to the token vector: combined = token vector';

/** A model's positions in words (the engine sends them as data). */
export function positionsLine(p: ModelPositions): string {
  switch (p.kind) {
    case 'learned':
      return `positions: learned table ${p.tensor} (${fmtInt(p.rows)} rows${p.offset ? `, positions start at row ${p.offset}` : ''}), added to each token vector`;
    case 'rope': {
      const head = p.headDim ? `, head dim ${p.headDim}` : '';
      const rotated = p.rotaryDim !== null && p.rotaryDim !== p.headDim ? `, ${p.rotaryDim} dims rotated` : '';
      return `positions: rotary (RoPE, theta ${p.theta}${head}${rotated}): queries and keys are rotated inside attention, ${NOTHING_ADDED}`;
    }
    case 'alibi':
      return `positions: ALiBi, a distance penalty inside attention, ${NOTHING_ADDED}`;
    case 'none':
      return `positions: the model has no positional table, ${NOTHING_ADDED}`;
  }
}

export function tokenizerLine(t: TokenizerDescription): string {
  return `tokenizer ${t.name} · ${tokenizerKind(t)} · ${fmtInt(t.vocabSize)} ids`;
}

export function sourceLines(source: SourceDescription): SourceLines {
  const shape = `${fmtInt(source.vocabSize)} × ${fmtInt(source.dim)}`;
  const tokenizer = tokenizerLine(source.tokenizer);
  switch (source.kind) {
    case 'random':
      return {
        label: `random init · seed ${source.seed}`,
        title: `torch.manual_seed(${source.seed}); nn.Embedding(${source.vocabSize}, ${source.dim})`,
        detail: shape,
        tokenizer,
        positions: null,
      };
    case 'file': {
      const tensors = source.positionTensor ? `${source.tokenTensor} + ${source.positionTensor}` : `${source.tokenTensor} (no positional tensor)`;
      return {
        label: lastSegment(source.path),
        title: source.path,
        detail: `${tensors} · ${source.dtype} · ${shape}${padding(source.paddingRows)}`,
        tokenizer,
        positions: null,
      };
    }
    case 'model': {
      const format = source.format === 'gguf' ? 'GGUF' : 'Hugging Face';
      const where = source.shard ? ` in ${source.file} (shard ${source.shard.number} of ${source.shard.of})` : '';
      return {
        label: lastSegment(source.path),
        title: source.path,
        detail: `${format} · ${source.architecture ?? 'architecture not named'} · ${source.tokenTensor}${where} · ${source.dtype} · ${shape}${padding(source.paddingRows)}`,
        tokenizer,
        positions: positionsLine(source.positions),
      };
    }
  }
}

/** One line for the narrow side panel (whose summary names the tokenizer already): tables, dtype, padding rows. */
export function sourceSummary(source: SourceDescription): string {
  const dtype = source.kind === 'random' ? '' : ` (${source.dtype})`;
  return `${sourceLines(source).label}${dtype}${padding(source.paddingRows)}`;
}
