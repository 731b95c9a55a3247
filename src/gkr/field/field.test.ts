/**
 * Every field operation cross-checked against a BigInt reference on edge values and a fixed
 * pseudo-random sample (deterministic: a seeded xorshift, so a failure reproduces).
 */
import { describe, expect, it } from 'vitest';
import {
  GOLDILOCKS_MODULUS as P,
  TWO_ADICITY,
  baseAdd,
  baseBatchInverse,
  baseFromBigInt,
  baseFromSigned,
  baseInverse,
  baseMul,
  baseMulSmall,
  baseNeg,
  basePow,
  baseSub,
  baseToBigInt,
  baseToSigned,
  rootOfUnity,
} from './goldilocks.ts';
import {
  extAdd,
  extBatchInverse,
  extFromBigInts,
  extInverse,
  extMul,
  extMulBase,
  extMulSigned,
  extSub,
  extToBigInts,
} from './extension.ts';

const mod = (x: bigint): bigint => ((x % P) + P) % P;

function* xorshift(seed: bigint): Generator<bigint> {
  let s = seed;
  const mask = (1n << 64n) - 1n;
  for (;;) {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    yield s;
  }
}

const EDGE = [0n, 1n, 2n, 7n, P - 1n, P - 2n, 1n << 32n, (1n << 32n) - 1n, (1n << 32n) + 1n, 1n << 63n, (1n << 63n) - 1n,
  (1n << 64n) - (1n << 32n), 0xffff_fffen << 32n, 1n << 53n, (1n << 53n) - 1n, P - (1n << 32n)];
const rng = xorshift(0x9e3779b97f4a7c15n);
const SAMPLE = [...EDGE, ...Array.from({ length: 300 }, () => mod(rng.next().value as bigint))];

const one = (x: bigint): Uint32Array => {
  const v = new Uint32Array(2);
  baseFromBigInt(v, 0, x);
  return v;
};

describe('goldilocks base field', () => {
  it('add, sub, mul, neg agree with BigInt on edge and random pairs', () => {
    const out = new Uint32Array(2);
    let checked = 0;
    for (let i = 0; i < SAMPLE.length; i++) {
      for (const j of [i, (i * 7 + 3) % SAMPLE.length, (i * 13 + 1) % SAMPLE.length, ...(i < EDGE.length ? EDGE.keys() : [])]) {
        const x = SAMPLE[i];
        const y = SAMPLE[j];
        const a = one(x);
        const b = one(y);
        baseAdd(out, 0, a, 0, b, 0);
        expect(baseToBigInt(out, 0)).toBe(mod(x + y));
        baseSub(out, 0, a, 0, b, 0);
        expect(baseToBigInt(out, 0)).toBe(mod(x - y));
        baseMul(out, 0, a, 0, b, 0);
        expect(baseToBigInt(out, 0)).toBe(mod(x * y));
        checked++;
      }
      baseNeg(out, 0, one(SAMPLE[i]), 0);
      expect(baseToBigInt(out, 0)).toBe(mod(-SAMPLE[i]));
      baseMulSmall(out, 0, one(SAMPLE[i]), 0, 7);
      expect(baseToBigInt(out, 0)).toBe(mod(SAMPLE[i] * 7n));
    }
    expect(checked).toBe(SAMPLE.length * 3 + EDGE.length * EDGE.length);
  });

  it('aliased output (out = a = b) squares correctly', () => {
    const v = one(P - 5n);
    baseMul(v, 0, v, 0, v, 0);
    expect(baseToBigInt(v, 0)).toBe(25n);
  });

  it('signed engine integers map to x mod p and back', () => {
    const values = [0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 123456789012, -987654321098];
    const out = new Uint32Array(2);
    for (const x of values) {
      baseFromSigned(out, 0, x);
      expect(baseToBigInt(out, 0)).toBe(mod(BigInt(x)));
      expect(baseToSigned(out, 0)).toBe(x);
    }
    baseFromBigInt(out, 0, 1n << 60n);
    expect(baseToSigned(out, 0)).toBeNaN();
  });

  it('inverse, batch inverse and pow agree with Fermat', () => {
    const out = new Uint32Array(2);
    const nonZero = SAMPLE.filter((x) => x !== 0n).slice(0, 40);
    const batch = new Uint32Array(nonZero.length * 2);
    nonZero.forEach((x, i) => baseFromBigInt(batch, 2 * i, x));
    baseBatchInverse(batch);
    for (let i = 0; i < nonZero.length; i++) {
      baseInverse(out, 0, one(nonZero[i]), 0);
      expect(mod(baseToBigInt(out, 0) * nonZero[i])).toBe(1n);
      expect(baseToBigInt(batch, 2 * i)).toBe(baseToBigInt(out, 0));
    }
    basePow(out, 0, one(3n), 0, 1000n);
    let expected = 1n;
    for (let i = 0; i < 1000; i++) expected = (expected * 3n) % P;
    expect(baseToBigInt(out, 0)).toBe(expected);
    expect(() => baseInverse(out, 0, one(0n), 0)).toThrow(RangeError);
  });

  it('rootOfUnity(k) has order exactly 2^k', () => {
    const out = new Uint32Array(2);
    for (const k of [1, 2, 10, TWO_ADICITY]) {
      const w = rootOfUnity(k);
      basePow(out, 0, w, 0, 1n << BigInt(k));
      expect(baseToBigInt(out, 0)).toBe(1n);
      basePow(out, 0, w, 0, 1n << BigInt(k - 1));
      expect(baseToBigInt(out, 0)).toBe(P - 1n);
    }
    expect(baseToBigInt(rootOfUnity(0), 0)).toBe(1n);
    expect(() => rootOfUnity(33)).toThrow(RangeError);
  });
});

describe('goldilocks quadratic extension (x² − 7)', () => {
  const ref = (a: [bigint, bigint], b: [bigint, bigint]): [bigint, bigint] => [
    mod(a[0] * b[0] + 7n * a[1] * b[1]),
    mod(a[0] * b[1] + a[1] * b[0]),
  ];
  const ext = (c: [bigint, bigint]): Uint32Array => {
    const v = new Uint32Array(4);
    extFromBigInts(v, 0, c[0], c[1]);
    return v;
  };

  it('7 is a quadratic non-residue, so x² − 7 is irreducible', () => {
    const out = new Uint32Array(2);
    basePow(out, 0, one(7n), 0, (P - 1n) / 2n);
    expect(baseToBigInt(out, 0)).toBe(P - 1n);
  });

  it('add, sub, mul, mulBase, mulSigned, inverse agree with BigInt', () => {
    const out = new Uint32Array(4);
    for (let i = 0; i + 3 < SAMPLE.length; i += 2) {
      const a: [bigint, bigint] = [SAMPLE[i], SAMPLE[i + 1]];
      const b: [bigint, bigint] = [SAMPLE[i + 2], SAMPLE[i + 3]];
      extAdd(out, 0, ext(a), 0, ext(b), 0);
      expect(extToBigInts(out, 0)).toEqual([mod(a[0] + b[0]), mod(a[1] + b[1])]);
      extSub(out, 0, ext(a), 0, ext(b), 0);
      expect(extToBigInts(out, 0)).toEqual([mod(a[0] - b[0]), mod(a[1] - b[1])]);
      extMul(out, 0, ext(a), 0, ext(b), 0);
      expect(extToBigInts(out, 0)).toEqual(ref(a, b));
      extMulBase(out, 0, ext(a), 0, one(b[0]), 0);
      expect(extToBigInts(out, 0)).toEqual([mod(a[0] * b[0]), mod(a[1] * b[0])]);
      extMulSigned(out, 0, ext(a), 0, -12345);
      expect(extToBigInts(out, 0)).toEqual([mod(a[0] * -12345n), mod(a[1] * -12345n)]);
      if (a[0] !== 0n || a[1] !== 0n) {
        extInverse(out, 0, ext(a), 0);
        expect(ref(extToBigInts(out, 0), a)).toEqual([1n, 0n]);
      }
    }
  });

  it('aliased extMul (out = a) and batch inverse', () => {
    const a = ext([P - 1n, 5n]);
    extMul(a, 0, a, 0, a, 0);
    expect(extToBigInts(a, 0)).toEqual(ref([P - 1n, 5n], [P - 1n, 5n]));
    const batch = new Uint32Array(4 * 5);
    const values: [bigint, bigint][] = [[1n, 0n], [0n, 1n], [P - 1n, P - 1n], [1n << 40n, 3n], [12n, 1n << 63n]];
    values.forEach((v, i) => extFromBigInts(batch, 4 * i, v[0], v[1]));
    extBatchInverse(batch);
    values.forEach((v, i) => expect(ref(extToBigInts(batch, 4 * i), v)).toEqual([1n, 0n]));
  });
});
