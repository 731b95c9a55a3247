/**
 * The quadratic extension F_p² = F_p[x]/(x² − 7) of Goldilocks: the field every challenge lives in.
 *
 * Soundness: |F_p²| = p² ≈ 2^128. A sumcheck over v variables of a degree-d round polynomial
 * errs with probability ≤ d·v/p² per instance (Schwartz–Zippel on each round); with d ≤ 4 and
 * v ≤ 40 that is < 2^-120. docs/gkr.md adds up every sumcheck and lookup of a proof.
 * 7 is a quadratic non-residue mod p (tested), so x² − 7 is irreducible.
 *
 * Representation: one element a0 + a1·x = four uint32 words [a0.lo, a0.hi, a1.lo, a1.hi];
 * a vector of n elements = Uint32Array of 4n words, element i at word 4i. Operations take WORD
 * offsets and write into (out, o); out may alias an input. A base element b embeds as (b, 0).
 */
import {
  BASE_WORDS,
  baseAdd,
  baseEquals,
  baseFromBigInt,
  baseFromSigned,
  baseInverse,
  baseIsZero,
  baseMul,
  baseMulSmall,
  baseNeg,
  baseSub,
  baseToBigInt,
} from './goldilocks.ts';

/** Words per extension element in a vector. */
export const EXT_WORDS = 4;
/** x² = 7 in the extension. */
export const EXTENSION_NONRESIDUE = 7;
/** log2 |F_p²| (rounded down): the security level the soundness errors are computed against. */
export const EXTENSION_FIELD_BITS = 127;

// Scratch for intermediate base products (module-local: the functions are not re-entrant across
// awaits, and none of them awaits).
const T = new Uint32Array(8);

// The hot kernels are local to this module on purpose: a call into another module goes through
// the loader's export getter (tsx and vitest transpile ESM exports to getters), which profiling
// showed costing as much as the arithmetic. They repeat goldilocks.ts's algorithm (see its
// header) and leave results in R (a typed array: a module-level `let` holding a double would
// allocate a heap number on every write).
const TWO32 = 4294967296;
const INV_TWO32 = 1 / 4294967296;
const MAX_U32 = 0xffffffff;
const R = new Float64Array(2);

/** (L + H·2^32) mod p into R, for integers |L|, |H| < 2^50. */
function reduce(L: number, H: number): void {
  let c = Math.floor(L * INV_TWO32);
  L -= c * TWO32;
  H += c;
  while (H >= TWO32 || H < 0) {
    const k = Math.floor(H * INV_TWO32);
    H = H - k * TWO32 + k;
    L -= k;
    c = Math.floor(L * INV_TWO32);
    L -= c * TWO32;
    H += c;
  }
  if (H === MAX_U32 && L >= 1) {
    H = 0;
    L -= 1;
  }
  R[0] = L;
  R[1] = H;
}

/** (aL + aH·2^32)(bL + bH·2^32) mod p into R. */
function mulParts(aL: number, aH: number, bL: number, bH: number): void {
  const lo00 = Math.imul(aL, bL) >>> 0;
  const hi00 = Math.round((aL * bL - lo00) * INV_TWO32);
  const lo01 = Math.imul(aL, bH) >>> 0;
  const hi01 = Math.round((aL * bH - lo01) * INV_TWO32);
  const lo10 = Math.imul(aH, bL) >>> 0;
  const hi10 = Math.round((aH * bL - lo10) * INV_TWO32);
  const lo11 = Math.imul(aH, bH) >>> 0;
  const hi11 = Math.round((aH * bH - lo11) * INV_TWO32);
  const t2 = hi01 + hi10 + lo11;
  reduce(lo00 - t2 - hi11, hi00 + lo01 + lo10 + t2);
}

/** The product of (a0, a1) and (b0, b1) (as word quadruples) into out[o..o+4), Karatsuba. */
function mulInto(out: Uint32Array, o: number, a0L: number, a0H: number, a1L: number, a1H: number, b0L: number, b0H: number, b1L: number, b1H: number): void {
  mulParts(a0L, a0H, b0L, b0H);
  const m0L = R[0];
  const m0H = R[1];
  mulParts(a1L, a1H, b1L, b1H);
  const m1L = R[0];
  const m1H = R[1];
  reduce(a0L + a1L, a0H + a1H);
  const sL = R[0];
  const sH = R[1];
  reduce(b0L + b1L, b0H + b1H);
  mulParts(sL, sH, R[0], R[1]);
  // c1 = (a0 + a1)(b0 + b1) − a0b0 − a1b1 (+ 2p keeps it non-negative); c0 = a0b0 + 7·a1b1
  reduce(R[0] - m0L - m1L + 2, R[1] - m0H - m1H + 2 * MAX_U32);
  out[o + 2] = R[0];
  out[o + 3] = R[1];
  reduce(m0L + 7 * m1L, m0H + 7 * m1H);
  out[o] = R[0];
  out[o + 1] = R[1];
}

/** A vector of `length` zero extension elements. */
export function createExtVector(length: number): Uint32Array {
  return new Uint32Array(length * EXT_WORDS);
}

export function extAdd(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  const c1L = a[ai + 2] + b[bi + 2];
  const c1H = a[ai + 3] + b[bi + 3];
  reduce(a[ai] + b[bi], a[ai + 1] + b[bi + 1]);
  out[o] = R[0];
  out[o + 1] = R[1];
  reduce(c1L, c1H);
  out[o + 2] = R[0];
  out[o + 3] = R[1];
}

export function extSub(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  // + p = 1 + (2^32 − 1)·2^32 per coordinate keeps the pairs non-negative
  const c1L = a[ai + 2] - b[bi + 2] + 1;
  const c1H = a[ai + 3] - b[bi + 3] + MAX_U32;
  reduce(a[ai] - b[bi] + 1, a[ai + 1] - b[bi + 1] + MAX_U32);
  out[o] = R[0];
  out[o + 1] = R[1];
  reduce(c1L, c1H);
  out[o + 2] = R[0];
  out[o + 3] = R[1];
}

export function extNeg(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  baseNeg(out, o, a, ai);
  baseNeg(out, o + 2, a, ai + 2);
}

/** out = a · b: (a0 + a1x)(b0 + b1x) = (a0b0 + 7·a1b1) + (a0b1 + a1b0)x, Karatsuba (3 base products). */
export function extMul(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  mulInto(out, o, a[ai], a[ai + 1], a[ai + 2], a[ai + 3], b[bi], b[bi + 1], b[bi + 2], b[bi + 3]);
}

/** out = a · b for a base element b (2 words at b[bi]). */
export function extMulBase(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  T[0] = b[bi];
  T[1] = b[bi + 1];
  baseMul(out, o, a, ai, T, 0);
  baseMul(out, o + 2, a, ai + 2, T, 0);
}

/** out = a · x for a signed safe integer x (an engine value). */
export function extMulSigned(out: Uint32Array, o: number, a: Uint32Array, ai: number, x: number): void {
  baseFromSigned(T, 0, x);
  baseMul(out, o, a, ai, T, 0);
  baseMul(out, o + 2, a, ai + 2, T, 0);
}

/** out = x (a signed safe integer, embedded in the base field). */
export function extFromSigned(out: Uint32Array, o: number, x: number): void {
  baseFromSigned(out, o, x);
  out[o + 2] = 0;
  out[o + 3] = 0;
}

/** out = (b, 0) for a base element b. */
export function extFromBase(out: Uint32Array, o: number, b: Uint32Array, bi: number): void {
  out[o] = b[bi];
  out[o + 1] = b[bi + 1];
  out[o + 2] = 0;
  out[o + 3] = 0;
}

/** Copies one extension element. */
export function extCopy(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  out[o] = a[ai];
  out[o + 1] = a[ai + 1];
  out[o + 2] = a[ai + 2];
  out[o + 3] = a[ai + 3];
}

export function extEquals(a: Uint32Array, ai: number, b: Uint32Array, bi: number): boolean {
  return baseEquals(a, ai, b, bi) && baseEquals(a, ai + 2, b, bi + 2);
}

export function extIsZero(a: Uint32Array, ai: number): boolean {
  return baseIsZero(a, ai) && baseIsZero(a, ai + 2);
}

/** True when a lies in the base field (a1 = 0). */
export function extIsBase(a: Uint32Array, ai: number): boolean {
  return baseIsZero(a, ai + 2);
}

/** out = a^(−1) = (a0 − a1x) / (a0² − 7a1²). Throws on zero. */
export function extInverse(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  if (extIsZero(a, ai)) throw new RangeError('goldilocks²: inverse of zero');
  const n = new Uint32Array(4);
  baseMul(n, 0, a, ai, a, ai); // a0²
  baseMul(n, 2, a, ai + 2, a, ai + 2); // a1²
  baseMulSmall(n, 2, n, 2, EXTENSION_NONRESIDUE);
  baseSub(n, 0, n, 0, n, 2); // norm, non-zero because 7 is a non-residue
  baseInverse(n, 0, n, 0);
  baseNeg(n, 2, a, ai + 2);
  baseMul(out, o, a, ai, n, 0);
  baseMul(out, o + 2, n, 2, n, 0);
}

/**
 * Inverts the first `count` elements of `values` in place with one inversion (Montgomery's
 * trick). Throws if any element is zero — LogUp denominators are α − t with a random α, so a
 * zero is a ~2^-127 event the prover reports rather than hides.
 */
export function extBatchInverse(values: Uint32Array, count = values.length / EXT_WORDS): void {
  if (count === 0) return;
  const prefix = new Uint32Array(count * EXT_WORDS);
  extCopy(prefix, 0, values, 0);
  for (let i = 1; i < count; i++) extMul(prefix, 4 * i, prefix, 4 * i - 4, values, 4 * i);
  const inverse = new Uint32Array(4);
  extInverse(inverse, 0, prefix, 4 * count - 4);
  const tmp = new Uint32Array(4);
  for (let i = count - 1; i > 0; i--) {
    extMul(tmp, 0, inverse, 0, prefix, 4 * i - 4);
    extMul(inverse, 0, inverse, 0, values, 4 * i);
    extCopy(values, 4 * i, tmp, 0);
  }
  extCopy(values, 0, inverse, 0);
}

/** out = (c0 + c1·x) from BigInts (cold paths, tests). */
export function extFromBigInts(out: Uint32Array, o: number, c0: bigint, c1: bigint): void {
  baseFromBigInt(out, o, c0);
  baseFromBigInt(out, o + BASE_WORDS, c1);
}

/** [c0, c1] as BigInts (cold paths, tests, messages). */
export function extToBigInts(a: Uint32Array, ai: number): [bigint, bigint] {
  return [baseToBigInt(a, ai), baseToBigInt(a, ai + BASE_WORDS)];
}

/** A short hex form "c0+c1·x" for error details. */
export function extToString(a: Uint32Array, ai: number): string {
  const [c0, c1] = extToBigInts(a, ai);
  return c1 === 0n ? `0x${c0.toString(16)}` : `0x${c0.toString(16)}+0x${c1.toString(16)}·x`;
}
