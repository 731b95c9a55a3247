/**
 * CI regression mode: compares a run against a committed baseline results file (criterion's
 * `base/` vs `new/`). Deterministic metrics (constraints, gas, rounds, bytes) must match exactly:
 * every change is listed and a change in the worse direction fails. Timings are compared through
 * their calibrated value (time / calibration workload time in the same process) and fail beyond
 * a relative threshold — and, when both sides carry standard errors, only if the change also
 * exceeds `noiseSigmas` standard errors of the difference (a 30 % swing of a microsecond timing
 * on a busy machine is noise, not a regression); `ratio` metrics are compared directly. Renders a Markdown summary fit for
 * a CI job summary.
 */
import { formatNumber, formatQuantity } from './formatValue.ts';
import type { Measurement, RunResults } from './types.ts';

export interface CompareBaselineParameters {
  baseline: RunResults;
  current: RunResults;
  /** Allowed worsening of a timing or ratio, in percent (default 25). */
  thresholdPercent?: number;
  /** Names the baseline file in the summary. */
  baselineFile?: string;
  /** A timing or ratio change must also exceed this many standard errors of the difference, when known (default 3). */
  noiseSigmas?: number;
}

export type ComparisonStatus = 'regression' | 'improvement' | 'changed' | 'within-threshold' | 'unchanged';

export interface ComparisonRow {
  name: string;
  kind: Measurement['kind'];
  unit: string;
  baselineValue: number;
  currentValue: number;
  /** What was compared: the raw value (deterministic, ratio) or the calibrated one (timing). */
  compared: 'value' | 'calibrated';
  baselineCompared: number;
  currentCompared: number;
  /** (current - baseline) / baseline, in percent of the compared quantity (Infinity when baseline is 0 and current is not). */
  changePercent: number;
  status: ComparisonStatus;
  /** For timings and ratios with standard errors on both sides: |difference| / standard error of the difference. */
  sigmas?: number;
}

export interface CompareBaselineResult {
  passed: boolean;
  thresholdPercent: number;
  rows: ComparisonRow[];
  /** Measurements in the baseline that this run did not produce (a sharded run, or a removed metric). */
  missing: string[];
  /** Measurements this run produced that the baseline lacks. */
  added: string[];
  /** Settings whose values differ: the comparison of such runs fails, the numbers do not mean the same thing. */
  settingsDiffer: Array<{ setting: string; baseline: unknown; current: unknown }>;
  /** Human summary (Markdown), for $GITHUB_STEP_SUMMARY. */
  markdown: string;
}

function compareOne(base: Measurement, current: Measurement, thresholdPercent: number, noiseSigmas: number): ComparisonRow | undefined {
  if (current.kind === 'info' || base.kind === 'info') return undefined;
  const useCalibrated = current.kind === 'timing' && base.calibrated !== undefined && current.calibrated !== undefined;
  const baselineCompared = useCalibrated ? base.calibrated! : base.value;
  const currentCompared = useCalibrated ? current.calibrated! : current.value;
  const difference = currentCompared - baselineCompared;
  const changePercent = baselineCompared === 0 ? (difference === 0 ? 0 : Infinity * Math.sign(difference)) : (100 * difference) / Math.abs(baselineCompared);
  const worse = current.higherIsWorse ? difference > 0 : difference < 0;
  // Standard errors in the compared unit (calibrated = value / calibration, so they scale alike).
  const scale = (m: Measurement) => (useCalibrated ? m.calibrated! / m.value : 1);
  const sigmas = base.standardError !== undefined && current.standardError !== undefined && (base.standardError > 0 || current.standardError > 0)
    ? Math.abs(difference) / Math.hypot(base.standardError * scale(base), current.standardError * scale(current))
    : undefined;
  let status: ComparisonStatus;
  if (difference === 0) status = 'unchanged';
  else if (current.kind === 'deterministic') status = worse ? 'regression' : 'changed';
  else if (Math.abs(changePercent) <= thresholdPercent || (sigmas !== undefined && sigmas < noiseSigmas)) status = 'within-threshold';
  else status = worse ? 'regression' : 'improvement';
  return {
    name: current.name, kind: current.kind, unit: current.unit,
    baselineValue: base.value, currentValue: current.value,
    compared: useCalibrated ? 'calibrated' : 'value',
    baselineCompared, currentCompared, changePercent, status,
    ...(sigmas !== undefined ? { sigmas } : {}),
  };
}

function settingsDifferences(baseline: RunResults, current: RunResults) {
  const keys = new Set([...Object.keys(baseline.settings), ...Object.keys(current.settings)]);
  const differences: CompareBaselineResult['settingsDiffer'] = [];
  for (const setting of [...keys].sort()) {
    const a = JSON.stringify(baseline.settings[setting]);
    const b = JSON.stringify(current.settings[setting]);
    if (a !== b) differences.push({ setting, baseline: baseline.settings[setting], current: current.settings[setting] });
  }
  return differences;
}

function percent(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+∞ %' : '−∞ %';
  return `${value > 0 ? '+' : ''}${value.toFixed(1)} %`;
}

function renderSummary(result: Omit<CompareBaselineResult, 'markdown'>, baseline: RunResults, current: RunResults, noiseSigmas: number, baselineFile?: string): string {
  const lines: string[] = [];
  lines.push(`## opzk-bench regression check (suite \`${current.suite}\`): ${result.passed ? 'PASS ✅' : 'FAIL ❌'}`, '');
  lines.push(`Baseline: ${baselineFile ? `\`${baselineFile}\`, ` : ''}commit \`${baseline.environment.git.commit.slice(0, 12)}\` on ${baseline.environment.machine.cpuModel}. Current: commit \`${current.environment.git.commit.slice(0, 12)}\`${current.environment.git.dirty ? ' (dirty)' : ''} on ${current.environment.machine.cpuModel}.`, '');
  lines.push(`Deterministic metrics must match exactly (a worse value fails); timings are compared as time / calibration time and fail when more than ${result.thresholdPercent} % worse and, where standard errors are known, more than ${noiseSigmas} standard errors of the difference.` +
    (baseline.calibration && current.calibration ? ` Calibration: ${formatNumber(baseline.calibration.meanMs)} ms (baseline) vs ${formatNumber(current.calibration.meanMs)} ms (current).` : ''), '');
  if (result.settingsDiffer.length > 0) {
    lines.push('### Settings differ (the runs are not comparable)', '', '| setting | baseline | current |', '| --- | --- | --- |');
    for (const d of result.settingsDiffer) lines.push(`| ${d.setting} | \`${JSON.stringify(d.baseline)}\` | \`${JSON.stringify(d.current)}\` |`);
    lines.push('');
  }
  const section = (title: string, rows: ComparisonRow[]) => {
    if (rows.length === 0) return;
    lines.push(`### ${title} (${rows.length})`, '', '| measurement | kind | baseline | current | change |', '| --- | --- | --- | --- | --- |');
    for (const row of rows) {
      const compared = row.compared === 'calibrated' ? ` (calibrated ${formatNumber(row.baselineCompared)} → ${formatNumber(row.currentCompared)})` : '';
      const noise = row.sigmas !== undefined ? `, ${row.sigmas.toFixed(1)} σ` : '';
      lines.push(`| \`${row.name}\` | ${row.kind} | ${formatQuantity(row.baselineValue, row.unit)} | ${formatQuantity(row.currentValue, row.unit)} | ${percent(row.changePercent)}${compared}${noise} |`);
    }
    lines.push('');
  };
  section('Regressions', result.rows.filter((r) => r.status === 'regression'));
  section('Deterministic changes (not worse)', result.rows.filter((r) => r.status === 'changed'));
  section('Improvements beyond the threshold', result.rows.filter((r) => r.status === 'improvement'));
  const quiet = result.rows.filter((r) => r.status === 'unchanged' || r.status === 'within-threshold').length;
  lines.push(`${quiet} measurement(s) unchanged or within the threshold.` +
    (result.missing.length ? ` ${result.missing.length} in the baseline but not in this run: ${result.missing.slice(0, 10).map((n) => `\`${n}\``).join(', ')}${result.missing.length > 10 ? ', …' : ''}.` : '') +
    (result.added.length ? ` ${result.added.length} new (not in the baseline).` : ''), '');
  if (!result.passed) lines.push('If the change is intended, re-run with `--update-baseline` and commit the new baseline.', '');
  return lines.join('\n');
}

export function compareBaseline({ baseline, current, thresholdPercent = 25, baselineFile, noiseSigmas = 3 }: CompareBaselineParameters): CompareBaselineResult {
  const baseByName = new Map(baseline.measurements.map((m) => [m.name, m]));
  const currentNames = new Set(current.measurements.map((m) => m.name));
  const rows: ComparisonRow[] = [];
  const added: string[] = [];
  for (const measurement of current.measurements) {
    const base = baseByName.get(measurement.name);
    if (!base) {
      added.push(measurement.name);
      continue;
    }
    const row = compareOne(base, measurement, thresholdPercent, noiseSigmas);
    if (row) rows.push(row);
  }
  // Informational measurements come and go (a setup time only when the key was not cached).
  const missing = baseline.measurements.filter((m) => m.kind !== 'info' && !currentNames.has(m.name)).map((m) => m.name);
  const settingsDiffer = settingsDifferences(baseline, current);
  const suiteDiffers = baseline.suite !== current.suite;
  if (suiteDiffers) settingsDiffer.unshift({ setting: '(suite)', baseline: baseline.suite, current: current.suite });
  const passed = settingsDiffer.length === 0 && !rows.some((row) => row.status === 'regression');
  const partial = { passed, thresholdPercent, rows, missing, added, settingsDiffer };
  return { ...partial, markdown: renderSummary(partial, baseline, current, noiseSigmas, baselineFile) };
}
