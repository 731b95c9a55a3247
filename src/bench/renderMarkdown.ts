/**
 * `report.md`, rendered from `results.json` alone (so `opzk report` can re-render without
 * re-running): the run and its machine, the settings, the verdicts, the derived summary (fitted
 * slopes, ratios), the Table II data when present, every raw measurement, and the charts.
 */
import { describeMachine } from './collectEnvironment.ts';
import { formatNumber, formatQuantity } from './formatValue.ts';
import type { Measurement, RunResults } from './types.ts';
import type { Table2Data } from './table2Data.ts';

export interface RenderMarkdownParameters {
  results: RunResults;
  /** Chart files written beside the report (relative paths), to link. */
  chartFiles?: Array<{ title: string; png: string; svg: string }>;
}

export type RenderMarkdownResult = string;

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

function labelText(labels: Measurement['labels']): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(', ');
}

function measurementRows(measurements: Measurement[]): string[][] {
  return measurements.map((m) => [
    m.metric,
    labelText(m.labels),
    formatQuantity(m.value, m.unit, m.standardError),
    m.kind,
    String(m.samples),
    m.min !== undefined && m.max !== undefined ? `${formatNumber(m.min)} … ${formatNumber(m.max)}` : '',
    m.note ?? '',
  ]);
}

function renderTable2(data: Table2Data): string {
  const parts: string[] = ['## Table II data', ''];
  if (data.models.length > 0) {
    parts.push(table(
      ['model', 'parameters', 'MACs', 'native (ms)', 'opML execute (ms)', 'trace steps', 'zkML status', 'constraints', 'prove (ms)', 'proving key (bytes)'],
      data.models.map((row) => [
        row.model, formatNumber(row.parameters), row.macs === undefined ? '' : formatNumber(row.macs),
        row.nativeInferenceMs === undefined ? '' : formatNumber(row.nativeInferenceMs),
        row.opml ? formatNumber(row.opml.executeMs) : '', row.opml?.traceSteps === undefined ? '' : formatNumber(row.opml.traceSteps),
        row.zkml ? (row.zkml.status === 'failed' ? `failed: ${row.zkml.failure ?? 'no reason recorded'}` : 'proved') : '',
        row.zkml?.constraints === undefined ? '' : formatNumber(row.zkml.constraints),
        row.zkml?.proveMs === undefined ? '' : formatNumber(row.zkml.proveMs),
        row.zkml?.provingKeyBytes === undefined ? '' : formatNumber(row.zkml.provingKeyBytes),
      ]),
    ), '');
  }
  if (data.gas.length > 0)
    parts.push(table(['system', 'phase', 'model', 'gas'], data.gas.map((g) => [g.system, g.phase, g.model ?? '', formatNumber(g.gas)])), '');
  if (data.storage.length > 0)
    parts.push(table(['system', 'what', 'model', 'on-chain bytes'], data.storage.map((s) => [s.system, s.what, s.model ?? '', formatNumber(s.onChainBytes)])), '');
  return parts.join('\n');
}

export function renderMarkdown({ results, chartFiles = [] }: RenderMarkdownParameters): RenderMarkdownResult {
  const { environment } = results;
  const lines: string[] = [];
  lines.push(`# opzk-bench: suite \`${results.suite}\``, '');
  lines.push(`Run ${results.startedAt} → ${results.finishedAt}` + (results.shards ? `, shards ${results.shards.map((s) => `${s.index}/${s.count}`).join(', ')}` : '') + '.', '');
  const git = environment.git.commit === 'unknown' ? 'unknown commit' : `commit \`${environment.git.commit.slice(0, 12)}\`${environment.git.dirty ? ' (dirty tree)' : ''}`;
  const load = environment.machine.loadAverage1m === undefined ? '' : `, load average ${environment.machine.loadAverage1m.toFixed(2)} at start`;
  lines.push(`Machine: ${describeMachine(environment)}, ${environment.machine.platform}/${environment.machine.arch}${load}; ${git}.`, '');
  lines.push(`Tools: ${Object.entries(environment.tools).map(([name, version]) => `${name} ${version}`).join(', ')}.`, '');
  if (results.calibration)
    lines.push(`Calibration: \`${results.calibration.name}\` took ${formatQuantity(results.calibration.meanMs, 'ms', results.calibration.stddevMs)} (mean ± stddev over ${results.calibration.samples} samples); timings are compared against baselines divided by it.${
      // A spread larger than the mean: the machine was busy while calibrating, so "time / calibration" means nothing.
      results.calibration.stddevMs > results.calibration.meanMs ? ' **Unusable: its standard deviation exceeds its mean (the machine was busy); do not compare this run\'s timings with a baseline.**' : ''}`, '');
  if (results.resources)
    lines.push(`This run took ${formatNumber(results.resources.wallSeconds)} s wall; the runner process used ${formatNumber(results.resources.cpuSeconds)} s CPU (all its threads) and peaked at ${formatNumber(results.resources.peakRssBytes / 2 ** 20)} MiB — child processes (anvil, and each attempt where the suite isolates them) are not included: their peaks are in the attempts' figures.`, '');
  if (results.mergedFrom?.length)
    lines.push(`Merged from ${results.mergedFrom.length} further shard file(s): ${results.mergedFrom.map((m) => describeMachine(m.environment)).join('; ')}.`, '');

  lines.push('## Settings', '', table(['setting', 'value'], Object.entries(results.settings).map(([key, value]) => [key, JSON.stringify(value)])), '');

  // A suite's own rendered part (e.g. table2's paper-style Table II), placed before the verdicts it summarises.
  if (typeof results.sections.reportMarkdown === 'string') lines.push(results.sections.reportMarkdown, '');
  if (results.verdicts.length > 0) {
    lines.push('## Verdicts on the survey\'s claims', '', '"Not resolved" marks a fitted value whose standard error is at least half of it (noise larger than the effect: use larger N or more samples); such values are not used for or against a claim.', '');
    for (const verdict of results.verdicts) {
      lines.push(`### ${verdict.claim} — **${verdict.status}**`, '', `*Source:* ${verdict.source}`, '', `*Measured:* ${verdict.measured}`, '', `*Reading:* ${verdict.reading}`, '');
    }
  }

  const derived = results.measurements.filter((m) => m.derived);
  if (derived.length > 0)
    lines.push('## Summary (fitted and derived)', '', table(['metric', 'labels', 'value', 'kind', 'samples', 'range', 'note'], measurementRows(derived)), '');

  const table2 = results.sections.table2 as Table2Data | undefined;
  if (table2) lines.push(renderTable2(table2), '');

  const raw = results.measurements.filter((m) => !m.derived);
  lines.push('## Measurements', '');
  lines.push(raw.length > 0 ? table(['metric', 'labels', 'value (mean ± standard error)', 'kind', 'samples', 'min … max', 'note'], measurementRows(raw)) : 'No measurements.', '');

  if (chartFiles.length > 0) {
    lines.push('## Charts', '');
    for (const chart of chartFiles) lines.push(`![${chart.title}](${chart.png}) ([SVG](${chart.svg}))`, '');
  }
  return lines.join('\n');
}
