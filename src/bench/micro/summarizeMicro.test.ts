import { describe, expect, it } from 'vitest';
import { createMeasurement } from '../createMeasurement.ts';
import { syntheticResults } from '../../../test/bench-fixtures.ts';
import { summarizeMicro } from './summarizeMicro.ts';

function twoSizes(samples: Record<number, number[]>) {
  const measurements = Object.entries(samples).map(([n, values]) =>
    createMeasurement({ metric: 'proveTime', labels: { op: 'mul', n: Number(n), system: 'groth16' }, unit: 'ms', kind: 'timing', samples: values }));
  return summarizeMicro({ results: syntheticResults({ measurements }) }).find((m) => m.metric === 'marginalTime' && m.labels.system === 'groth16')!;
}

describe('summarizeMicro: slopes through two sizes', () => {
  it('takes the slope error from the samples at each size, not the exact fit (R² = 1 says nothing)', () => {
    const slope = twoSizes({ 10: [100, 102], 110: [200, 204] });
    // Means 101 and 202 over ΔN = 100: 1.01 ms/op = 1.01e6 ns/op; se = √(1² + 2²)/100 ms (stddev/√2 per size).
    expect(slope.value).toBeCloseTo(1.01e6, 0);
    expect(slope.standardError).toBeCloseTo((Math.hypot(Math.SQRT2 / Math.SQRT2, 2 * Math.SQRT2 / Math.SQRT2) / 100) * 1e6, 0);
    expect(slope.note).toContain("error from the samples' spread");
    expect(slope.note).not.toContain('R²');
  });
  it('marks one sample per size and a slope ≤ 0 as not resolved', () => {
    const single = twoSizes({ 10: [100], 110: [200] });
    expect(single.standardError).toBe(single.value);
    expect(single.note).toContain('no error estimate, not resolved');
    const negative = twoSizes({ 10: [100, 101], 110: [90, 91] });
    expect(negative.value).toBeLessThan(0);
    expect(negative.note).toContain('slope ≤ 0: noise larger than the per-op cost, not resolved');
  });
});
