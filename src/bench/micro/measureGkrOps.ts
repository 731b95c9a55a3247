/**
 * The micro suite's ReLU-by-lookup vs multiply-accumulate measurement in the sumcheck/GKR prover
 * (issue 10): the one-op models of buildGkrOneOpModel (N ReLUs; N MACs against committed
 * weights) over an N ladder, each proved with proveGkr without the commitment (the prover's
 * `protocol` time and the whole call) and with it. The weights are committed once per model
 * (setupGkrModel, untimed here: table2 and the CLI report it). Outputs are checked against the
 * engine. Rounds interleaved over N after an untimed warm-up; medians per point.
 */
import { runEngine } from '../../engine/runEngine.ts';
import { VerificationError } from '../../errors.ts';
import { loadGkrProver, type GkrProveResult } from '../../zk/loadGkrProver.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Progress } from '../createProgress.ts';
import type { Measurement } from '../types.ts';
import { buildGkrOneOpModel, GKR_MICRO_OPS } from './buildGkrOneOpModel.ts';
import { createQuietTimer } from './createQuietTimer.ts';
import { median, type MicroSettings } from './microOps.ts';
import { repetitionsFor, timeRepeatedStep } from './timeRepeatedStep.ts';

export interface MeasureGkrOpsParameters {
  /** The N of the ladder, ascending. */
  ladder: readonly number[];
  settings: MicroSettings;
  progress?: Progress;
}

export interface MeasureGkrOpsResult {
  measurements: Measurement[];
}

export async function measureGkrOps({ ladder, settings, progress }: MeasureGkrOpsParameters): Promise<MeasureGkrOpsResult> {
  const prover = await loadGkrProver();
  const samples = settings.gkr?.samples ?? settings.samples;
  const timer = createQuietTimer({ maxWaitMs: (settings.quietWaitS ?? 0) * 1000 });
  const points = GKR_MICRO_OPS.flatMap((op) => ladder.map((n) => {
    const built = buildGkrOneOpModel({ op, n, scaleBits: settings.scaleBits, valueBits: settings.valueBits, seed: settings.seed });
    progress?.phase(`gkr ${op}: commit the weights n=${n}`);
    const key = prover.setupGkrModel({ model: built.model });
    const expected = runEngine({ model: built.model, inputs: built.inputs }).outputs;
    return { op, n, ...built, key, expected };
  }));
  // Untimed warm-up, one of each op at the smallest N.
  for (const point of points.filter((p) => p.n === ladder[0])) prover.proveGkr({ key: point.key, inputs: point.inputs, commit: false });

  const times = new Map<string, number[]>();
  const push = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);
  const proofBytes = new Map<string, number>();
  for (let round = 1; round <= samples; round++) {
    for (const point of points) {
      const { op, n, key, inputs, expected } = point;
      progress?.phase(`gkr ${op}: prove n=${n} ${round}/${samples}`);
      const started = performance.now();
      const probe = prover.proveGkr({ key, inputs, commit: false });
      if (round === 1) {
        const got = probe.outputs[0]?.data ?? [];
        const mismatch = expected[0]!.data.findIndex((v, i) => Number(got[i]) !== v);
        if (mismatch >= 0 || got.length !== expected[0]!.data.length)
          throw new VerificationError(`gkr ${op} n=${n}: output element ${mismatch} is ${got[mismatch]}, the engine says ${expected[0]!.data[mismatch]}`, { hint: 'a bug in src/gkr', details: { op, n, index: mismatch } });
      }
      const reps = repetitionsFor({ firstRunMs: performance.now() - started, maxRepetitions: 200 });
      const noCommit = await timeRepeatedStep({ step: () => prover.proveGkr({ key, inputs, commit: false }), repetitions: reps, timer });
      push(`${op}|${n}|prove-no-commit`, noCommit.msPerRun);
      push(`${op}|${n}|protocol`, (noCommit.last as GkrProveResult).timingsMs.protocol);
      const withCommit = await timeRepeatedStep({ step: () => prover.proveGkr({ key, inputs, commit: true }), repetitions: Math.max(1, Math.floor(reps / 4)), timer });
      push(`${op}|${n}|prove-with-commit`, withCommit.msPerRun);
      proofBytes.set(`${op}|${n}`, (withCommit.last as GkrProveResult).proofBytes);
    }
  }

  const measurements: Measurement[] = [];
  for (const { op, n } of points) {
    for (const part of ['protocol', 'prove-no-commit', 'prove-with-commit']) {
      const ms = times.get(`${op}|${n}|${part}`)!;
      measurements.push({
        ...createMeasurement({
          metric: 'gkrProveTime', labels: { op, n, part }, unit: 'ms', kind: 'timing', samples: ms,
          note: part === 'protocol' ? 'the prover\'s own timing of its sumchecks and lookups (timingsMs.protocol)' : `proveGkr({ commit: ${part === 'prove-with-commit'} }) wall time`,
        }),
        median: median(ms),
      });
    }
    measurements.push(createMeasurement({ metric: 'gkrProofBytes', labels: { op, n, commit: 'yes' }, unit: 'bytes', kind: 'deterministic', value: proofBytes.get(`${op}|${n}`)! }));
  }
  return { measurements };
}
