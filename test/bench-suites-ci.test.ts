// The ci suite's regression check on its real measurements: the run on this tree matches the
// committed results/baseline.json in every deterministic metric (constraints, gas, rounds,
// bytes), and the same comparison fails when one of them is made worse.
import { describe, expect, it } from 'vitest';
import { compareBaseline } from '../src/bench/compareBaseline.ts';
import { createProgress } from '../src/bench/createProgress.ts';
import { readResults } from '../src/bench/readResults.ts';
import { runSuite } from '../src/bench/runSuite.ts';
import { suite } from '../src/bench/suites/ci.ts';
import type { RunResults } from '../src/bench/types.ts';

const deterministicOnly = (results: RunResults): RunResults => ({ ...results, measurements: results.measurements.filter((m) => m.kind === 'deterministic') });

describe('ci suite against results/baseline.json', () => {
  it('passes on an unchanged tree and fails on an injected regression', async () => {
    const settings = suite.resolveSettings({});
    const current = await runSuite({
      suite: suite as never, settings, cacheDir: '.cache/bench/ci',
      calibration: { name: 'fixed (test)', meanMs: 1, stddevMs: 0, samples: 1 },
      progress: (p) => createProgress({ ...p, silent: true }),
    });
    const baseline = readResults({ file: 'results/baseline.json' });
    expect(current.settings).toEqual(baseline.settings);

    // Timings are not asserted in tests; every deterministic metric must match exactly.
    const unchanged = compareBaseline({ baseline: deterministicOnly(baseline), current: deterministicOnly(current) });
    expect(unchanged.missing).toEqual([]);
    expect(unchanged.added).toEqual([]);
    // A fresh Groth16 key's δ is random: when one of its coordinates starts with a zero byte (~8% of
    // keys) solc pushes it in fewer bytes, so these two may come out lower (never higher) than the baseline.
    const keyDependent = (name: string) => /^(zkVerifierCodeBytes|zkDeployExecutionGas)\{/.test(name);
    expect(unchanged.rows
      .filter((row) => row.status !== 'unchanged' && !(keyDependent(row.name) && row.currentValue < row.baselineValue))
      .map((row) => `${row.name}: ${row.baselineValue} → ${row.currentValue}`)).toEqual([]);
    expect(unchanged.passed).toBe(true);
    expect(unchanged.rows.length).toBeGreaterThan(40);

    // One more constraint in the small MNIST circuit: a regression, and the check fails.
    const bumped = deterministicOnly(current);
    bumped.measurements = bumped.measurements.map((m) => (m.name === 'constraints{model=mnist-mlp-196-24-10}' ? { ...m, value: m.value + 1 } : m));
    const regressed = compareBaseline({ baseline: deterministicOnly(baseline), current: bumped });
    expect(regressed.passed).toBe(false);
    expect(regressed.rows.filter((row) => row.status === 'regression').map((row) => row.name)).toEqual(['constraints{model=mnist-mlp-196-24-10}']);
    expect(regressed.markdown).toContain('FAIL');

    // A dispute that needs one more round is caught the same way.
    const moreRounds = deterministicOnly(current);
    moreRounds.measurements = moreRounds.measurements.map((m) => (m.name === 'disputeRounds{model=mnist-mlp-196-24-10}' ? { ...m, value: m.value + 1 } : m));
    expect(compareBaseline({ baseline: deterministicOnly(baseline), current: moreRounds }).passed).toBe(false);
  }, 300_000);
});
