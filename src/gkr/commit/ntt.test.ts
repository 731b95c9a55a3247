/**
 * The NTT against a BigInt reference: codeword position j must hold m(ω^bitReverse(j)), for
 * every size the commitment uses at small scale, with and without the zero-prefix shortcut, on
 * edge values (0, 1, p − 1, 2^32, 2^63) and a seeded pseudo-random sample.
 */
import { describe, expect, it } from 'vitest';
import { GOLDILOCKS_MODULUS as P, baseFromBigInt, baseToBigInt, rootOfUnity } from '../field/goldilocks.ts';
import { codewordPoint, createNttPlan, evaluateCoefficientsReference, nttInPlace } from './ntt.ts';
import { encodeExtensionRow, encodeRows } from './encodeRows.ts';

function* sample(seed: bigint): Generator<bigint> {
  const edges = [0n, 1n, P - 1n, 1n << 32n, 1n << 63n, P - (1n << 32n)];
  yield* edges;
  let s = seed;
  const mask = (1n << 64n) - 1n;
  for (;;) {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    yield s % P;
  }
}

function take(generator: Generator<bigint>, count: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) out.push(generator.next().value as bigint);
  return out;
}

function powMod(base: bigint, exponent: number): bigint {
  let acc = 1n;
  let b = base;
  let e = exponent;
  while (e > 0) {
    if (e & 1) acc = (acc * b) % P;
    b = (b * b) % P;
    e >>= 1;
  }
  return acc;
}

describe('nttInPlace', () => {
  for (const [logSize, nonZero] of [[0, 1], [1, 1], [1, 2], [3, 2], [4, 4], [6, 16], [6, 64], [7, 32]] as const) {
    it(`evaluates a degree < ${nonZero} polynomial on the order-2^${logSize} subgroup (bit-reversed)`, () => {
      const size = 2 ** logSize;
      const coefficients = take(sample(BigInt(logSize * 100 + nonZero)), nonZero);
      const values = new Uint32Array(2 * size);
      coefficients.forEach((c, i) => baseFromBigInt(values, 2 * i, c));
      nttInPlace({ values, plan: createNttPlan(logSize), nonZeroPrefix: nonZero });
      const omega = baseToBigInt(rootOfUnity(logSize), 0);
      for (let j = 0; j < size; j++)
        expect(baseToBigInt(values, 2 * j)).toBe(evaluateCoefficientsReference(coefficients, powMod(omega, codewordPoint(j, logSize))));
    });
  }

  it('rejects a size beyond the 2-adicity', () => {
    expect(() => createNttPlan(33)).toThrow(/2-adicity/);
  });
});

describe('encodeRows', () => {
  it('stores each row codeword column-major and encodes F_p² rows coordinate-wise', () => {
    const rows = 3;
    const logK = 3;
    const k = 8;
    const n = 16;
    const entries = take(sample(77n), rows * k);
    const matrix = new Uint32Array(2 * rows * k);
    entries.forEach((e, i) => baseFromBigInt(matrix, 2 * i, e));
    const encoded = encodeRows({ matrix, rowCount: rows, logMessageLength: logK, logBlowup: 1 });
    const omega = baseToBigInt(rootOfUnity(4), 0);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < n; j++)
        expect(baseToBigInt(encoded, 2 * (j * rows + i))).toBe(
          evaluateCoefficientsReference(entries.slice(i * k, (i + 1) * k), powMod(omega, codewordPoint(j, 4))),
        );
    // F_p² row (row0 + row1·x): coordinate 0 is Enc(row0), coordinate 1 is Enc(row1)
    const extRow = new Uint32Array(4 * k);
    for (let j = 0; j < k; j++) {
      extRow.set(matrix.subarray(2 * j, 2 * j + 2), 4 * j);
      extRow.set(matrix.subarray(2 * (k + j), 2 * (k + j) + 2), 4 * j + 2);
    }
    const extCodeword = encodeExtensionRow({ row: extRow, logMessageLength: logK, logBlowup: 1 });
    for (let j = 0; j < n; j++) {
      expect(extCodeword[4 * j]).toBe(encoded[2 * j * rows]);
      expect(extCodeword[4 * j + 1]).toBe(encoded[2 * j * rows + 1]);
      expect(extCodeword[4 * j + 2]).toBe(encoded[2 * (j * rows + 1)]);
      expect(extCodeword[4 * j + 3]).toBe(encoded[2 * (j * rows + 1) + 1]);
    }
  });
});
