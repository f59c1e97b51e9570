/**
 * A .gguf file as a model: its tokenizer (rebuilt as tokenizer.json), `token_embd.weight` dequantized on demand,
 * and the rotary position settings of its architecture (`<arch>.context_length`, `<arch>.rope.freq_base`,
 * `<arch>.rope.dimension_count`).
 */
import { GgufEmbeddingTables, GGUF_TOKEN_TENSOR } from '../gguf/ggufEmbeddingTables';
import { readGgufHeaderSteps, type GgufFile } from '../gguf/header';
import { ggufTokenizerJsonSteps, tokenizerJsonIds, type GgufTokenizerKind } from '../gguf/tokenizerJson';
import { FileByteSource } from '../safetensors/fileByteSource';
import { asGgufError } from '../gguf/errors';
import { checkRowsCoverIds, ModelTables } from './modelTables';
import { DEFAULT_ROPE_THETA, ropePositions } from './positions';
import { runSteps } from '../steps';
import type { ModelOpenOptions } from './hfFolder';

export interface GgufModel {
  tables: ModelTables;
  tokenizerJson: Record<string, unknown>;
  tokenizerKind: GgufTokenizerKind;
  pre: string | null;
  architecture: string | null;
  header: GgufFile;
}

export function isGgufPath(path: string): boolean {
  return /\.gguf$/i.test(path);
}

export function openGgufModel(path: string, options: ModelOpenOptions = {}): GgufModel {
  return runSteps(openGgufModelSteps(path, options));
}

/** `openGgufModel` in steps: the header's vocabulary arrays and the tokenizer built from them pause as they go. */
export function* openGgufModelSteps(path: string, options: ModelOpenOptions = {}): Generator<void, GgufModel, void> {
  let source: FileByteSource;
  try {
    source = new FileByteSource(path);
  } catch (e) {
    throw asGgufError(e);
  }
  let inner: GgufEmbeddingTables | null = null;
  let opened = false;
  try {
    const header = yield* readGgufHeaderSteps(source, path);
    const arch = metaString(header, 'general.architecture');
    const num = (key: string) => metaNumber(header, `${arch}.${key}`);
    const tokenizer = yield* ggufTokenizerJsonSteps(header.metadata, path);
    const contextLength = num('context_length');
    inner = GgufEmbeddingTables.open(path, {
      source,
      header,
      tokenTensor: options.tokenTensor,
      cacheBytes: options.cacheBytes,
      contextLength: contextLength ?? 0,
    });
    // The id count is known from the metadata (tokens array or the embedded JSON); the id → text index is only
    // built for the message when rows are missing.
    const ids = tokenizer.vocabSize;
    checkRowsCoverIds(inner.vocabSize, ids, options.tokenTensor ?? GGUF_TOKEN_TENSOR, (id) => tokenizerJsonIds(tokenizer.json).text(id), path);
    const heads = num('attention.head_count');
    const embd = num('embedding_length') ?? inner.dim;
    const headDim = num('attention.key_length') ?? (heads ? embd / heads : null);
    const rotary = num('rope.dimension_count');
    const positions = ropePositions(num('rope.freq_base') ?? DEFAULT_ROPE_THETA, headDim, headDim && rotary ? rotary / headDim : 1);
    const tables = new ModelTables({
      path,
      token: inner,
      tokenTensor: inner.tensor.name,
      dtype: inner.type,
      tokenizerIds: ids,
      positions,
      contextLength,
    });
    opened = true;
    return { tables, tokenizerJson: tokenizer.json, tokenizerKind: tokenizer.kind, pre: tokenizer.pre, architecture: arch, header };
  } catch (e) {
    throw asGgufError(e);
  } finally {
    // Also when the load stops between steps (a cancel: the runner returns the generator).
    if (!opened) {
      if (inner) inner.dispose();
      else source.close();
    }
  }
}

function metaString(h: GgufFile, key: string): string | null {
  const kv = h.metadata.get(key);
  return kv && kv.type === 'string' ? (kv.value as string) : null;
}

/** Any scalar number type (converters write u32 or u64 for counts, f32 for bases). */
function metaNumber(h: GgufFile, key: string): number | null {
  const v = h.metadata.get(key)?.value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint' && v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return null;
}
