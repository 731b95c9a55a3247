/**
 * Owns one work item of the table2/scaling/quick suites: the opML or zkML side of one model,
 * run either in a child process under the settings' time and memory limits (runAttempt.ts) or
 * in this process (quick, where start-up time matters), recorded with the attempt's outcome:
 * `attempt{model,path}` (1 completed, 0 failed; the note says why), its wall time and the
 * highest resident memory of its process group.
 */
import { createMeasurement } from '../../createMeasurement.ts';
import type { Measurement } from '../../types.ts';
import type { Progress } from '../../createProgress.ts';
import { runAttempt, type AttemptPath, type AttemptRequest } from '../../table2/runAttempt.ts';
import { runAttemptRequest } from '../../table2/attemptWorker.ts';
import { loadBenchModel } from '../../table2/loadBenchModel.ts';
import { resolveModel } from '../../../zoo/resolveModel.ts';
import { peakRssBytes } from '../../../zk/types.ts';
import type { Table2Settings } from './resolveTable2Settings.ts';

export interface MeasureAttemptParameters {
  settings: Table2Settings;
  /** `zkML-public` / `zkML-hashed`: the zkML path in that input mode, beside the run's default (`settings.zkInputs`). */
  path: AttemptPath | 'zkML-public' | 'zkML-hashed';
  model: string;
  progress?: Progress;
  /** Set when a smaller model of the ladder already failed on this path: record that instead of trying. */
  skippedBecause?: string;
  /** `--rpc-url`: run the on-chain parts on this endpoint instead of local anvils. */
  rpcUrl?: string;
  /** The model name the measurements carry when `model` is a file path (its stem, as loadBenchModel names it). */
  modelLabel?: string;
}

export interface MeasureAttemptResult {
  measurements: Measurement[];
  completed: boolean;
  /** It failed on a limit (time, memory): larger models of the ladder are not tried. */
  limitHit: boolean;
}

/** Parameters from the zoo's metadata, or counted from the quantized model for a file outside it. */
function modelParameters(model: string): number {
  const metadata = resolveModel(model).metadata;
  return metadata?.parameters ?? loadBenchModel({ model }).parameters;
}

export async function measureAttempt({ settings, path, model, progress, skippedBecause, rpcUrl, modelLabel }: MeasureAttemptParameters): Promise<MeasureAttemptResult> {
  const labels = { model: modelLabel ?? model, path };
  const outcome = (completed: boolean, note: string): Measurement =>
    createMeasurement({ metric: 'attempt', labels, unit: 'completed', kind: 'info', value: completed ? 1 : 0, note });
  const parameters = createMeasurement({ metric: 'attemptParameters', labels, unit: 'parameters', kind: 'info', value: modelParameters(model) });
  if (skippedBecause) return { measurements: [parameters, outcome(false, skippedBecause)], completed: false, limitHit: false };
  // The input mode: the run's (--inputs), or the one a zkML-<mode> item names. Measurements of a
  // hashed run carry inputs=hashed, and so does a public run beside a hashed default, so that the
  // default mode's metric names stay what they always were (the ci baseline compares them).
  const beside = path === 'zkML-public' ? 'public' : path === 'zkML-hashed' ? 'hashed' : undefined;
  const inputs = beside ?? settings.zkInputs ?? 'public';
  const inputsLabel = inputs === 'hashed' || (beside !== undefined && beside !== (settings.zkInputs ?? 'public')) ? inputs : undefined;
  const request: AttemptRequest = {
    path: beside ? 'zkML' : (path as AttemptPath), model, inferenceSamples: settings.inferenceSamples,
    game: { arity: settings.arity, challengeWindowSeconds: settings.challengeWindowSeconds, clockSeconds: settings.clockSeconds, bondWei: settings.bondWei },
    system: settings.system, circuit: { weights: 'constant', relu: 'bounded', inputs },
    ...(inputsLabel ? { inputsLabel } : {}),
    codeSizeLimit: settings.codeSizeLimit ?? true,
    ...(rpcUrl ? { rpcUrl } : {}),
  };
  const onPhase = (phase: string) => progress?.phase(phase);
  if (!settings.isolate) {
    const started = performance.now();
    const report = await runAttemptRequest(request, onPhase);
    const wallMs = performance.now() - started;
    return {
      completed: true,
      limitHit: false,
      measurements: [
        parameters, ...report.measurements, outcome(true, `completed in this process in ${(wallMs / 1000).toFixed(1)} s (no limits)`),
        createMeasurement({ metric: 'attemptWallTime', labels, unit: 'ms', kind: 'info', value: wallMs }),
        createMeasurement({ metric: 'attemptPeakMemory', labels, unit: 'bytes', kind: 'info', value: peakRssBytes(), note: 'this process\'s RSS high-water mark so far (in-process run)' }),
      ],
    };
  }
  const memoryCapBytes = settings.memoryCapMiB * 2 ** 20;
  let result = await runAttempt({ request, timeLimitSeconds: settings.timeLimitSeconds, memoryCapBytes, onPhase });
  let retried = '';
  // An unsupported model fails the same way every time: no retry.
  if (!result.completed && !result.limitHit && !/UnsupportedModelError/.test(result.failure ?? '')) {
    // An error that is not a limit (a tool failing, a cache written by another process) gets one more try.
    retried = ` (retried once after: ${result.failure})`;
    progress?.phase(`retry after: ${result.failure!.slice(0, 80)}`);
    result = await runAttempt({ request, timeLimitSeconds: settings.timeLimitSeconds, memoryCapBytes, onPhase });
  }
  return {
    completed: result.completed,
    limitHit: result.limitHit,
    measurements: [
      parameters,
      ...result.measurements,
      outcome(result.completed, (result.completed
        ? `completed in ${(result.wallMs / 1000).toFixed(1)} s, peak ${Math.round(result.peakGroupRssBytes / 2 ** 20)} MiB (limits ${settings.timeLimitSeconds} s, ${settings.memoryCapMiB} MiB)`
        : result.failure!) + retried),
      createMeasurement({ metric: 'attemptWallTime', labels, unit: 'ms', kind: 'info', value: result.wallMs, note: 'child process start to exit, including start-up' }),
      createMeasurement({ metric: 'attemptPeakMemory', labels, unit: 'bytes', kind: 'info', value: result.peakGroupRssBytes, note: 'highest resident memory of the attempt\'s process group (anvil included), sampled every 200 ms' }),
    ],
  };
}
