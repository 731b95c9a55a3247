/**
 * Are the micro suite's slopes stable? Compares two `opzk bench --suite micro` runs (same
 * settings, same machine): constraints per op must be equal, and the marginal prove time per op
 * (Groth16, PLONK) of the two runs must agree within a tolerance (default 20%, the issue's bar).
 * Writes results/micro-stability/results.json (atomically: the rows, the tallies for constraints
 * and for prove time, and per run its wall time and the quiet timer's retaken/contended samples)
 * and prints a Markdown table; exit 1 when a row disagrees.
 *
 *   npx tsx bench/micro-stability.ts <runA/results.json> <runB/results.json> [--tolerance 0.2] [--out DIR]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readResults } from '../src/bench/readResults.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import type { Measurement } from '../src/bench/types.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tolerance: { type: 'string', default: '0.2' }, out: { type: 'string', default: 'results/micro-stability' } },
});
if (positionals.length !== 2) {
  console.error('usage: npx tsx bench/micro-stability.ts <runA/results.json> <runB/results.json> [--tolerance 0.2] [--out DIR]');
  process.exit(2);
}
const tolerance = Number(values.tolerance);
const [fileA, fileB] = positionals as [string, string];
const runA = readResults({ file: fileA });
const runB = readResults({ file: fileB });
if (JSON.stringify(runA.settings) !== JSON.stringify(runB.settings)) {
  console.error(`${fileA} and ${fileB} were run with different settings: not comparable`);
  process.exit(2);
}

const key = (m: Measurement) => `${m.metric}{${Object.entries(m.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;
const byKey = new Map(runB.measurements.map((m) => [key(m), m]));
interface Row { metric: string; op: string; system?: string; unit: string; a: number; b: number; seA?: number; seB?: number; relativeDifference: number; agrees: boolean }
const rows: Row[] = [];
for (const a of runA.measurements) {
  const isConstraints = a.metric === 'marginalConstraints';
  const isProve = a.metric === 'marginalTime' && (a.labels.system === 'groth16' || a.labels.system === 'plonk');
  if (!isConstraints && !isProve) continue;
  const b = byKey.get(key(a));
  if (!b) continue;
  // Relative to the mean of the two runs, so the comparison is symmetric.
  const relativeDifference = Math.abs(a.value - b.value) / ((Math.abs(a.value) + Math.abs(b.value)) / 2 || 1);
  rows.push({
    metric: a.metric, op: String(a.labels.op), system: a.labels.system as string | undefined, unit: a.unit,
    a: a.value, b: b.value, seA: a.standardError, seB: b.standardError, relativeDifference,
    agrees: isConstraints ? a.value === b.value : relativeDifference <= tolerance,
  });
}
const failed = rows.filter((row) => !row.agrees);
const tally = (selected: Row[]) => ({ agreeing: selected.filter((row) => row.agrees).length, compared: selected.length });
/** The quiet timer's counts over all ops (absent in runs from before it). */
const quiet = (run: typeof runA) => {
  if (!run.measurements.some((m) => m.metric === 'retakenSamples')) return {};
  const total = (metric: string) => run.measurements.filter((m) => m.metric === metric).reduce((sum, m) => sum + m.value, 0);
  return { retakenSamples: total('retakenSamples'), contendedSamples: total('contendedSamples') };
};
const describeRun = (file: string, run: typeof runA) => ({
  file, startedAt: run.startedAt, wallSeconds: run.resources?.wallSeconds, ...quiet(run), environment: run.environment,
});
const summary = {
  schema: 'opzk-bench/micro-stability', version: 1,
  runs: [describeRun(fileA, runA), describeRun(fileB, runB)],
  settings: runA.settings,
  toleranceRelative: tolerance,
  rows,
  agreeing: rows.length - failed.length,
  compared: rows.length,
  constraints: tally(rows.filter((row) => row.metric === 'marginalConstraints')),
  proveTime: tally(rows.filter((row) => row.metric === 'marginalTime')),
};
mkdirSync(values.out!, { recursive: true });
writeFileAtomic({ file: join(values.out!, 'results.json'), content: `${JSON.stringify(summary, null, 2)}\n` });

const fmt = (x: number) => (Math.abs(x) >= 1000 ? x.toExponential(3) : x.toPrecision(4));
console.log(`| metric | op | system | run A | run B | |A−B| / mean | agrees (≤ ${tolerance * 100}% for time, exact for constraints) |`);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(`| ${r.metric} | ${r.op} | ${r.system ?? ''} | ${fmt(r.a)} ${r.unit} | ${fmt(r.b)} ${r.unit} | ${(r.relativeDifference * 100).toFixed(1)}% | ${r.agrees ? 'yes' : '**no**'} |`);
console.log(`\nConstraints per op: ${summary.constraints.agreeing}/${summary.constraints.compared} exactly equal. Prove time per op: ${summary.proveTime.agreeing}/${summary.proveTime.compared} within ${tolerance * 100}%. In all ${summary.agreeing}/${summary.compared} agree.`);
for (const [label, run] of [['A', summary.runs[0]!], ['B', summary.runs[1]!]] as const)
  console.log(`Run ${label}: ${run.file}, started ${run.startedAt}, ${run.wallSeconds?.toFixed(0) ?? '?'} s wall; ${'retakenSamples' in run ? `${run.retakenSamples} samples retaken and ${run.contendedSamples} kept while other processes used the CPU` : 'no quiet-machine check (a run from before it)'}.`);
process.exit(failed.length ? 1 : 0);
