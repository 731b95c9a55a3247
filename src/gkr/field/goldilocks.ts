/**
 * The Goldilocks prime field F_p, p = 2^64 − 2^32 + 1, without BigInt.
 *
 * Why this field: the engine's accumulators reach ~52 bits (docs/fixed-point.md, accBits ≤ 52 on
 * the float64 path), so every engine integer embeds as `x mod p` without wrapping; p − 1 = 2^32 ·
 * (2^32 − 1) gives a 2-adic subgroup of order 2^32 for the NTT of the commitment's Reed–Solomon
 * code. Challenges come from the quadratic extension (extension.ts, |F_p²| ≈ 2^128), so the
 * soundness error is computed against 2^128, not 2^64.
 *
 * Representation (the API every gkr module shares):
 * - one element = two uint32 words [lo, hi], value = lo + hi · 2^32, always canonical (< p);
 * - a vector of n elements = a `Uint32Array` of 2n words, element i at words 2i, 2i+1 — on a
 *   little-endian machine its bytes are the elements' 8-byte little-endian encodings, which is
 *   what the transcript and the Merkle tree hash;
 * - every operation writes into (out, outIndex) from (a, aIndex), (b, bIndex), where the index
 *   is a WORD offset (2i for element i). `out` may alias an input. No allocation per call.
 *
 * Multiplication without BigInt: 32×32-bit products are split into the exact low word
 * (`Math.imul`) and the high word recovered from the float64 product: f = fl(x·y) is within 2^10
 * of x·y < 2^64, so (f − lo) / 2^32 is within 2^-21 of the integer high word and Math.round
 * returns it exactly. The 128-bit product is reduced with 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1 (mod p).
 */

/** p as a BigInt: for tests, documentation and the (cold) exponent arithmetic only. */
export const GOLDILOCKS_MODULUS = 0xffff_ffff_0000_0001n;
/** Words per base-field element in a vector. */
export const BASE_WORDS = 2;
/** p − 1 = 2^32 · (2^32 − 1): the largest power-of-two subgroup has order 2^32. */
export const TWO_ADICITY = 32;
/** 7 generates F_p^* (the generator Plonky2 uses); its (2^32 − 1)-th power has order 2^32. */
export const MULTIPLICATIVE_GENERATOR = 7;

const TWO32 = 4294967296;
const INV_TWO32 = 1 / 4294967296;
const MAX_U32 = 0xffffffff;

/** Writes (L + H·2^32) mod p into out[o], out[o+1], for integers L ∈ (−2^50, 2^50), H ∈ (−2^50, 2^50). */
function reduceInto(out: Uint32Array, o: number, L: number, H: number): void {
  let c = Math.floor(L * INV_TWO32);
  L -= c * TWO32;
  H += c;
  // Fold H·2^32 with H outside [0, 2^32): k·2^64 ≡ k·(2^32 − 1) = −k + k·2^32.
  while (H >= TWO32 || H < 0) {
    const k = Math.floor(H * INV_TWO32);
    H = H - k * TWO32 + k;
    L -= k;
    c = Math.floor(L * INV_TWO32);
    L -= c * TWO32;
    H += c;
  }
  // Now value = L + H·2^32 < 2^64; it is ≥ p iff H = 2^32 − 1 and L ≥ 1.
  if (H === MAX_U32 && L >= 1) {
    H = 0;
    L -= 1;
  }
  out[o] = L;
  out[o + 1] = H;
}

/** High 32 bits of x·y for uint32 x, y (see the header). */
function mulHigh(x: number, y: number, low: number): number {
  return Math.round((x * y - low) * INV_TWO32);
}

/** Writes (aL + aH·2^32)(bL + bH·2^32) mod p. */
function mulWordsInto(out: Uint32Array, o: number, aL: number, aH: number, bL: number, bH: number): void {
  const lo00 = Math.imul(aL, bL) >>> 0;
  const hi00 = mulHigh(aL, bL, lo00);
  const lo01 = Math.imul(aL, bH) >>> 0;
  const hi01 = mulHigh(aL, bH, lo01);
  const lo10 = Math.imul(aH, bL) >>> 0;
  const hi10 = mulHigh(aH, bL, lo10);
  const lo11 = Math.imul(aH, bH) >>> 0;
  const hi11 = mulHigh(aH, bH, lo11);
  // product = lo00 + t1·2^32 + t2·2^64 + hi11·2^96, t1 = hi00 + lo01 + lo10, t2 = hi01 + hi10 + lo11
  // ≡ lo00 + t1·2^32 + t2·(2^32 − 1) − hi11  (mod p)
  const t2 = hi01 + hi10 + lo11;
  reduceInto(out, o, lo00 - t2 - hi11, hi00 + lo01 + lo10 + t2);
}

/** A vector of `length` zero elements. */
export function createBaseVector(length: number): Uint32Array {
  return new Uint32Array(length * BASE_WORDS);
}

/** out = a + b. */
export function baseAdd(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  reduceInto(out, o, a[ai] + b[bi], a[ai + 1] + b[bi + 1]);
}

/** out = a − b. */
export function baseSub(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  // + p = 1 + (2^32 − 1)·2^32 keeps the pair non-negative before reduction
  reduceInto(out, o, a[ai] - b[bi] + 1, a[ai + 1] - b[bi + 1] + MAX_U32);
}

/** out = −a. */
export function baseNeg(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  reduceInto(out, o, 1 - a[ai], MAX_U32 - a[ai + 1]);
}

/** out = a · b. */
export function baseMul(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  mulWordsInto(out, o, a[ai], a[ai + 1], b[bi], b[bi + 1]);
}

/** out = a · s for a small unsigned integer s < 2^18 (e.g. the extension's non-residue 7). */
export function baseMulSmall(out: Uint32Array, o: number, a: Uint32Array, ai: number, s: number): void {
  reduceInto(out, o, a[ai] * s, a[ai + 1] * s);
}

/**
 * out = x mod p for a signed safe integer x (|x| ≤ 2^53 − 1): how engine integers (activations,
 * weights, accumulators) enter the field.
 */
export function baseFromSigned(out: Uint32Array, o: number, x: number): void {
  const H = Math.floor(x * INV_TWO32);
  reduceInto(out, o, x - H * TWO32, H);
}

/**
 * The centred lift of a: the integer in (−p/2, p/2) congruent to it, as a number when its
 * magnitude is below 2^53 (exact), else NaN. The inverse of baseFromSigned on engine values.
 */
export function baseToSigned(a: Uint32Array, ai: number): number {
  const lo = a[ai];
  const hi = a[ai + 1];
  if (hi < 0x200000) return hi * TWO32 + lo;
  // value ≥ 2^53: negative if p − value < 2^53; p − value = (1 − lo) + (2^32 − 1 − hi)·2^32
  const nHi = MAX_U32 - hi;
  const nLo = 1 - lo;
  const magnitude = nHi * TWO32 + nLo;
  return magnitude < 2 ** 53 ? -magnitude : Number.NaN;
}

/** a == b (canonical forms compare word by word). */
export function baseEquals(a: Uint32Array, ai: number, b: Uint32Array, bi: number): boolean {
  return a[ai] === b[bi] && a[ai + 1] === b[bi + 1];
}

export function baseIsZero(a: Uint32Array, ai: number): boolean {
  return a[ai] === 0 && a[ai + 1] === 0;
}

/** out = x mod p for any BigInt (cold paths and tests). */
export function baseFromBigInt(out: Uint32Array, o: number, x: bigint): void {
  let v = x % GOLDILOCKS_MODULUS;
  if (v < 0n) v += GOLDILOCKS_MODULUS;
  out[o] = Number(v & 0xffff_ffffn);
  out[o + 1] = Number(v >> 32n);
}

/** The canonical value of a as a BigInt (cold paths and tests). */
export function baseToBigInt(a: Uint32Array, ai: number): bigint {
  return (BigInt(a[ai + 1]) << 32n) | BigInt(a[ai]);
}

/** out = a^exponent (square and multiply over the exponent's bits; exponent ≥ 0). */
export function basePow(out: Uint32Array, o: number, a: Uint32Array, ai: number, exponent: bigint): void {
  const acc = new Uint32Array([1, 0]);
  const square = new Uint32Array([a[ai], a[ai + 1]]);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) mulWordsInto(acc, 0, acc[0], acc[1], square[0], square[1]);
    mulWordsInto(square, 0, square[0], square[1], square[0], square[1]);
    e >>= 1n;
  }
  out[o] = acc[0];
  out[o + 1] = acc[1];
}

/** out = a^(−1) = a^(p−2). Throws on zero (a bug in the caller: inverses are of random or non-zero values). */
export function baseInverse(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  if (baseIsZero(a, ai)) throw new RangeError('goldilocks: inverse of zero');
  basePow(out, o, a, ai, GOLDILOCKS_MODULUS - 2n);
}

/**
 * Inverts the first `count` elements of `values` in place with one inversion (Montgomery's
 * trick: 3(count − 1) multiplications + 1 inverse). Throws if any element is zero.
 */
export function baseBatchInverse(values: Uint32Array, count = values.length / BASE_WORDS): void {
  if (count === 0) return;
  const prefix = new Uint32Array(count * BASE_WORDS);
  prefix[0] = values[0];
  prefix[1] = values[1];
  for (let i = 1; i < count; i++) baseMul(prefix, 2 * i, prefix, 2 * i - 2, values, 2 * i);
  const inverse = new Uint32Array(2);
  baseInverse(inverse, 0, prefix, 2 * count - 2);
  const tmp = new Uint32Array(2);
  for (let i = count - 1; i > 0; i--) {
    // inverse = (v_0 … v_i)^-1 → v_i^-1 = inverse · prefix_{i−1}; then inverse ·= v_i
    baseMul(tmp, 0, inverse, 0, prefix, 2 * i - 2);
    baseMul(inverse, 0, inverse, 0, values, 2 * i);
    values[2 * i] = tmp[0];
    values[2 * i + 1] = tmp[1];
  }
  values[0] = inverse[0];
  values[1] = inverse[1];
}

/**
 * A primitive 2^logOrder-th root of unity ω (ω^(2^logOrder) = 1, ω^(2^(logOrder−1)) = −1), as a
 * 2-word array: 7^((p−1)/2^logOrder). For the NTT of size 2^logOrder, 0 ≤ logOrder ≤ 32.
 */
export function rootOfUnity(logOrder: number): Uint32Array {
  if (!Number.isInteger(logOrder) || logOrder < 0 || logOrder > TWO_ADICITY)
    throw new RangeError(`goldilocks: no root of unity of order 2^${logOrder} (2-adicity is ${TWO_ADICITY})`);
  const out = new Uint32Array(2);
  basePow(out, 0, new Uint32Array([MULTIPLICATIVE_GENERATOR, 0]), 0, (GOLDILOCKS_MODULUS - 1n) >> BigInt(logOrder));
  return out;
}

/**
 * out = (w0 + w1·2^32 + w2·2^64 + w3·2^96) mod p for four uint32 words: how the transcript turns
 * 16 hash bytes into a base element. The reduction of a uniform 128-bit value mod p has
 * statistical distance < p/2^128 ≈ 2^-64 from uniform (no rejection needed).
 */
export function baseFromWords128(out: Uint32Array, o: number, w0: number, w1: number, w2: number, w3: number): void {
  // 2^64 ≡ 2^32 − 1, 2^96 ≡ −1 (mod p)
  reduceInto(out, o, w0 - w2 - w3, w1 + w2);
}

/** Copies one base element. */
export function baseCopy(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  out[o] = a[ai];
  out[o + 1] = a[ai + 1];
}
