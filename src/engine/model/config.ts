/**
 * The few facts of a Hugging Face `config.json` that decide how tokens become vectors: widths, vocabulary,
 * context, tying and the rotary position settings. Multimodal configs (Gemma 3, Llava…) keep the language
 * model's values in `text_config`, which is read when the top level lacks them.
 */
import { ModelError } from './errors';

export interface ModelConfig {
  modelType: string | null;
  architectures: readonly string[];
  vocabSize: number | null;
  hiddenSize: number | null;
  /** max_position_embeddings / n_positions / n_ctx / max_seq_len. */
  contextLength: number | null;
  /** transformers' default is true when the key is absent. */
  tieWordEmbeddings: boolean;
  ropeTheta: number | null;
  /** Width of one attention head (head_dim, or hidden_size / num_attention_heads). */
  headDim: number | null;
  /** Fraction of each head that is rotated (partial_rotary_factor / rotary_pct), 1 when absent. */
  rotaryFraction: number;
}

type Json = Record<string, unknown>;

const num = (o: Json | null, ...keys: string[]): number | null => {
  for (const k of keys) {
    const v = o?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
};

export function parseModelConfig(text: string, label: string): ModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelError('invalidConfig', `${label} is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelError('invalidConfig', `${label} must be a JSON object.`);
  }
  const top = json as Json;
  const text_ = typeof top.text_config === 'object' && top.text_config !== null ? (top.text_config as Json) : null;
  /** Top level first, then text_config. */
  const pick = (...keys: string[]) => num(top, ...keys) ?? num(text_, ...keys);
  const positiveInt = (v: number | null, key: string): number | null => {
    if (v === null) return null;
    if (!Number.isSafeInteger(v) || v <= 0) throw new ModelError('invalidConfig', `${key} in ${label} is ${v}; expected a positive integer.`);
    return v;
  };
  const hiddenSize = positiveInt(pick('hidden_size', 'n_embd', 'd_model', 'dim'), 'hidden_size');
  const heads = pick('num_attention_heads', 'n_head', 'n_heads');
  const headDim = positiveInt(pick('head_dim'), 'head_dim') ?? (hiddenSize && heads && hiddenSize % heads === 0 ? hiddenSize / heads : null);
  const tie = top.tie_word_embeddings ?? text_?.tie_word_embeddings;
  const ropeScaling = (top.rope_parameters ?? text_?.rope_parameters) as Json | undefined;
  return {
    modelType: typeof top.model_type === 'string' ? top.model_type : null,
    architectures: Array.isArray(top.architectures) ? top.architectures.filter((a): a is string => typeof a === 'string') : [],
    vocabSize: positiveInt(pick('vocab_size', 'n_vocab'), 'vocab_size'),
    hiddenSize,
    contextLength: positiveInt(pick('max_position_embeddings', 'n_positions', 'n_ctx', 'max_seq_len', 'seq_length'), 'max_position_embeddings'),
    tieWordEmbeddings: typeof tie === 'boolean' ? tie : true,
    ropeTheta: pick('rope_theta', 'rotary_emb_base') ?? num(ropeScaling ?? null, 'rope_theta'),
    headDim,
    rotaryFraction: pick('partial_rotary_factor', 'rotary_pct') ?? 1,
  };
}
