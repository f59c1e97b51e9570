/**
 * How a model tells positions apart, as the model itself does it: a learned table added to the token vectors
 * (GPT-2 `wpe`, BERT; OPT's is offset by 2), rotary embeddings (RoPE: queries and keys are rotated inside
 * attention, so nothing is added to the token vector), ALiBi (attention biases, likewise nothing added), or
 * nothing known.
 */
import type { ModelPositions } from '../../shared/embeddingTypes';
import type { ModelConfig } from './config';

/** The scheme travels to the views as is (SourceDescription `model`), so its type lives in src/shared. */
export type PositionScheme = ModelPositions;

/** model_type values whose transformers implementation uses rotary positions. */
const ROPE_MODEL_TYPES = new Set([
  'llama',
  'mistral',
  'mixtral',
  'qwen2',
  'qwen2_moe',
  'qwen3',
  'qwen3_moe',
  'gemma',
  'gemma2',
  'gemma3',
  'gemma3_text',
  'phi',
  'phi3',
  'gpt_neox',
  'gptj',
  'falcon',
  'olmo',
  'olmo2',
  'deepseek_v2',
  'deepseek_v3',
  'stablelm',
  'starcoder2',
  'cohere',
  'internlm2',
  'granite',
  'smollm3',
  'exaone',
  'glm',
  'glm4',
  'ernie4_5',
  'hunyuan_v1_dense',
  'seed_oss',
]);
const ALIBI_MODEL_TYPES = new Set(['bloom', 'mpt', 'baichuan']);
/** OPT's learned positions start at row 2 (transformers OPTLearnedPositionalEmbedding offset). */
const POSITION_OFFSETS: ReadonlyMap<string, number> = new Map([['opt', 2]]);

/** transformers' default rope_theta when a rotary config omits it. */
export const DEFAULT_ROPE_THETA = 10_000;

export function learnedPositions(config: ModelConfig | null, tensor: string, file: string, rows: number): PositionScheme {
  return { kind: 'learned', tensor, file, rows, offset: POSITION_OFFSETS.get(config?.modelType ?? '') ?? 0 };
}

/** The scheme of a model without a learned position table. */
export function unlearnedPositions(config: ModelConfig): PositionScheme {
  const type = config.modelType ?? '';
  if (ALIBI_MODEL_TYPES.has(type)) return { kind: 'alibi' };
  if (config.ropeTheta !== null || ROPE_MODEL_TYPES.has(type)) {
    return ropePositions(config.ropeTheta ?? DEFAULT_ROPE_THETA, config.headDim, config.rotaryFraction);
  }
  return { kind: 'none' };
}

export function ropePositions(theta: number, headDim: number | null, rotaryFraction = 1): PositionScheme {
  const rotaryDim = headDim === null ? null : Math.floor(headDim * rotaryFraction);
  return { kind: 'rope', theta, headDim, rotaryDim };
}

/** One sentence for the panel and the CLI. */
export function explainPositions(p: PositionScheme): string {
  switch (p.kind) {
    case 'learned':
      return `learned table ${p.tensor} (${p.rows} rows${p.offset ? `, positions start at row ${p.offset}` : ''}), added to each token vector`;
    case 'rope':
      return `rotary (RoPE, theta ${p.theta}${p.headDim ? `, head dim ${p.headDim}` : ''}${p.rotaryDim !== null && p.rotaryDim !== p.headDim ? `, ${p.rotaryDim} rotated` : ''}): queries and keys are rotated inside attention, so nothing is added to the token vector (combined = token vector)`;
    case 'alibi':
      return 'ALiBi: a distance penalty inside attention, so nothing is added to the token vector (combined = token vector)';
    case 'none':
      return 'no positional table found; combined = token vector';
  }
}
