/**
 * CI regression mode on synthetic results: deterministic metrics compared exactly, timings
 * normalised by the calibration, an injected regression fails and an unchanged run passes; the
 * least-squares slope on known data; sharding and merging.
 */
import { describe, expect, it } from 'vitest';
import { compareBaseline } from '../src/bench/compareBaseline.ts';
import { fitSlope } from '../src/bench/fitSlope.ts';
import { parseShard, selectShard } from '../src/bench/selectShard.ts';
import { mergeResults } from '../src/bench/mergeResults.ts';
import { applySummary } from '../src/bench/applySummary.ts';
import { createProgress, formatDuration } from '../src/bench/createProgress.ts';
import { calibrationWorkload } from '../src/bench/runCalibration.ts';
import { createMeasurement } from '../src/bench/createMeasurement.ts';
import type { RunResults } from '../src/bench/types.ts';
import { syntheticResults } from './bench-fixtures.ts';

function edit(results: RunResults, name: string, change: (m: RunResults['measurements'][number]) => void): RunResults {
  const copy = structuredClone(results);
  change(copy.measurements.find((m) => m.name === name)!);
  return copy;
}

describe('compareBaseline', () => {
  const baseline = syntheticResults();

  it('passes an unchanged run', () => {
    const result = compareBaseline({ baseline, current: structuredClone(baseline) });
    expect(result.passed).toBe(true);
    expect(result.rows.every((row) => row.status === 'unchanged')).toBe(true);
    expect(result.markdown).toContain('PASS');
  });

  it('fails an injected constraint increase and lists it', () => {
    const current = edit(baseline, 'constraints{n=8,op=relu-16}', (m) => { m.value += 1; });
    const result = compareBaseline({ baseline, current });
    expect(result.passed).toBe(false);
    const regression = result.rows.filter((row) => row.status === 'regression');
    expect(regression.map((row) => [row.name, row.baselineValue, row.currentValue])).toEqual([['constraints{n=8,op=relu-16}', 147, 148]]);
    expect(result.markdown).toContain('FAIL');
    expect(result.markdown).toContain('| `constraints{n=8,op=relu-16}` | deterministic | 147 constraints | 148 constraints | +0.7 % |');
  });

  it('lists a deterministic decrease as a change without failing', () => {
    const current = edit(baseline, 'constraints{n=4,op=mul}', (m) => { m.value -= 1; });
    const result = compareBaseline({ baseline, current });
    expect(result.passed).toBe(true);
    expect(result.rows.filter((row) => row.status === 'changed').map((row) => row.name)).toEqual(['constraints{n=4,op=mul}']);
  });

  it('compares timings through the calibration: a uniformly slower machine passes', () => {
    const slower = structuredClone(baseline);
    slower.calibration!.meanMs *= 3;
    for (const m of slower.measurements) if (m.kind === 'timing') m.value *= 3; // calibrated stays the same
    const result = compareBaseline({ baseline, current: slower });
    expect(result.passed).toBe(true);
    expect(result.rows.filter((row) => row.kind === 'timing').every((row) => row.compared === 'calibrated' && row.changePercent === 0)).toBe(true);
  });

  it('fails a timing beyond the threshold and passes one within it', () => {
    const name = 'proveTime{n=16,op=relu-full,system=groth16}';
    const slow = edit(baseline, name, (m) => { m.calibrated! *= 1.3; });
    const failed = compareBaseline({ baseline, current: slow, thresholdPercent: 25 });
    expect(failed.passed).toBe(false);
    expect(failed.rows.find((row) => row.name === name)).toMatchObject({ status: 'regression', compared: 'calibrated' });
    expect(failed.rows.find((row) => row.name === name)!.changePercent).toBeCloseTo(30, 10);
    expect(compareBaseline({ baseline, current: slow, thresholdPercent: 35 }).passed).toBe(true);
    const fast = edit(baseline, name, (m) => { m.calibrated! *= 0.5; });
    const improved = compareBaseline({ baseline, current: fast });
    expect(improved.passed).toBe(true);
    expect(improved.rows.find((row) => row.name === name)!.status).toBe('improvement');
  });

  it('does not fail a timing whose change is within the noise (3 standard errors of the difference)', () => {
    const name = 'proveTime{n=16,op=relu-full,system=groth16}';
    const noisyBase = edit(baseline, name, (m) => { m.standardError = 40; });
    const noisySlow = edit(noisyBase, name, (m) => { m.calibrated! *= 1.3; });
    const result = compareBaseline({ baseline: noisyBase, current: noisySlow });
    const row = result.rows.find((r) => r.name === name)!;
    expect(row.status).toBe('within-threshold');
    expect(row.sigmas!).toBeLessThan(3);
    expect(result.passed).toBe(true);
    expect(compareBaseline({ baseline: noisyBase, current: noisySlow, noiseSigmas: 0 }).passed).toBe(false);
  });

  it('respects higherIsWorse = false (throughput)', () => {
    const withThroughput = syntheticResults({ measurements: [createMeasurement({ metric: 'opsPerSecond', unit: 'ops/s', kind: 'ratio', higherIsWorse: false, value: 100 })] });
    const lower = edit(withThroughput, 'opsPerSecond', (m) => { m.value = 50; });
    expect(compareBaseline({ baseline: withThroughput, current: lower }).passed).toBe(false);
    const higher = edit(withThroughput, 'opsPerSecond', (m) => { m.value = 200; });
    expect(compareBaseline({ baseline: withThroughput, current: higher }).passed).toBe(true);
  });

  it('fails when settings differ and reports missing and added measurements', () => {
    const current = structuredClone(baseline);
    current.settings = { ...current.settings, samples: 5 };
    current.measurements = current.measurements.slice(1);
    current.measurements.push(createMeasurement({ metric: 'newMetric', unit: 'gas', kind: 'deterministic', value: 1 }));
    const result = compareBaseline({ baseline, current });
    expect(result.passed).toBe(false);
    expect(result.settingsDiffer).toEqual([{ setting: 'samples', baseline: 2, current: 5 }]);
    expect(result.missing).toEqual(['constraints{n=4,op=mul}']);
    expect(result.added).toEqual(['newMetric']);
  });
});

describe('fitSlope', () => {
  it('recovers an exact line with zero standard error', () => {
    const fit = fitSlope({ name: 'exact', points: [16, 64, 256, 1024].map((x) => ({ x, y: 3 + 517 * x })) });
    expect(fit.slope).toBeCloseTo(517, 9);
    expect(fit.intercept).toBeCloseTo(3, 6);
    expect(fit.slopeStandardError).toBeLessThan(1e-9);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('gives the textbook slope and standard error on noisy data', () => {
    // x = 1..5, y = 2x + (0, 1, -1, 1, -1): slope 1.8, intercept 0.6, residual variance 1.2/... computed by hand below.
    const ys = [2, 5, 5, 9, 9];
    const fit = fitSlope({ name: 'noisy', points: ys.map((y, i) => ({ x: i + 1, y })) });
    expect(fit.slope).toBeCloseTo(1.8, 12);
    expect(fit.intercept).toBeCloseTo(0.6, 12);
    // residuals: -0.4, 0.8, -1, 1.2, -0.6 → RSS 3.6, s² = 3.6/3 = 1.2, Sxx = 10 → SE = sqrt(0.12).
    expect(fit.slopeStandardError).toBeCloseTo(Math.sqrt(0.12), 12);
  });

  it('refuses fewer than two distinct N', () => {
    expect(() => fitSlope({ name: 'one', points: [{ x: 4, y: 1 }, { x: 4, y: 2 }] })).toThrow(/needs at least two distinct N, got 1/);
  });
});

describe('shards and merge', () => {
  const items = [
    { id: 'a', weight: 10 }, { id: 'b', weight: 1 }, { id: 'c', weight: 5 }, { id: 'd', weight: 5 }, { id: 'e', weight: 2 },
  ];

  it('parses i/n and refuses nonsense', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow(/not of the form i\/n/);
    expect(() => parseShard('4/3')).toThrow(/not of the form i\/n/);
    expect(() => parseShard('x')).toThrow(/not of the form i\/n/);
  });

  it('puts every item in exactly one shard, balanced by weight, in the suite order', () => {
    const shards = [1, 2, 3].map((index) => selectShard({ items, shard: { index, count: 3 } }).map((item) => item.id));
    expect(shards).toEqual([['a'], ['c', 'e'], ['b', 'd']]);
    expect(selectShard({ items, shard: { index: 1, count: 1 } }).map((item) => item.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('merges disjoint shards and re-applies the summary over all raw data', () => {
    const whole = syntheticResults();
    const raw = whole.measurements.filter((m) => !m.derived);
    const partA: RunResults = { ...whole, shards: [{ index: 1, count: 2 }], measurements: raw.filter((m) => m.labels.op === 'mul') };
    const partB: RunResults = { ...whole, shards: [{ index: 2, count: 2 }], measurements: [...raw.filter((m) => m.labels.op !== 'mul'), ...whole.measurements.filter((m) => m.derived)] };
    const merged = mergeResults({ parts: [{ file: 'a.json', results: partA }, { file: 'b.json', results: partB }] });
    expect(merged.shards).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(merged.measurements.map((m) => m.name).sort()).toEqual(raw.map((m) => m.name).sort());
    const summarised = applySummary({
      results: merged,
      suite: { summarize: (r) => ({ measurements: [createMeasurement({ metric: 'count', unit: 'measurements', kind: 'info', value: r.measurements.length })] }) },
    });
    expect(summarised.measurements.find((m) => m.metric === 'count')).toMatchObject({ value: raw.length, derived: true });
  });

  it('refuses overlapping parts, other settings and another suite', () => {
    const whole = syntheticResults();
    const other = { ...whole, settings: { ...whole.settings, samples: 9 } };
    expect(() => mergeResults({ parts: [{ file: 'a.json', results: whole }, { file: 'b.json', results: whole }] })).toThrow(/is in both a\.json and b\.json/);
    expect(() => mergeResults({ parts: [{ file: 'a.json', results: whole }, { file: 'b.json', results: other }] })).toThrow(/b\.json was run with other settings/);
    expect(() => mergeResults({ parts: [{ file: 'a.json', results: whole }, { file: 'b.json', results: { ...whole, suite: 'table2' } }] })).toThrow(/suite 'table2'/);
  });
});

describe('progress and calibration', () => {
  it('prints plain lines with elapsed time and the estimate left when not a TTY', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress({ suite: 'micro', totalWeight: 6, itemCount: 3, interactive: false, now: () => clock, stream: { write: (text: string) => lines.push(text) > 0 } });
    progress.startItem({ label: 'mul n=16', weight: 1 });
    clock = 10_000;
    progress.phase('prove groth16');
    progress.startItem({ label: 'relu-8 n=4', weight: 2 });
    clock = 30_000;
    progress.startItem({ label: 'relu-full n=4', weight: 3 });
    clock = 40_000;
    progress.phase('compile');
    progress.finish();
    // No estimate from one item: weights are rough; after two items (half the weight) one is shown.
    expect(lines).toEqual([
      '[micro] 1/3 mul n=16 (0s elapsed)\n',
      '[micro] 1/3 mul n=16: prove groth16 (10s elapsed)\n',
      '[micro] 2/3 relu-8 n=4 (10s elapsed)\n',
      '[micro] 3/3 relu-full n=4 (30s elapsed, ~30s left)\n',
      '[micro] 3/3 relu-full n=4: compile (40s elapsed, ~40s left)\n',
      '[micro] done: 3 item(s) in 40s\n',
    ]);
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });

  it('rewrites one status line on a TTY', () => {
    const writes: string[] = [];
    const progress = createProgress({ suite: 's', totalWeight: 1, itemCount: 1, interactive: true, now: () => 0, stream: { write: (text: string) => writes.push(text) > 0 } });
    progress.startItem({ label: 'x', weight: 1 });
    progress.finish();
    expect(writes[0]).toBe('\r\x1b[K[s] 1/1 x (0s elapsed)');
    expect(writes.at(-1)).toBe('[s] done: 1 item(s) in 0s\n');
  });

  it('has a deterministic calibration workload', () => {
    expect(calibrationWorkload(1024)).toBe(calibrationWorkload(1024));
    expect(calibrationWorkload(1024)).not.toBe(calibrationWorkload(2048));
  });
});
