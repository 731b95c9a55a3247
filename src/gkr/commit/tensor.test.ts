/**
 * The prover's row combination (lazy float64 accumulation, reduced once per 2^13 rows) and the
 * eq tables against a BigInt reference, including more rows than one flush covers and entries on
 * both the small (high word 0) and the general path.
 */
import { describe, expect, it } from 'vitest';
import { extFromBigInts, extToBigInts } from '../field/extension.ts';
import { GOLDILOCKS_MODULUS as P, baseFromBigInt } from '../field/goldilocks.ts';
import { combineColumn, combineRows, eqTable } from './tensor.ts';

function* xorshift(seed: bigint): Generator<bigint> {
  let s = seed | 1n;
  const mask = (1n << 64n) - 1n;
  for (;;) {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    yield s;
  }
}

describe('combineRows', () => {
  it('equals Σ_i c_i·row_i mod p over 2^13 + 5 rows (one flush and a remainder), small and full entries', () => {
    const rows = 8192 + 5;
    const k = 2;
    const gen = xorshift(7n);
    const entries: bigint[] = [];
    const matrix = new Uint32Array(2 * rows * k);
    for (let i = 0; i < rows * k; i++) {
      const r = gen.next().value as bigint;
      // alternate: a small value (high word 0), p − 1, and a uniform element
      const v = i % 3 === 0 ? r % 256n : i % 3 === 1 ? (i % 7 === 1 ? P - 1n : r % P) : r % P;
      entries.push(v);
      baseFromBigInt(matrix, 2 * i, v);
    }
    const coefficients = new Uint32Array(4 * rows);
    const c: [bigint, bigint][] = [];
    for (let i = 0; i < rows; i++) {
      const pair: [bigint, bigint] = [(gen.next().value as bigint) % P, i === 3 ? P - 1n : (gen.next().value as bigint) % P];
      c.push(pair);
      extFromBigInts(coefficients, 4 * i, pair[0], pair[1]);
    }
    const out = combineRows(matrix, 0, rows, k, coefficients);
    for (let j = 0; j < k; j++) {
      let a0 = 0n;
      let a1 = 0n;
      for (let i = 0; i < rows; i++) {
        a0 += c[i][0] * entries[i * k + j];
        a1 += c[i][1] * entries[i * k + j];
      }
      expect(extToBigInts(out, 4 * j)).toEqual([a0 % P, a1 % P]);
    }
    // the verifier's column combination agrees on column 0 (entries strided by k there: use k = 1 data)
    const column = new Uint32Array(2 * rows);
    for (let i = 0; i < rows; i++) baseFromBigInt(column, 2 * i, entries[i * k]);
    expect(extToBigInts(combineColumn(column, 0, rows, coefficients), 0)).toEqual(extToBigInts(out, 0));
  });
});

describe('eqTable', () => {
  it('eq(r, x) = Π_i (bit_i(x) ? r_i : 1 − r_i), point[0] on the least significant bit', () => {
    const gen = xorshift(11n);
    const point = new Uint32Array(12);
    const r: [bigint, bigint][] = [];
    for (let i = 0; i < 3; i++) {
      r.push([(gen.next().value as bigint) % P, (gen.next().value as bigint) % P]);
      extFromBigInts(point, 4 * i, r[i][0], r[i][1]);
    }
    const mul = ([a0, a1]: [bigint, bigint], [b0, b1]: [bigint, bigint]): [bigint, bigint] => [(a0 * b0 + 7n * a1 * b1) % P, (a0 * b1 + a1 * b0) % P];
    const table = eqTable(point, 0, 3);
    for (let x = 0; x < 8; x++) {
      let acc: [bigint, bigint] = [1n, 0n];
      for (let i = 0; i < 3; i++) acc = mul(acc, (x >> i) & 1 ? r[i] : [(1n - r[i][0] + P) % P, (P - r[i][1]) % P]);
      expect(extToBigInts(table, 4 * x)).toEqual(acc);
    }
    // a sub-range of the point: variables 1..2 only
    const tail = eqTable(point, 1, 2);
    expect(extToBigInts(tail, 4 * 3)).toEqual(mul(r[1], r[2]));
  });
});
