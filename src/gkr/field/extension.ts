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

/** A vector of `length` zero extension elements. */
export function createExtVector(length: number): Uint32Array {
  return new Uint32Array(length * EXT_WORDS);
}

export function extAdd(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  baseAdd(out, o, a, ai, b, bi);
  baseAdd(out, o + 2, a, ai + 2, b, bi + 2);
}

export function extSub(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  baseSub(out, o, a, ai, b, bi);
  baseSub(out, o + 2, a, ai + 2, b, bi + 2);
}

export function extNeg(out: Uint32Array, o: number, a: Uint32Array, ai: number): void {
  baseNeg(out, o, a, ai);
  baseNeg(out, o + 2, a, ai + 2);
}

/** out = a · b: (a0 + a1x)(b0 + b1x) = (a0b0 + 7·a1b1) + (a0b1 + a1b0)x, Karatsuba (3 base products). */
export function extMul(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  baseMul(T, 0, a, ai, b, bi); // a0b0
  baseMul(T, 2, a, ai + 2, b, bi + 2); // a1b1
  baseAdd(T, 4, a, ai, a, ai + 2); // a0 + a1
  baseAdd(T, 6, b, bi, b, bi + 2); // b0 + b1
  baseMul(T, 4, T, 4, T, 6); // (a0 + a1)(b0 + b1)
  baseSub(T, 4, T, 4, T, 0);
  baseSub(out, o + 2, T, 4, T, 2);
  baseMulSmall(T, 2, T, 2, EXTENSION_NONRESIDUE);
  baseAdd(out, o, T, 0, T, 2);
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
