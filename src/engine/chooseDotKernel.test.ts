/** The kernel choice at each bound's edge (docs/fixed-point.md, "Kernels"). */
import { describe, expect, it } from 'vitest';
import { chooseDotKernel, type ChooseDotKernelParameters } from './chooseDotKernel.ts';

const choose = (weights: number[], overrides: Partial<ChooseDotKernelParameters> = {}) =>
  chooseDotKernel({ accBits: 40, valueBits: 16, weights, K: weights.length, columns: 1, kernels: 'simd', simdAvailable: true, ...overrides });

describe('chooseDotKernel', () => {
  it('i16x8 up to L1 · 2^15 = 2^31 - 2^15 with lanes -32768 … 32767; i32x4 from L1 = 65536 or a weight of 32768', () => {
    expect(choose([-32768, 32767])).toEqual({ kernel: 'i16x8', sumBound: 2 ** 31 - 2 ** 15 });
    expect(choose([-32768, -32768])).toEqual({ kernel: 'i32x4', sumBound: 2 ** 31 });
    expect(choose([32768])).toEqual({ kernel: 'i32x4', sumBound: 2 ** 30 });
    expect(choose([-32769]).kernel).toBe('i32x4');
  });

  it('takes the worst column, not the sum over columns', () => {
    // two columns of L1 = 65535 each: i16x8; the same weights as one column: i32x4
    expect(chooseDotKernel({ accBits: 40, valueBits: 16, weights: [-32768, 32767, 32767, -32768], K: 2, columns: 2, kernels: 'simd', simdAvailable: true }).kernel).toBe('i16x8');
    expect(chooseDotKernel({ accBits: 40, valueBits: 16, weights: [-32768, 32767, 32767, -32768], K: 4, columns: 1, kernels: 'simd', simdAvailable: true }).kernel).toBe('i32x4');
  });

  it('i32x4 for valueBits 17 … 32 and weights within i32 while the bound is below 2^53; f64 past either', () => {
    expect(choose([1], { valueBits: 17 }).kernel).toBe('i32x4');
    expect(choose([1], { valueBits: 32 }).kernel).toBe('i32x4');
    expect(choose([1], { valueBits: 33 }).kernel).toBe('f64');
    expect(choose([2 ** 31 - 1, -(2 ** 31)], { valueBits: 8 }).kernel).toBe('i32x4');
    expect(choose([2 ** 31], { valueBits: 8 }).kernel).toBe('f64');
    expect(choose([-(2 ** 31) - 1], { valueBits: 8 }).kernel).toBe('f64');
    // L1 · 2^31 just below and at 2^53
    expect(choose([2 ** 22 - 1], { valueBits: 32 })).toEqual({ kernel: 'i32x4', sumBound: 2 ** 53 - 2 ** 31 });
    expect(choose([2 ** 21, 2 ** 21], { valueBits: 32 }).kernel).toBe('f64');
  });

  it('bigint whenever accBits > 52; f64 when SIMD is off or missing', () => {
    expect(choose([1], { accBits: 53 }).kernel).toBe('bigint');
    expect(choose([1], { accBits: 53, kernels: 'scalar' }).kernel).toBe('bigint');
    expect(choose([1], { accBits: 52 }).kernel).toBe('i16x8');
    expect(choose([1], { kernels: 'scalar' }).kernel).toBe('f64');
    expect(choose([1], { simdAvailable: false }).kernel).toBe('f64');
  });
});
