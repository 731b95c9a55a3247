/**
 * The micro suite's whole-model reading for the sumcheck/GKR prover (issue 10; the survey's
 * "200×" read as prover time / native inference): one zoo model, its weights committed once
 * (setupGkrModel, reported as the one-time cost), then timed repetitions of the proof with the
 * commitment (and its protocol part), of onnxruntime inference (one thread, float) and of the
 * engine (the same integers the prover proves), medians per series. The first proof is checked
 * against the engine and verified from its serialized bytes (proveGkrInference).
 */
import { createEngine } from '../../engine/createEngine.ts';
import { createNativeSession } from '../../native/createNativeSession.ts';
import { loadGkrProver, type GkrProveResult } from '../../zk/loadGkrProver.ts';
import { proveGkrInference } from '../../zk/proveGkrInference.ts';
import { loadBenchModel } from '../table2/loadBenchModel.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Progress } from '../createProgress.ts';
import type { Measurement } from '../types.ts';
import { createQuietTimer } from './createQuietTimer.ts';
import { median, type MicroSettings } from './microOps.ts';
import { repetitionsFor, timeRepeatedStep } from './timeRepeatedStep.ts';

export interface MeasureGkrInferenceParameters {
  /** A zoo name or an .onnx path. */
  model: string;
  settings: MicroSettings;
  progress?: Progress;
}

export interface MeasureGkrInferenceResult {
  measurements: Measurement[];
}

export async function measureGkrInference({ model: name, settings, progress }: MeasureGkrInferenceParameters): Promise<MeasureGkrInferenceResult> {
  const prover = await loadGkrProver();
  const samples = settings.gkr?.samples ?? settings.samples;
  const timer = createQuietTimer({ maxWaitMs: (settings.quietWaitS ?? 0) * 1000 });
  const loaded = loadBenchModel({ model: name });
  const labels = { op: 'gkr-model', model: loaded.name };
  progress?.phase(`gkr ${loaded.name}: commit the weights, prove, verify`);
  const first = await proveGkrInference({ model: loaded.model, inputs: loaded.inputs });
  const { key } = first;

  const series: Record<string, number[]> = { protocol: [], 'prove-with-commit': [], 'prove-wall': [], onnxruntime: [], engine: [] };
  const session = await createNativeSession({ file: loaded.file, threads: 1 });
  try {
    const engine = createEngine({ model: loaded.model });
    let started = performance.now();
    await session.run(loaded.floatInputs);
    const nativeReps = repetitionsFor({ firstRunMs: performance.now() - started });
    started = performance.now();
    engine.run(loaded.inputs);
    const engineReps = repetitionsFor({ firstRunMs: performance.now() - started });
    for (let round = 1; round <= samples; round++) {
      progress?.phase(`gkr ${loaded.name}: prove ${round}/${samples}`);
      const proved = await timeRepeatedStep({ step: () => prover.proveGkr({ key, inputs: loaded.inputs, commit: true }), repetitions: 1, timer });
      const result = proved.last as GkrProveResult;
      series['prove-wall']!.push(proved.msPerRun);
      series['prove-with-commit']!.push(result.timingsMs.prove);
      series.protocol!.push(result.timingsMs.protocol);
      series.onnxruntime!.push((await timeRepeatedStep({ step: () => session.run(loaded.floatInputs), repetitions: nativeReps, timer })).msPerRun);
      series.engine!.push((await timeRepeatedStep({ step: () => engine.run(loaded.inputs), repetitions: engineReps, timer })).msPerRun);
    }
  } finally {
    await session.close();
  }

  const timing = (metric: string, extra: Record<string, string>, ms: number[], note: string) =>
    ({ ...createMeasurement({ metric, labels: { ...labels, ...extra }, unit: 'ms', kind: 'timing', samples: ms, note }), median: median(ms) });
  return {
    measurements: [
      timing('gkrProveTime', { part: 'prove-with-commit' }, series['prove-with-commit']!, 'the prover\'s timing of the whole proof (witness, protocol, commitment, opening); weights committed beforehand'),
      timing('gkrProveTime', { part: 'protocol' }, series.protocol!, 'the prover\'s timing of its sumchecks and lookups alone (no commitment)'),
      timing('gkrProveWallTime', {}, series['prove-wall']!, 'proveGkr({ commit: true }) wall time'),
      timing('gkrNativeTime', { baseline: 'onnxruntime' }, series.onnxruntime!, 'onnxruntime-node float inference, one thread, batch 1'),
      timing('gkrNativeTime', { baseline: 'engine' }, series.engine!, 'the fixed-point engine (the integers the prover proves), one thread'),
      createMeasurement({ metric: 'gkrSetupTime', labels, unit: 'ms', kind: 'info', value: first.setupMs, note: 'one-time per model: committing the weights' }),
      createMeasurement({ metric: 'gkrVerifyTime', labels, unit: 'ms', kind: 'timing', samples: [first.verifyMs ?? 0], note: 'verifyGkr of the deserialized proof' }),
      createMeasurement({ metric: 'gkrProofBytes', labels, unit: 'bytes', kind: 'deterministic', value: first.proofBytes }),
      createMeasurement({ metric: 'gkrCommittedElements', labels, unit: 'elements', kind: 'deterministic', value: first.sizes.committedElements }),
      createMeasurement({ metric: 'gkrLookups', labels, unit: 'lookups', kind: 'deterministic', value: first.sizes.lookups }),
    ],
  };
}
