/**
 * Replaces a results object's derived part (derived measurements, sections, verdicts) with what
 * the suite's `summarize` computes from its raw measurements. Used after a run and after a merge,
 * so derived numbers always come from all the raw data in the file.
 */
import type { RunResults } from './types.ts';
import type { Suite } from './suite.ts';

export interface ApplySummaryParameters {
  results: RunResults;
  suite: Pick<Suite<Record<string, unknown>>, 'summarize'>;
}

export type ApplySummaryResult = RunResults;

export function applySummary({ results, suite }: ApplySummaryParameters): ApplySummaryResult {
  const raw = results.measurements.filter((m) => !m.derived);
  const base: RunResults = { ...results, measurements: raw, sections: {}, verdicts: [] };
  if (!suite.summarize) return base;
  const summary = suite.summarize(base);
  for (const m of summary.measurements) {
    m.derived = true;
    if (m.kind === 'timing' && results.calibration) m.calibrated = m.value / results.calibration.meanMs;
  }
  return { ...base, measurements: [...raw, ...summary.measurements], sections: summary.sections ?? {}, verdicts: summary.verdicts ?? [] };
}
