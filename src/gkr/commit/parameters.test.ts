/** The soundness calculation and the matrix layout: exact figures, computed not hard-coded elsewhere. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.ts';
import { columnOpeningCount, estimateOpeningBytes, planCommitmentShape } from './parameters.ts';

describe('columnOpeningCount', () => {
  it('proven bound (RS unique decoding, e = ⌊(d−1)/2⌋): 148 columns at rate 1/4, 241 at rate 1/2 for 100 bits', () => {
    const quarter = columnOpeningCount({ messageLength: 2048, codewordLength: 8192 });
    expect(quarter.columnOpenings).toBe(148);
    expect(quarter.proximityRadius).toBe(3072);
    expect(quarter.log2SoundnessError).toBeLessThanOrEqual(-100);
    // one fewer column would not reach 100 bits: the count is minimal
    expect(147 * quarter.log2ErrorPerQuery).toBeGreaterThan(-100);
    expect(columnOpeningCount({ messageLength: 2048, codewordLength: 4096 }).columnOpenings).toBe(241);
  });

  it('conjectured bound (per-query error ρ): 50 at rate 1/4, 100 at rate 1/2', () => {
    expect(columnOpeningCount({ messageLength: 256, codewordLength: 1024, regime: 'conjectured' }).columnOpenings).toBe(50);
    expect(columnOpeningCount({ messageLength: 256, codewordLength: 512, regime: 'conjectured' }).columnOpenings).toBe(100);
  });

  it('scales with the security target and uses the exact distance of short codes', () => {
    // k = 64, N = 256: d = 193, e = 96; each query misses with probability 1 − 97/256 → ⌈110 / 0.6871⌉
    expect(columnOpeningCount({ messageLength: 64, codewordLength: 256, securityBits: 110 }).columnOpenings).toBe(161);
    // the proximity test's N/p² ≈ 2^-119 caps the target: 128 bits would need several rows
    expect(() => columnOpeningCount({ messageLength: 64, codewordLength: 256, securityBits: 128 })).toThrow(/out of reach/);
  });

  it('rejects a code without redundancy', () => {
    expect(() => columnOpeningCount({ messageLength: 8, codewordLength: 8 })).toThrow(UsageError);
  });
});

describe('planCommitmentShape', () => {
  it('stacks polynomials as rows of one matrix: low index bits are columns', () => {
    const shape = planCommitmentShape({ variableCounts: [6, 3, 5], logMessageLength: 4 });
    expect(shape.rowCount).toBe(4 + 1 + 2);
    expect(shape.polynomials).toEqual([
      { variableCount: 6, rowStart: 0, rowCount: 4, columnVariables: 4 },
      { variableCount: 3, rowStart: 4, rowCount: 1, columnVariables: 3 },
      { variableCount: 5, rowStart: 5, rowCount: 2, columnVariables: 4 },
    ]);
  });

  it('picks the row length that minimises the estimated proof bytes', () => {
    const shape = planCommitmentShape({ variableCounts: [16] });
    const bytes = estimateOpeningBytes({ shape, claims: 1 });
    for (let logK = 0; logK <= 16; logK++)
      expect(estimateOpeningBytes({ shape: planCommitmentShape({ variableCounts: [16], logMessageLength: logK }), claims: 1 })).toBeGreaterThanOrEqual(bytes);
    expect(shape.logMessageLength).toBe(11);
  });

  it('rejects an unsupported rate and an empty batch', () => {
    expect(() => planCommitmentShape({ variableCounts: [4], rate: 0.125 as 0.25 })).toThrow(UsageError);
    expect(() => planCommitmentShape({ variableCounts: [] })).toThrow(UsageError);
  });
});
