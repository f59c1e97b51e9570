/**
 * A bit-exact re-implementation of PyTorch's CPU default generator and of the CPU `Tensor.normal_` kernel,
 * so that `torch.manual_seed(s); nn.Embedding(V, D)` can be reproduced without PyTorch.
 *
 * Facts this file relies on (checked against PyTorch 2.11 reference data in test/fixtures):
 * - `manual_seed(s)` seeds a standard mt19937 with the low 32 bits of the uint64 seed and drops the cached
 *   normal samples.
 * - A float32 uniform consumes ONE mt19937 output: `(u32 & (2^24−1)) · 2^−24`.
 *   A double uniform consumes TWO (`random64()` = first output in the high half): low 53 bits · 2^−53.
 * - `normal_` on a contiguous float tensor with ≥ 16 elements ("vectorised path") draws all uniforms first,
 *   Box–Muller-transforms blocks of 16 (element j paired with j+8), and when the size is not a multiple of 16
 *   redraws 16 fresh uniforms into the last 16 elements and transforms those again.
 * - With < 16 elements ("scalar path") every element comes from a double-precision Box–Muller pair
 *   (radius from the second uniform via log1p(−u), angle from the first); the sine half is cached in the
 *   generator and returned by the next scalar draw, even by a later tensor.
 */

/** mt19937 state length. */
export const MT_N = 624;
const MT_M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/** PyTorch's default seed for the CPU generator when `manual_seed` was never called. */
export const TORCH_DEFAULT_SEED = 67280421310721n;

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * Normalises a seed the way `torch.manual_seed` does: any integer in [−2^63, 2^64−1]; negative values are taken
 * as their two's-complement uint64. Accepts bigint, a safe integer number, or a decimal string (optional sign).
 */
export function parseTorchSeed(seed: bigint | number | string): bigint {
  let value: bigint;
  if (typeof seed === 'bigint') {
    value = seed;
  } else if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Seed ${seed} is not a safe integer; pass seeds above 2^53 as a decimal string or bigint.`);
    }
    value = BigInt(seed);
  } else {
    const text = seed.trim();
    if (!/^[+-]?\d+$/.test(text)) {
      throw new RangeError(`Seed "${seed}" is not a decimal integer (expected e.g. "123" or "18446744073709551615").`);
    }
    value = BigInt(text);
  }
  if (value < INT64_MIN || value > UINT64_MAX) {
    throw new RangeError(`Seed ${value} is out of range: torch.manual_seed accepts integers in [-2^63, 2^64-1].`);
  }
  return value < 0n ? value + (1n << 64n) : value;
}

/** Fills `state` with the mt19937 initialisation for a 32-bit seed. */
function initState(state: Uint32Array, seed32: number): void {
  state[0] = seed32 >>> 0;
  for (let i = 1; i < MT_N; i++) {
    const prev = state[i - 1]!;
    state[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
  }
}

/** One in-place mt19937 "twist" (regenerates all 624 words). Split in three loops to avoid modulo. */
export function twistState(s: Uint32Array): void {
  let k = 0;
  for (; k < MT_N - MT_M; k++) {
    const y = (s[k]! & UPPER) | (s[k + 1]! & LOWER);
    s[k] = s[k + MT_M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; k < MT_N - 1; k++) {
    const y = (s[k]! & UPPER) | (s[k + 1]! & LOWER);
    s[k] = s[k + MT_M - MT_N]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  const y = (s[MT_N - 1]! & UPPER) | (s[0]! & LOWER);
  s[MT_N - 1] = s[MT_M - 1]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/** mt19937 output tempering of one state word. */
export function temper(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/**
 * mt19937 that knows how many outputs it has produced, so it can be saved and restored at any output index.
 * Position bookkeeping: after `twists` twists with `index` words of the current state used, the number of
 * outputs consumed is `(twists − 1)·624 + index` (and 0 before the first twist, where index = 624).
 */
export class MT19937 {
  readonly state = new Uint32Array(MT_N);
  /** Index of the next state word to temper; 624 means "twist first". */
  index = MT_N;
  /** Twists performed since seeding. */
  twists = 0;

  constructor(seed32 = 5489) {
    this.seed(seed32);
  }

  seed(seed32: number): void {
    initState(this.state, seed32);
    this.index = MT_N;
    this.twists = 0;
  }

  /** Number of 32-bit outputs produced since seeding. */
  get position(): number {
    return this.twists * MT_N + this.index - MT_N;
  }

  twist(): void {
    twistState(this.state);
    this.twists++;
    this.index = 0;
  }

  nextU32(): number {
    if (this.index >= MT_N) this.twist();
    return temper(this.state[this.index++]!);
  }

  /** Copies another generator's state (used to restore checkpoints). */
  copyFrom(other: { state: Uint32Array; twists: number; index: number }): void {
    this.state.set(other.state);
    this.twists = other.twists;
    this.index = other.index;
  }
}

/** Twists needed before output `n` can be read, and the state index it sits at. */
export function locateOutput(n: number): { twists: number; index: number } {
  if (n === 0) return { twists: 0, index: MT_N };
  const twists = Math.ceil(n / MT_N);
  return { twists, index: n - (twists - 1) * MT_N };
}

const TWO_PI = 2 * Math.PI;
const FLOAT_UNIFORM_MASK = 0xffffff;
const FLOAT_UNIFORM_SCALE = 2 ** -24;
const DOUBLE_HIGH_MASK = 0x1fffff; // the 21 high bits that survive the 53-bit mask
const TWO_POW_32 = 2 ** 32;
const DOUBLE_UNIFORM_SCALE = 2 ** -53;

/** PyTorch's float uniform in [0, 1) from one mt19937 output (exact in float32). */
export function floatUniform(u32: number): number {
  return (u32 & FLOAT_UNIFORM_MASK) * FLOAT_UNIFORM_SCALE;
}

/**
 * Box–Muller on one block of 16 float uniforms, in place, the way PyTorch's `normal_fill_16` does:
 * pair (j, j+8), u1 = 1 − data[j] (so log never sees 0), u2 = data[j+8]; float32 intermediate rounding as in
 * the portable kernel (the AVX2 kernel differs by a few float ulps).
 */
export function normalFill16(data: Float32Array, offset: number, mean = 0, std = 1): void {
  const fr = Math.fround;
  for (let j = 0; j < 8; j++) {
    const u1 = fr(1 - data[offset + j]!);
    const u2 = data[offset + j + 8]!;
    const radius = fr(Math.sqrt(fr(-2 * fr(Math.log(u1)))));
    const theta = fr(TWO_PI * u2);
    data[offset + j] = fr(fr(radius * fr(Math.cos(theta))) * std) + mean;
    data[offset + j + 8] = fr(fr(radius * fr(Math.sin(theta))) * std) + mean;
  }
}

/** Minimum element count for which PyTorch's CPU `normal_` uses the vectorised (block-of-16) path. */
export const VECTOR_PATH_MIN = 16;

/** How many mt19937 outputs `normal_` on a float tensor of `size` elements consumes on the vectorised path. */
export function vectorPathOutputs(size: number): number {
  return size + (size % 16 === 0 ? 0 : 16);
}

/** PyTorch's CPU default generator: mt19937 plus the cached second Box–Muller sample. */
export class TorchGenerator {
  readonly mt = new MT19937();
  private seedValue = TORCH_DEFAULT_SEED;
  private cachedNormal: number | null = null;

  constructor(seed: bigint | number | string = TORCH_DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** `torch.manual_seed(seed)`: reseeds with the low 32 bits and clears the cached normal sample. */
  manualSeed(seed: bigint | number | string): this {
    this.seedValue = parseTorchSeed(seed);
    this.mt.seed(Number(this.seedValue & 0xffffffffn));
    this.cachedNormal = null;
    return this;
  }

  /** The uint64 seed last set (`torch.initial_seed()`). */
  initialSeed(): bigint {
    return this.seedValue;
  }

  /** mt19937 outputs consumed since the last seed. */
  get position(): number {
    return this.mt.position;
  }

  get hasCachedNormal(): boolean {
    return this.cachedNormal !== null;
  }

  /** Drops (or sets) the cached double normal sample; used when resuming a stream mid-way. */
  setCachedNormal(value: number | null): void {
    this.cachedNormal = value;
  }

  randomU32(): number {
    return this.mt.nextU32();
  }

  /** `uniform_real_distribution<float>(0, 1)`. */
  uniformFloat(): number {
    return floatUniform(this.mt.nextU32());
  }

  /** `uniform_real_distribution<double>(0, 1)`: low 53 bits of random64() (first output = high half). */
  uniformDouble(): number {
    const hi = this.mt.nextU32();
    const lo = this.mt.nextU32();
    return ((hi & DOUBLE_HIGH_MASK) * TWO_POW_32 + lo) * DOUBLE_UNIFORM_SCALE;
  }

  /** `normal_distribution<double>(mean, std)` with PyTorch's one-sample cache. */
  normalDouble(mean = 0, std = 1): number {
    if (this.cachedNormal !== null) {
      const cached = this.cachedNormal;
      this.cachedNormal = null;
      return cached * std + mean;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const radius = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = TWO_PI * u1;
    this.cachedNormal = radius * Math.sin(theta);
    return radius * Math.cos(theta) * std + mean;
  }

  /** `tensor.normal_(mean, std)` on a contiguous float32 tensor, exactly as PyTorch's CPU kernel. */
  normal_(data: Float32Array, mean = 0, std = 1): Float32Array {
    const size = data.length;
    if (size >= VECTOR_PATH_MIN) {
      for (let i = 0; i < size; i++) data[i] = this.uniformFloat();
      for (let i = 0; i + 16 <= size; i += 16) normalFill16(data, i, mean, std);
      if (size % 16 !== 0) {
        const tail = size - 16;
        for (let i = 0; i < 16; i++) data[tail + i] = this.uniformFloat();
        normalFill16(data, tail, mean, std);
      }
    } else {
      for (let i = 0; i < size; i++) data[i] = this.normalDouble(mean, std);
    }
    return data;
  }
}

/**
 * Reference (materialising) path: `torch.manual_seed(seed); nn.Embedding(vocab, dim); nn.Embedding(ctx, dim)`.
 * Allocates both tables in full, so use it only for small tables, tests, and as the benchmark baseline.
 */
export function torchEmbeddingInit(
  seed: bigint | number | string,
  vocabSize: number,
  dim: number,
  contextLength: number,
): { token: Float32Array; position: Float32Array } {
  const generator = new TorchGenerator(seed);
  const token = generator.normal_(new Float32Array(vocabSize * dim));
  const position = generator.normal_(new Float32Array(contextLength * dim));
  return { token, position };
}
