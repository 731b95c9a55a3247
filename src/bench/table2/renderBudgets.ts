/**
 * Owns rendering what issue 14 added to the table2/scaling report: which budget a path's ladder
 * stopped on (the Model Size row's wording), whether each one-time figure was built in this run
 * or taken from the cache (next to the figure, and as a table per model and path), and the spread
 * of the repeated per-inference timings (median, range, runs).
 */
import { formatNumber } from '../formatValue.ts';
import type { Table2Data, Table2OneTimeStep, Table2PathLimit } from '../table2Data.ts';
import type { Measurement } from '../types.ts';

const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 1000 ? `${formatNumber(Number((value / 1000).toPrecision(3)))} s` : `${formatNumber(Number(value.toPrecision(3)))} ms`);

/** Which budget a limit belongs to, as the Model Size row names it. */
export const LIMIT_NAMES = { 'setup-time': 'one-time budget (--setup-time-limit)', time: 'per-inference budget (--time-limit)', memory: 'memory cap' } as const;

/** The largest model within each budget, where the run recorded them (issue 14). */
export function withinBudgets(side: Table2PathLimit): string {
  // Every model completed: both are the largest, already named.
  if (!side.failedAt || (side.largestWithinSetup === undefined && side.largestWithinTime === undefined)) return '';
  return `; within the one-time budget: ${side.largestWithinSetup ? `**${side.largestWithinSetup}**` : 'none'}, within the per-inference budget: ${side.largestWithinTime ? `**${side.largestWithinTime}**` : 'none'}`;
}

/** How a one-time figure came about: built in this run, or taken from the cache with its recorded build time. */
export function cacheState(step: Table2OneTimeStep | undefined): string {
  if (!step) return '';
  if (step.built) return ' (built in this run)';
  return step.builtMs !== undefined ? ' (from the cache; the build time recorded when it was built)' : ' (from the cache; build time not recorded)';
}

/** One row per model and path: each one-time step, built in this run or from the cache, and what building it took. */
export function renderOneTimeTable({ data }: { data: Table2Data }): string {
  const rows = data.models.flatMap((row) => Object.entries(row.oneTime ?? {}).map(([path, steps]) => ({ model: row.model, path, steps })));
  if (rows.length === 0) return '';
  const cell = (step: Table2OneTimeStep) => `${step.step} ${step.built ? 'built' : 'cached'} ${step.builtMs !== undefined ? ms(step.builtMs) : '(not recorded)'}`;
  const lines = [
    '### One-time costs and cache state',
    '',
    'Per model and path, each one-time step: `built` in this run (its time measured now) or `cached` (taken from the build cache; the time is the one recorded when it was built, and it is what the one-time budget is charged). A figure that depends on a one-time step — the Computation row\'s one-time setup, the Model Size thresholds — is the same whichever it was.',
    '',
    '| model | path | one-time steps (state, build time) | total |',
    '| --- | --- | --- | --- |',
  ];
  for (const { model, path, steps } of rows) {
    const total = steps.reduce((sum, step) => sum + (step.builtMs ?? 0), 0);
    lines.push(`| ${model} | ${path} | ${steps.map(cell).join('; ')} | ${ms(total)}${steps.some((s) => s.builtMs === undefined) ? ' (some not recorded)' : ''} |`);
  }
  return lines.join('\n');
}

/** The repeated per-inference timings (those with a median): median, range and runs, per model. */
export function renderTimingSpreadTable({ measurements }: { measurements: Measurement[] }): string {
  const repeated = measurements.filter((m) => !m.derived && m.kind === 'timing' && m.median !== undefined && m.labels.model !== undefined && m.labels.op === undefined);
  if (repeated.length === 0) return '';
  const lines = [
    '### Per-inference timings: median and spread',
    '',
    'Each per-inference step was run several times in its attempt\'s process (the first run in a fresh process, so it includes start-up costs such as compiling the witness WebAssembly); Table II shows the median. Two runs whose medians differ by less than these ranges differ by noise.',
    '',
    '| model | metric | system | median | range (min–max) | runs |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of repeated)
    lines.push(`| ${m.labels.model} | ${m.metric} | ${m.labels.system ?? 'opML'} | ${ms(m.median)} | ${ms(m.min)}–${ms(m.max)} | ${m.samples} |`);
  return lines.join('\n');
}
