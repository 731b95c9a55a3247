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
import { runAttempt, type AttemptPath, type AttemptRequest, type RunAttemptResult } from '../../table2/runAttempt.ts';
import { runAttemptRequest } from '../../table2/attemptWorker.ts';
import { calibrateBenchModel } from '../../table2/calibrateBenchModel.ts';
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

/** What an attempt charged to each budget, whether it got past its one-time steps, and which limit ended it (issue 14). */
function budgetMeasurements(labels: { model: string; path: string }, result: RunAttemptResult, limits: { timeLimitSeconds: number; setupTimeLimitSeconds: number }): Measurement[] {
  const { budgets } = result;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const out = [
    createMeasurement({ metric: 'attemptSetupTime', labels, unit: 'ms', kind: 'info', value: budgets.setupMs,
      note: `one-time work charged to --setup-time-limit (${limits.setupTimeLimitSeconds} s): ${s(budgets.setupMs - budgets.cachedBuildMs)} in this run${budgets.cachedBuildMs > 0 ? ` + ${s(budgets.cachedBuildMs)} recorded build time of artefacts taken from the cache` : ''}` }),
    createMeasurement({ metric: 'attemptInferenceTime', labels, unit: 'ms', kind: 'info', value: budgets.inferenceMs,
      note: `per-inference work and its checks, charged to --time-limit (${limits.timeLimitSeconds} s); besides: timing repetitions ${s(budgets.repeatMs)}, process start-up ${s(budgets.startupMs)} (charged to neither)` }),
    createMeasurement({ metric: 'attemptSetupDone', labels, unit: 'done', kind: 'info', value: budgets.setupDone ? 1 : 0, note: 'the attempt got past its one-time steps' }),
  ];
  if (result.limit)
    out.push(createMeasurement({ metric: 'attemptLimitHit', labels: { ...labels, limit: result.limit, phase: result.lastPhase }, unit: 'hit', kind: 'info', value: 1, note: 'the limit that ended the attempt, and the phase it was in' }));
  return out;
}

export async function measureAttempt({ settings, path, model, progress, skippedBecause, rpcUrl, modelLabel }: MeasureAttemptParameters): Promise<MeasureAttemptResult> {
  const labels = { model: modelLabel ?? model, path };
  const outcome = (completed: boolean, note: string): Measurement =>
    createMeasurement({ metric: 'attempt', labels, unit: 'completed', kind: 'info', value: completed ? 1 : 0, note });
  const parameters = createMeasurement({ metric: 'attemptParameters', labels, unit: 'parameters', kind: 'info', value: modelParameters(model) });
  if (skippedBecause) return { measurements: [parameters, outcome(false, skippedBecause)], completed: false, limitHit: false };
  // A model brought as a file from outside the zoo runs at its calibrated settings (a zoo model
  // at its own). The bench's own generated models (the gkr ladder past the zoo, which carry a
  // modelLabel) keep the default settings, like the zoo ladder they continue.
  let calibration: Awaited<ReturnType<typeof calibrateBenchModel>>;
  let calibrationFailure: string | undefined;
  try {
    if (!modelLabel) calibration = await calibrateBenchModel({ model });
  } catch (error) {
    // The attempt then fails its own way (an unsupported model) or runs at the defaults, noted.
    calibrationFailure = (error as Error).message.split('\n')[0];
  }
  // The input mode: the run's (--inputs), or the one a zkML-<mode> item names. Measurements of a
  // hashed run carry inputs=hashed, and so does a public run beside a hashed default, so that the
  // default mode's metric names stay what they always were (the ci baseline compares them).
  const beside = path === 'zkML-public' ? 'public' : path === 'zkML-hashed' ? 'hashed' : undefined;
  const inputs = beside ?? settings.zkInputs ?? 'public';
  const inputsLabel = inputs === 'hashed' || (beside !== undefined && beside !== (settings.zkInputs ?? 'public')) ? inputs : undefined;
  const request: AttemptRequest = {
    path: beside ? 'zkML' : (path as AttemptPath), model, inferenceSamples: settings.inferenceSamples, repetitions: settings.repetitions ?? 1,
    // In this process (quick) nothing enforces a budget: the repetitions get a quarter of the time limit as in a child.
    repeatBudgetMs: ((settings.timeLimitSeconds ?? 150) * 1000) / 4,
    ...(calibration ? { scaleBits: calibration.scaleBits, valueBits: calibration.valueBits } : {}),
    game: { arity: settings.arity, challengeWindowSeconds: settings.challengeWindowSeconds, clockSeconds: settings.clockSeconds, bondWei: settings.bondWei },
    system: settings.system, circuit: { weights: 'constant', relu: 'bounded', inputs },
    ...(inputsLabel ? { inputsLabel } : {}),
    codeSizeLimit: settings.codeSizeLimit ?? true,
    ...(rpcUrl ? { rpcUrl } : {}),
  };
  const calibrationInfo = calibration
    ? [createMeasurement({
      metric: 'attemptScaleBits', labels, unit: 'bits', kind: 'info', value: calibration.scaleBits,
      note: `calibrated (the model is not in the zoo): scaleBits ${calibration.scaleBits}, valueBits ${calibration.valueBits}, max error ${(calibration.relativeError * 100).toPrecision(2)}% of the largest output on ${calibration.samplesSource}`,
    })]
    : calibrationFailure
      ? [createMeasurement({ metric: 'attemptScaleBits', labels, unit: 'bits', kind: 'info', value: 0, note: `calibration failed (${calibrationFailure}): the default settings apply` })]
      : [];
  const onPhase = (phase: string) => progress?.phase(phase);
  if (!settings.isolate) {
    const started = performance.now();
    const report = await runAttemptRequest(request, onPhase);
    const wallMs = performance.now() - started;
    return {
      completed: true,
      limitHit: false,
      measurements: [
        parameters, ...calibrationInfo, ...report.measurements, outcome(true, `completed in this process in ${(wallMs / 1000).toFixed(1)} s (no limits)`),
        createMeasurement({ metric: 'attemptWallTime', labels, unit: 'ms', kind: 'info', value: wallMs }),
        createMeasurement({ metric: 'attemptPeakMemory', labels, unit: 'bytes', kind: 'info', value: peakRssBytes(), note: 'this process\'s RSS high-water mark so far (in-process run)' }),
      ],
    };
  }
  const memoryCapBytes = settings.memoryCapMiB * 2 ** 20;
  const limits = { timeLimitSeconds: settings.timeLimitSeconds, setupTimeLimitSeconds: settings.setupTimeLimitSeconds ?? settings.timeLimitSeconds, memoryCapBytes };
  let result = await runAttempt({ request, ...limits, onPhase });
  let retried = '';
  // An unsupported model fails the same way every time: no retry.
  if (!result.completed && !result.limitHit && !/UnsupportedModelError/.test(result.failure ?? '')) {
    // An error that is not a limit (a tool failing, a cache written by another process) gets one more try.
    retried = ` (retried once after: ${result.failure})`;
    progress?.phase(`retry after: ${result.failure!.slice(0, 80)}`);
    result = await runAttempt({ request, ...limits, onPhase });
  }
  return {
    completed: result.completed,
    limitHit: result.limitHit,
    measurements: [
      parameters,
      ...calibrationInfo,
      ...result.measurements,
      outcome(result.completed, (result.completed
        ? `completed in ${(result.wallMs / 1000).toFixed(1)} s, peak ${Math.round(result.peakGroupRssBytes / 2 ** 20)} MiB (limits: one-time ${limits.setupTimeLimitSeconds} s, per-inference ${settings.timeLimitSeconds} s, ${settings.memoryCapMiB} MiB)`
        : result.failure!) + retried),
      createMeasurement({ metric: 'attemptWallTime', labels, unit: 'ms', kind: 'info', value: result.wallMs, note: 'child process start to exit, including start-up' }),
      ...budgetMeasurements(labels, result, limits),
      createMeasurement({ metric: 'attemptPeakMemory', labels, unit: 'bytes', kind: 'info', value: result.peakGroupRssBytes, note: 'highest resident memory of the attempt\'s process group (anvil included), sampled every 200 ms' }),
    ],
  };
}
