/**
 * `results.csv`: one row per measurement, rendered from `results.json` (RFC 4180 quoting).
 * Labels become one column each (the union over all measurements, sorted), so a spreadsheet can
 * filter by op, n or system.
 */
import type { RunResults } from './types.ts';

export interface RenderCsvParameters {
  results: RunResults;
}

export type RenderCsvResult = string;

function quote(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function renderCsv({ results }: RenderCsvParameters): RenderCsvResult {
  const labelKeys = [...new Set(results.measurements.flatMap((m) => Object.keys(m.labels)))].sort();
  const header = [
    'suite', 'name', 'metric', ...labelKeys.map((key) => `label_${key}`),
    'value', 'unit', 'kind', 'higher_is_worse', 'samples', 'stddev', 'min', 'max', 'standard_error', 'calibrated', 'derived', 'note',
  ];
  const rows = results.measurements.map((m) => [
    results.suite, m.name, m.metric, ...labelKeys.map((key) => m.labels[key]),
    m.value, m.unit, m.kind, m.higherIsWorse, m.samples, m.stddev, m.min, m.max, m.standardError, m.calibrated, m.derived ?? false, m.note,
  ]);
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\n') + '\n';
}
