/**
 * Every bound on what a user or a caller may ask for, in one place: the engine enforces them
 * (src/engine/serviceValidation.ts), the host validates settings and webview messages with them
 * (src/host/settings.ts, src/host/webviewMessages.ts), the CLI reports them in its help, the panel checks
 * its inputs with them, and package.json's `minimum`/`maximum` repeat them for the Settings UI (held
 * equal by test/unit/limits.test.ts). Change a bound here, then package.json.
 */

/** An inclusive integer range. */
export interface IntRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The integer settings. The engine accepts exactly what the settings may hold, so a value that passed one
 * layer never fails the next.
 */
export const SETTING_LIMITS = {
  /** Embedding width. 4,096 covers GPT-2 XL (1,600) to Llama-3-8B (4,096); rows are generated on demand. */
  dim: { min: 1, max: 4096 },
  /** Positional rows. 131,072 = Llama 3.1's context; the table is also bounded by MAX_POSITIONAL_VALUES. */
  contextLength: { min: 1, max: 131_072 },
  /**
   * Tokens between sliding-window starts. A stride longer than the longest window only skips more text, so
   * the bound is the longest window (the engine used to accept up to 2^31−1: nothing needs that).
   */
  stride: { min: 1, max: 131_072 },
  /**
   * Windows per batch. The first batch's ids travel with every inspection (batchSize × contextLength ×
   * 2 int32), and the book uses 8: 1,024 rows is already more than anyone reads (the engine used to take
   * 65,536, which at a long context meant gigabytes).
   */
  batchSize: { min: 1, max: 1_024 },
  /**
   * Tokens whose vectors one inspection returns (a page). Each costs 2 × dim float32 in the reply: 20,000
   * tokens × 4,096 dims is already 655 MB, so the engine takes no more than the setting allows (it used to
   * take 1,000,000). 0 is allowed by the engine only: the CLI and analyses ask for ids and shapes only.
   */
  maxTokens: { min: 1, max: 20_000 },
} as const satisfies Record<string, IntRange>;

/**
 * contextLength × dim at most: the whole positional table travels with every inspection, and 16,777,216
 * float32 are 64 MB (GPT-2's 1,024 × 768 table is 786,432).
 */
export const MAX_POSITIONAL_VALUES = 16_777_216;

/** Rows of one `rows` request (the CLI's whole-table JSON stays below this). */
export const MAX_ROWS_PER_REQUEST = 1_000_000;
/** Rows of a random token table: ids travel as int32. */
export const MAX_VOCAB_SIZE = 2 ** 31 - 1;
/** Neighbours of one `neighbors` request. */
/**
 * Largest weights file VS Code for the Web reads: there is no ranged read through workspace.fs, so the whole
 * file travels to the engine worker. 1 GiB holds GPT-2 small's 548 MB model.safetensors; bigger models are
 * for the desktop, which reads only the rows it needs.
 */
export const MAX_WEB_WEIGHTS_FILE_BYTES = 1024 ** 3;

export const MAX_NEIGHBORS = 1_000;
/**
 * The longest document (UTF-16 code units) whose whole-document features — hover, status bar count, token
 * highlighting — run: 8 Mi characters tokenize in a few seconds even for text that splits into many small pieces
 * (base64), and the worker's copy (text + ids + spans) stays around 100 MB at worst. A 40 MB document would hold
 * the worker for tens of seconds in one piece. The host declines longer documents before sending them
 * (src/host/documentSync.ts) and the engine refuses them too.
 */
export const MAX_DOCUMENT_CHARS = 8 * 1024 * 1024;

/** UTF-16 offsets (token spans, reveal ranges, rows) travel as int32. */
export const MAX_OFFSET = 2 ** 31 - 1;

/** The largest seed torch.manual_seed takes (2^64 − 1): seeds travel as decimal strings so none loses digits. */
export const MAX_SEED = (1n << 64n) - 1n;
/** How every message states the seed range. */
export const SEED_RANGE = `a decimal integer from 0 to ${MAX_SEED}`;

/**
 * The one seed check: `text` must be decimal digits with a value of at most 2^64 − 1. Returns the canonical
 * form ("007" → "7": one generator state, one cache entry), or undefined. Callers trim first if their input
 * may carry spaces (settings, the panel's box). (package.json's pattern also caps the digits at 20.)
 */
export function canonicalSeed(text: string): string | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const digits = text.replace(/^0+(?=[0-9])/, '');
  // More than 20 significant digits is above 2^64 − 1 (20 digits): no BigInt of a huge string.
  if (digits.length > 20) return undefined;
  const value = BigInt(digits);
  return value <= MAX_SEED ? digits : undefined;
}

/** Why `text` is not a seed (to follow "seed "), or undefined when canonicalSeed accepts it. */
export function seedProblem(text: string): string | undefined {
  if (!/^[0-9]+$/.test(text)) return `must be a decimal string of digits 0-9 (0 to ${MAX_SEED})`;
  return canonicalSeed(text) === undefined ? `must be at most ${MAX_SEED} (2^64−1)` : undefined;
}

/** Whether `value` is an integer from `min` to `max` (inclusive). */
export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
