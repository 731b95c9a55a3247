/**
 * The harness's commands on synthetic results files: `opzk report` re-renders, `opzk merge`
 * joins shards, and `opzk bench` checks its options before running anything.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command as report } from '../src/cli/commands/report.ts';
import { command as merge } from '../src/cli/commands/merge.ts';
import { command as bench } from '../src/cli/commands/bench.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import { readResults } from '../src/bench/readResults.ts';
import type { RunResults } from '../src/bench/types.ts';
import { syntheticResults } from './bench-fixtures.ts';

const temporary = () => mkdtempSync(join(tmpdir(), 'opzk-bench-cli-'));

function save(dir: string, name: string, results: RunResults): string {
  const file = join(dir, name);
  writeFileAtomic({ file, content: JSON.stringify(results) });
  return file;
}

describe('opzk report / merge / bench', () => {
  afterEach(() => vi.restoreAllMocks());

  it('report re-renders CSV and Markdown from a results file, printing one JSON object with --json', async () => {
    const dir = temporary();
    const file = save(dir, 'results.json', syntheticResults());
    const out = join(dir, 'rendered');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await report.run([file, '--out', out, '--skip-charts', '--json'])).toBe(0);
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toEqual({
      suite: 'micro', outDir: out, files: [join(out, 'results.json'), join(out, 'results.csv'), join(out, 'report.md')],
    });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('# opzk-bench: suite `micro`');
    expect(readResults({ file: join(out, 'results.json') })).toEqual(syntheticResults());
  });

  it('report --resummarize recomputes the derived values from the raw measurements', async () => {
    const dir = temporary();
    const stale = syntheticResults();
    // A derived slope from an older version of the suite code, off by a factor of 3.
    stale.measurements.find((m) => m.name === 'marginalTime{op=mul,system=groth16}')!.value *= 3;
    const file = save(dir, 'results.json', stale);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await report.run([file, '--resummarize', '--skip-charts'])).toBe(0);
    const redone = readResults({ file }).measurements.find((m) => m.name === 'marginalTime{op=mul,system=groth16}')!;
    // proveTime of mul grows by 0.01 ms per op (bench-fixtures): 10,000 ns/op, refitted.
    expect(redone.value).toBeCloseTo(10_000, 6);
    expect(readResults({ file }).measurements.filter((m) => !m.derived)).toEqual(stale.measurements.filter((m) => !m.derived));
  });

  it('merge joins two shard files (the micro summary recomputed over both)', async () => {
    const dir = temporary();
    const whole = syntheticResults();
    const raw = whole.measurements.filter((m) => !m.derived);
    const a = save(dir, 'a.json', { ...whole, shards: [{ index: 1, count: 2 }], measurements: raw.filter((m) => m.labels.op === 'mul') });
    const b = save(dir, 'b.json', { ...whole, shards: [{ index: 2, count: 2 }], measurements: raw.filter((m) => m.labels.op !== 'mul') });
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(dir, 'merged');
    expect(await merge.run([a, b, '--out', out, '--skip-charts'])).toBe(0);
    const merged = readResults({ file: join(out, 'results.json') });
    expect(merged.shards).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(merged.measurements.filter((m) => !m.derived)).toHaveLength(raw.length);
    const slope = merged.measurements.find((m) => m.name === 'marginalConstraints{op=relu-full}');
    expect(slope).toMatchObject({ value: 517, derived: true });
    expect(merged.verdicts.map((v) => v.status)).toEqual(['untestable', 'depends']);
  });

  it('bench refuses unknown suites', async () => {
    await expect(bench.run(['--suite', 'nope'])).rejects.toThrow(/unknown suite 'nope'/);
  });

  it('bench checks its options before running anything', async () => {
    await expect(bench.run(['--suite', 'micro', '--shard', '3/2'])).rejects.toThrow(/--shard '3\/2'/);
    await expect(bench.run(['--suite', 'micro', '--update-baseline'])).rejects.toThrow(/--update-baseline needs --baseline FILE/);
    await expect(bench.run(['--suite', 'micro', '--threshold=-5'])).rejects.toThrow(/--threshold '-5'/);
    await expect(bench.run(['--suite', 'micro', '--ops', 'gelu'])).rejects.toThrow(/unknown op 'gelu'/);
    await expect(bench.run(['--suite', 'micro', '--frobnicate'])).rejects.toThrow(/bench: unknown option '--frobnicate'/);
  });
});
