/**
 * Owns the summary step the table2, scaling and quick suites share: the Table II data from the
 * raw measurements (summarizeTable2), the verdict on each row (verdicts.ts), the paper-style table
 * (renderPaperTable) as report Markdown, and the derived ratios (prove time / opML execution time
 * per model).
 */
import { createMeasurement } from '../../createMeasurement.ts';
import type { SuiteSummary } from '../../suite.ts';
import type { RunResults } from '../../types.ts';
import { table2Verdicts } from '../../verdicts.ts';
import { renderPaperTable } from '../../table2/renderPaperTable.ts';
import { summarizeTable2 } from '../../table2/summarizeTable2.ts';
import { summarizeGkrTable2 } from '../../table2/summarizeGkrTable2.ts';
import { renderGkrTable } from '../../table2/renderGkrTable.ts';
import { renderOneTimeTable, renderTimingSpreadTable } from '../../table2/renderBudgets.ts';
import { withGkrTable2Readings } from '../../gkrVerdicts.ts';
import type { Table2Settings } from './resolveTable2Settings.ts';

export interface SummarizeTable2RunParameters {
  results: RunResults;
  settings: Table2Settings;
}

export type SummarizeTable2RunResult = SuiteSummary;

export function summarizeTable2Run({ results, settings }: SummarizeTable2RunParameters): SummarizeTable2RunResult {
  const groth16Data = summarizeTable2({
    results,
    settings: {
      referenceModel: settings.referenceModel, cheatsModel: settings.cheatsModel, blockSeconds: settings.blockSeconds, ladder: settings.ladder,
      timeLimitSeconds: settings.timeLimitSeconds, ...(settings.setupTimeLimitSeconds !== undefined ? { setupTimeLimitSeconds: settings.setupTimeLimitSeconds } : {}), memoryCapBytes: settings.memoryCapMiB * 2 ** 20, system: settings.system, trustedSetup: settings.ptau,
      zkInputs: settings.zkInputs,
    },
  });
  // The sumcheck/GKR prover's figures beside Groth16's (absent when it did not run).
  const data = summarizeGkrTable2({ results, data: groth16Data, ladder: [...settings.ladder, ...(settings.gkrBeyond ?? []).map((width) => `mlp-w${width}`)], referenceModel: settings.referenceModel });
  const verdicts = withGkrTable2Readings({ verdicts: table2Verdicts({ data }), data });
  if (!data.sizeLimits && verdicts[0]) {
    // Without the width ladder nothing here probes a size limit: the row is not tested by this run.
    verdicts[0] = {
      ...verdicts[0], status: 'no-data',
      reading: `This run has no width ladder (it proves and disputes only ${data.models.map((row) => row.model).join(', ')}), so it cannot show a size limit either way; the table2 and scaling suites walk the ladder under time and memory limits.`,
    };
  }
  const measurements = [];
  for (const row of data.models) {
    if (!row.opml || row.zkml?.status !== 'proved' || row.zkml.proveMs === undefined) continue;
    const zkCompute = (row.zkml.witnessMs ?? 0) + row.zkml.proveMs;
    measurements.push(createMeasurement({
      metric: 'zkOverOpmlCompute', labels: { model: row.model }, unit: 'x', kind: 'info', value: zkCompute / row.opml.executeMs, derived: true,
      note: 'zkML witness + prove time / opML submitter execute + commit time (same machine, same run)',
    }));
    if (row.nativeInferenceMs)
      measurements.push(createMeasurement({
        metric: 'zkOverNative', labels: { model: row.model }, unit: 'x', kind: 'info', value: zkCompute / row.nativeInferenceMs, derived: true,
        note: 'zkML witness + prove time / onnxruntime inference time',
      }));
  }
  const gkrSection = renderGkrTable({ data });
  // Issue 14: what the one-time figures and the Model Size thresholds rest on, and the timings' spread.
  const budgetSections = [renderOneTimeTable({ data }), renderTimingSpreadTable({ measurements: results.measurements })].filter(Boolean);
  const markdown = ['## Table II: opML vs zkML, as the survey prints it, with what was measured', '', renderPaperTable({ data, verdicts }), '', ...(gkrSection ? [gkrSection, ''] : []), ...budgetSections.flatMap((section) => [section, ''])].join('\n');
  return { measurements, verdicts, sections: { table2: data, reportMarkdown: markdown } };
}
