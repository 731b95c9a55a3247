/**
 * Owns the two time budgets of a table2/scaling attempt (issue 14) and the records that go with
 * them. One-time costs — loading and quantizing the model, generating and compiling the circuit,
 * the powers of tau, the proving key, the VM program, the gkr weight commitment — count against
 * `--setup-time-limit`; everything done per inference (witness, prove, verify, trace, re-execution)
 * and the checks around it (tampering, on-chain submission, the dispute game) against
 * `--time-limit`. The extra timing repetitions count against neither (so the repetition count
 * cannot move a Model Size threshold); they stop by themselves within a quarter of --time-limit.
 *
 * A one-time artefact taken from the cache is charged the build time recorded when it was built
 * (src/zk/buildRecord.ts, compileCircuit's marker): the one-time cost of a model is then the same
 * figure from an empty cache and from a warm one, and so is where a path stops on the ladder.
 * Every one-time step is recorded (built now or from the cache, and what building took).
 */
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import { createQuietTimer } from '../micro/createQuietTimer.ts';
import { median } from '../micro/microOps.ts';

/** The child's stdout protocol (attemptWorker.ts → runAttempt.ts): `@@phase <budget> <name>`, `@@charge <ms>`, `@@result <json>`. */
export const PHASE_PREFIX = '@@phase ';
export const RESULT_PREFIX = '@@result ';
export const CHARGE_PREFIX = '@@charge ';

/** What a phase's wall time counts against: `setup` (--setup-time-limit), `inference` (--time-limit), `repeat` (neither; self-limited). */
export type AttemptBudget = 'setup' | 'inference' | 'repeat';

/** Which limit ended an attempt. */
export type AttemptLimit = 'setup-time' | 'time' | 'memory';

export const ATTEMPT_BUDGETS: readonly AttemptBudget[] = ['setup', 'inference', 'repeat'];

/** A phase starts; its time counts against `budget` (default `inference`). */
export type OnAttemptPhase = (phase: string, budget?: AttemptBudget) => void;

/** One one-time step of an attempt: built in this run, or taken from the cache. */
export interface OneTimeStep {
  /** e.g. `circuit` (generate + compile), `ptau`, `key`, `vm-program`, `gkr-commitment`, `model` (load + quantize). */
  step: string;
  built: boolean;
  /** What building it took, ms: measured now when built; the recorded figure when cached (undefined: not recorded). */
  builtMs?: number;
  /** Wall time this run spent on the step (building it, or finding and loading it), ms. */
  wallMs: number;
}

/** A one-time step finished: the caller charges a cached artefact's recorded build time to the setup budget. */
export type OnOneTimeStep = (step: OneTimeStep) => void;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
/** A duration in the unit a reader thinks in: ms below a second (a gkr witness takes 0.3 ms), else s. */
const duration = (ms: number) => (ms < 1000 ? `${Number(ms.toPrecision(3))} ms` : seconds(ms));

/** The measurements of a one-time step: `oneTimeBuilt` (1 built now, 0 from the cache) and, when known, `oneTimeBuildTime` (ms). */
export function oneTimeStepMeasurements(labels: { model: string; path: string; inputs?: string }, step: OneTimeStep): Measurement[] {
  const stepLabels = { ...labels, step: step.step };
  const how = step.built
    ? `built in this run in ${seconds(step.builtMs ?? step.wallMs)}`
    : `taken from the cache in ${seconds(step.wallMs)}; ${step.builtMs !== undefined ? `building it took ${seconds(step.builtMs)} when it was built (charged to the setup budget)` : 'its build time was not recorded (cached before build records existed): charged nothing'}`;
  const out = [createMeasurement({ metric: 'oneTimeBuilt', labels: stepLabels, unit: 'built', kind: 'info', value: step.built ? 1 : 0, note: how })];
  if (step.builtMs !== undefined)
    out.push(createMeasurement({ metric: 'oneTimeBuildTime', labels: stepLabels, unit: 'ms', kind: 'info', value: step.builtMs, note: step.built ? 'measured in this run' : 'recorded when the cached artefact was built' }));
  return out;
}

/**
 * Times `step` and reports it as a one-time step: `cached` and `recordedMs` come from the step's
 * own result (a cache hit and the build time recorded with it).
 */
export async function runOneTimeStep<T>(parameters: {
  step: string;
  run: () => Promise<T> | T;
  /** From the result: taken from the cache, and the build time recorded with it. */
  cacheState?: (result: T) => { cached: boolean; builtMs?: number };
  onStep: OnOneTimeStep;
}): Promise<T> {
  const started = performance.now();
  const result = await parameters.run();
  const wallMs = performance.now() - started;
  const state = parameters.cacheState?.(result) ?? { cached: false };
  parameters.onStep({ step: parameters.step, built: !state.cached, builtMs: state.cached ? state.builtMs : (state.builtMs ?? wallMs), wallMs });
  return result;
}

export interface RepeatInferenceParameters<K extends string> {
  /** Samples wanted in all, the first run included (≥ 1). */
  repetitions: number;
  /** The first run's figures (already measured, in the attempt's per-inference phase). */
  first: Record<K, number>;
  /** One more run; returns the same figures. */
  run: () => Promise<Record<K, number>>;
  /** Stop adding runs once the next would pass this much wall time, ms. */
  budgetMs: number;
}

export interface RepeatInferenceResult<K extends string> {
  samples: Record<K, number[]>;
  /** Runs kept although other processes used the CPU during them (createQuietTimer). */
  contended: number;
  /** Runs retaken because other processes used the CPU. */
  retakes: number;
  /** Fewer runs than asked for, because the budget ran out. */
  stoppedByBudget: boolean;
}

/**
 * Repeats a per-inference step for its timing spread, as the micro suite times its steps: each
 * run inside a quiet-timer window (retaken, within a small waiting budget, when other processes
 * used the CPU meanwhile), the figure kept per run; the caller reports the median and the spread.
 */
export async function repeatInference<K extends string>({ repetitions, first, run, budgetMs }: RepeatInferenceParameters<K>): Promise<RepeatInferenceResult<K>> {
  const keys = Object.keys(first) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [first[key]]])) as Record<K, number[]>;
  // A short waiting budget: table2 has many attempts, and a loaded machine must not stall them.
  const timer = createQuietTimer({ maxWaitMs: Math.min(5000, budgetMs / 4) });
  const started = performance.now();
  let last = 0;
  let stoppedByBudget = false;
  for (let taken = 1; taken < repetitions; taken++) {
    const elapsed = performance.now() - started;
    if (elapsed + last > budgetMs) {
      stoppedByBudget = true;
      break;
    }
    const runStarted = performance.now();
    const timed = await timer.time(run);
    last = (performance.now() - runStarted) / (timed.retakes + 1);
    for (const key of keys) samples[key].push(timed.value[key]);
  }
  const stats = timer.stats();
  return { samples, contended: stats.contended, retakes: stats.retakes, stoppedByBudget };
}

/** A timing from repeated samples: mean, stddev, min, max (createMeasurement) and the median, which Table II shows. */
export function repeatedTiming(parameters: { metric: string; labels: Record<string, string | number>; samples: number[]; note?: string; repeat?: Pick<RepeatInferenceResult<string>, 'contended' | 'stoppedByBudget'> }): Measurement {
  const { samples, repeat } = parameters;
  const spread = samples.length > 1
    ? `median of ${samples.length} runs (the first in a fresh process), range ${duration(Math.min(...samples))}–${duration(Math.max(...samples))}${repeat?.contended ? `, ${repeat.contended} run(s) while other processes used the CPU` : ''}${repeat?.stoppedByBudget ? '; fewer runs than asked: the repetitions\' time budget ran out' : ''}`
    : 'one run';
  const measurement = createMeasurement({ metric: parameters.metric, labels: parameters.labels, unit: 'ms', kind: 'timing', samples, note: parameters.note ? `${parameters.note}; ${spread}` : spread });
  return samples.length > 1 ? { ...measurement, median: median(samples) } : measurement;
}
