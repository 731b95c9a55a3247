/**
 * The Computation row of the paper table reads the opML trace's two costs from the run's
 * measurements (issue 13 §3): the submitter's run + claim beside the warm engine, and the
 * dispute's states only when challenged.
 */
import { describe, expect, it } from 'vitest';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import { renderPaperTable } from './renderPaperTable.ts';
import { summarizeTable2 } from './summarizeTable2.ts';

const timing = (metric: string, value: number): Measurement => createMeasurement({ metric, labels: { model: 'ref' }, unit: 'ms', kind: 'timing', samples: [value] });
const count = (metric: string, value: number, unit: string): Measurement => createMeasurement({ metric, labels: { model: 'ref' }, unit, kind: 'deterministic', value });

const settings = { referenceModel: 'ref', blockSeconds: 12, ladder: [], timeLimitSeconds: 60, memoryCapBytes: 2 ** 30, system: 'groth16', trustedSetup: 'local' };

describe('Table II Computation row: the opML trace costs apart', () => {
  it('says run + claim with its hashes and its multiple of the warm engine, and the dispute\'s states with theirs', () => {
    const measurements = [
      count('parameters', 100, 'parameters'), timing('opmlExecuteTime', 0.8), timing('opmlRunTime', 0.3), count('opmlClaimHashes', 422, 'hashes'),
      timing('engineWarmInferenceTime', 0.04), timing('opmlDisputeStatesTime', 2.5), count('opmlDisputeHashes', 306, 'hashes'),
      timing('opmlReexecuteTime', 5), count('traceSteps', 44_586, 'steps'), timing('opmlCompileTime', 900),
    ];
    const data = summarizeTable2({ results: { measurements }, settings });
    expect(data.models[0]!.opml).toEqual({ executeMs: 0.8, runMs: 0.3, claimHashes: 422, engineWarmMs: 0.04, disputeStatesMs: 2.5, disputeHashes: 306, reexecuteMs: 5, traceSteps: 44_586, compileMs: 900 });
    const table = renderPaperTable({ data, verdicts: [] });
    expect(table).toContain('submitter trace + state commitments 0.8 ms (run 0.3 ms + claim (422 hashes); 20× the warm engine\'s 0.04 ms)');
    // A run whose submitter made its claim from the engine says so; its VM run is a dispute's.
    const fromEngine = summarizeTable2({ results: { measurements: [...measurements, count('opmlClaimFromEngine', 1, 'boolean')] }, settings });
    expect(renderPaperTable({ data: fromEngine, verdicts: [] })).toContain('submitter\'s engine inference + state commitments 0.8 ms (the claim from the engine, 422 hashes; 20× the warm engine\'s 0.04 ms; the VM run a dispute needs 0.3 ms)');
    expect(table).toContain('only when challenged: the bisection\'s states + one-step proof 2.5 ms (306 hashes)');
  });

  it('keeps the old text where a results file has none of the new fields', () => {
    const data = summarizeTable2({ results: { measurements: [count('parameters', 100, 'parameters'), timing('opmlExecuteTime', 62.6)] }, settings });
    const table = renderPaperTable({ data, verdicts: [] });
    expect(table).toContain('submitter trace + state commitments 62.6 ms, challenger');
    expect(table).not.toContain('the bisection\'s states');
  });
});
