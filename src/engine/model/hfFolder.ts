/**
 * A Hugging Face model folder: `config.json`, `tokenizer.json`, and weights as one `model.safetensors` or
 * sharded (`model.safetensors.index.json` → `model-0000k-of-0000n.safetensors`). Only the shard holding the
 * token table is opened (plus the one holding a learned position table, if that is elsewhere), and of it only
 * the header; rows are read on demand by FileEmbeddingTables.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeUtf8 } from '#engine-files';
import { tokenizerJsonIds } from '../gguf/tokenizerJson';
import { parseTokenizerJsonSteps } from '../hfTokenizer/leanJson';
import { MAX_TOKENIZER_JSON_BYTES } from '../hfTokenizer/errors';
import { FileEmbeddingTables } from '../safetensors/fileEmbeddingTables';
import { FileByteSource } from '../safetensors/fileByteSource';
import { readSafetensorsHeader } from '../safetensors/header';
import { parseModelConfig, type ModelConfig } from './config';
import { ModelError } from './errors';
import { checkRowsCoverIds, ModelTables } from './modelTables';
import { learnedPositions, unlearnedPositions, type PositionScheme } from './positions';
import { chooseTable, positionTableCandidates, tokenTableCandidates } from './tensorNames';

/** config.json / index.json larger than this is not a config. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export interface ModelOpenOptions {
  /** Token table tensor name (when detection is ambiguous). */
  tokenTensor?: string;
  /** Learned position table name; `null` = ignore any. */
  positionTensor?: string | null;
  /** Row cache budget of the tables, bytes. */
  cacheBytes?: number;
}

export interface WeightsLayout {
  /** Every tensor name of the checkpoint → file name within the folder. */
  files: ReadonlyMap<string, string>;
  /** Shard files in order (one entry when not sharded). */
  shards: readonly string[];
  indexFile: string | null;
}

export interface HfFolderModel {
  tables: ModelTables;
  tokenizerJson: Record<string, unknown>;
  config: ModelConfig;
  layout: WeightsLayout;
  tokenizerKind: string;
}

export function isHfFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Opens a Hugging Face folder in steps: reading its tokenizer.json (tens of MB) pauses every few thousand entries;
 * the rest (config, safetensors headers) is small. Tables are opened after the last pause, so a load abandoned
 * at a pause leaves nothing open.
 */
export function* openHfFolderSteps(dir: string, options: ModelOpenOptions = {}): Generator<void, HfFolderModel, void> {
  if (!isHfFolder(dir)) throw new ModelError('notFound', `${dir} is not a folder.`);
  const config = parseModelConfig(
    readSmallFile(dir, 'config.json', MAX_CONFIG_BYTES, 'notAModel', 'a Hugging Face model folder has one'),
    join(dir, 'config.json'),
  );
  const tokenizerJson = yield* readTokenizerJson(dir);
  const ids = tokenizerJsonIds(tokenizerJson);
  const layout = weightsLayout(dir);
  const names = new Set(layout.files.keys());

  const tokenName = chooseTable(tokenTableCandidates(names), options.tokenTensor, names, 'token', dir);
  if (!tokenName) {
    throw new ModelError(
      'noTokenTable',
      `No token embedding table found in ${dir} (looked for wte, embed_tokens, word_embeddings, tok_embeddings, embed_in under any prefix); name one.`,
    );
  }
  const posName =
    options.positionTensor === null ? null : chooseTable(positionTableCandidates(names), options.positionTensor ?? undefined, names, 'position', dir);

  const tokenFile = join(dir, layout.files.get(tokenName)!);
  const posFile = posName ? join(dir, layout.files.get(posName)!) : null;
  const sameFile = posFile === tokenFile;
  const token = FileEmbeddingTables.open(tokenFile, { tokenTensor: tokenName, positionTensor: sameFile ? posName : null, cacheBytes: options.cacheBytes });
  let positionTable: FileEmbeddingTables | undefined;
  try {
    if (config.hiddenSize !== null && token.dim !== config.hiddenSize) {
      throw new ModelError('dimMismatch', `Token table ${tokenName} has ${token.dim} columns but config.json says hidden size ${config.hiddenSize}.`);
    }
    checkRowsCoverIds(token.vocabSize, ids.count, tokenName, ids.text, dir);
    let positions: PositionScheme;
    if (posName && posFile) {
      // A position table in another shard is opened as a "token" table of its own: its rows are positions.
      positionTable = sameFile ? undefined : FileEmbeddingTables.open(posFile, { tokenTensor: posName, positionTensor: null });
      const rows = sameFile ? token.contextLength : positionTable!.vocabSize;
      positions = learnedPositions(config, posName, basename(posFile), rows);
    } else {
      positions = unlearnedPositions(config);
    }
    const tables = new ModelTables({
      path: dir,
      token,
      tokenTensor: tokenName,
      dtype: dtypeOf(token),
      tokenizerIds: ids.count,
      positions,
      positionTable: sameFile ? new PositionsOfFile(token) : positionTable,
      contextLength: config.contextLength,
    });
    const model = (tokenizerJson.model as { type?: unknown }).type;
    return { tables, tokenizerJson, config, layout, tokenizerKind: typeof model === 'string' ? model : 'unknown' };
  } catch (e) {
    token.dispose();
    positionTable?.dispose();
    throw e;
  }
}

export function dtypeOf(t: { describe(): import('../../shared/embeddingTypes').TableDescription }): string {
  const d = t.describe();
  return d.kind === 'file' ? d.dtype : 'F32';
}

/** The positional table of a file that holds both tables, seen as rows (so ModelTables treats both cases alike). */
class PositionsOfFile {
  constructor(private readonly file: FileEmbeddingTables) {}
  get vocabSize(): number {
    return this.file.contextLength;
  }
  get dim(): number {
    return this.file.dim;
  }
  readonly contextLength = 0;
  tokenRows(rows: ArrayLike<number>): Float32Array {
    return this.file.positionRows(rows);
  }
  positionRows(): Float32Array {
    return new Float32Array(0);
  }
  describe() {
    return this.file.describe();
  }
}

/** Tensor name → file, from the index when sharded, else from the one safetensors file's header. */
export function weightsLayout(dir: string): WeightsLayout {
  const indexFile = 'model.safetensors.index.json';
  if (existsSync(join(dir, indexFile))) {
    const text = readSmallFile(dir, indexFile, MAX_CONFIG_BYTES, 'invalidIndex', '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ModelError('invalidIndex', `${indexFile} in ${dir} is not valid JSON (${(e as Error).message}).`);
    }
    const map = (json as { weight_map?: unknown } | null)?.weight_map;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      throw new ModelError('invalidIndex', `${indexFile} in ${dir} has no "weight_map" object.`);
    }
    const files = new Map<string, string>();
    const shards = new Set<string>();
    for (const [name, file] of Object.entries(map)) {
      // Shards are plain file names in the folder: nothing may point elsewhere.
      if (typeof file !== 'string' || file !== basename(file) || file === '..' || !file.endsWith('.safetensors')) {
        throw new ModelError(
          'invalidIndex',
          `${indexFile} in ${dir} maps ${JSON.stringify(name)} to ${JSON.stringify(file)}, not a .safetensors file in the folder.`,
        );
      }
      files.set(name, file);
      shards.add(file);
    }
    for (const s of shards) {
      if (!existsSync(join(dir, s))) throw new ModelError('noWeights', `${indexFile} in ${dir} names shard ${s}, which is missing.`);
    }
    return { files, shards: [...shards].sort(), indexFile };
  }
  let single = 'model.safetensors';
  if (!existsSync(join(dir, single))) {
    const found = readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
    if (found.length !== 1) {
      const other = readdirSync(dir).filter((f) => /\.(bin|pt|pth|ckpt|h5|msgpack)$/.test(f));
      throw new ModelError(
        'noWeights',
        found.length > 1
          ? `${dir} has several .safetensors files (${found.slice(0, 5).join(', ')}) but no model.safetensors.index.json saying which tensor is where.`
          : `${dir} has no model.safetensors` +
              (other.length ? ` (only ${other.slice(0, 3).join(', ')}: convert it to safetensors, e.g. save_pretrained(..., safe_serialization=True)).` : '.'),
      );
    }
    single = found[0];
  }
  const source = new FileByteSource(join(dir, single));
  try {
    const header = readSafetensorsHeader(source, join(dir, single));
    return { files: new Map([...header.tensors.keys()].map((n) => [n, single])), shards: [single], indexFile: null };
  } finally {
    source.close();
  }
}

function* readTokenizerJson(dir: string): Generator<void, Record<string, unknown>, void> {
  if (!existsSync(join(dir, 'tokenizer.json'))) {
    const others = ['tokenizer.model', 'vocab.json', 'tiktoken.model', 'tekken.json'].filter((f) => existsSync(join(dir, f)));
    throw new ModelError(
      'noTokenizer',
      `${dir} has no tokenizer.json` +
        (others.length
          ? ` (it has ${others.join(', ')}; save a tokenizer.json with transformers: AutoTokenizer.from_pretrained(dir).save_pretrained(dir)).`
          : '.'),
    );
  }
  const bytes = readSmallBytes(dir, 'tokenizer.json', MAX_TOKENIZER_JSON_BYTES, 'invalidTokenizer', '');
  let json: unknown;
  try {
    // Vocabulary and merges straight into the tokenizer's compact forms (hfTokenizer/leanJson.ts).
    json = yield* parseTokenizerJsonSteps(bytes);
  } catch (e) {
    throw new ModelError('invalidTokenizer', `tokenizer.json in ${dir} is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as { model?: unknown }).model !== 'object') {
    throw new ModelError('invalidTokenizer', `tokenizer.json in ${dir} is not a tokenizer (no "model" object).`);
  }
  return json as Record<string, unknown>;
}

function readSmallBytes(dir: string, name: string, max: number, missingCode: 'notAModel' | 'invalidIndex' | 'invalidTokenizer', why: string): Uint8Array {
  const path = join(dir, name);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new ModelError(missingCode, `${dir} has no ${name}${why ? ` (${why})` : ''}.`);
  }
  if (size > max) throw new ModelError(missingCode, `${path} is ${size} bytes; more than ${max} is refused.`);
  return readFileSync(path);
}

function readSmallFile(dir: string, name: string, max: number, missingCode: 'notAModel' | 'invalidIndex' | 'invalidTokenizer', why: string): string {
  return decodeUtf8(readSmallBytes(dir, name, max, missingCode, why));
}
