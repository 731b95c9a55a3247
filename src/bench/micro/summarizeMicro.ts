/**
 * The micro suite's derived numbers, computed from the raw measurements (so they can be redone
 * after a merge): the marginal cost per operation as the least-squares slope over N (fixed
 * costs fall into the intercept; a timing enters by its median per N where one is recorded) with
 * its standard error, and the ratios the survey's claims are about — prove time / native time per
 * op, and ReLU / multiply in constraints and in time.
 */
import { createMeasurement } from '../createMeasurement.ts';
import { fitSlope } from '../fitSlope.ts';
import type { Measurement, RunResults } from '../types.ts';

export interface SummarizeMicroParameters {
  results: RunResults;
}

export type SummarizeMicroResult = Measurement[];

/** Time sources of marginalTime: witness, the provers, the native baselines. */
export const PROVER_SYSTEMS = ['groth16', 'plonk'] as const;
export const NATIVE_SYSTEMS = ['js-float', 'engine', 'onnxruntime'] as const;

/** Exact data (integer counts) fits exactly; drop the float round-off so reports read 9, not 9 ± 3e-15. */
function clean(value: number, standardError: number): { value: number; standardError: number } {
  const tiny = 1e-9 * Math.max(1, Math.abs(value));
  if (standardError < tiny) return { value: Math.round(value / tiny) * tiny === Math.round(value) ? Math.round(value) : value, standardError: 0 };
  return { value, standardError };
}

function ratio(numerator: Measurement, denominator: Measurement): { value: number; standardError: number } | undefined {
  if (!(numerator.value > 0) || !(denominator.value > 0)) return undefined;
  const value = numerator.value / denominator.value;
  const relative = Math.hypot((numerator.standardError ?? 0) / numerator.value, (denominator.standardError ?? 0) / denominator.value);
  return clean(value, value * relative);
}

export function summarizeMicro({ results }: SummarizeMicroParameters): SummarizeMicroResult {
  const raw = results.measurements.filter((m) => !m.derived);
  const ops = [...new Set(raw.map((m) => String(m.labels.op)))];
  const derived: Measurement[] = [];
  const marginal = new Map<string, Measurement>();
  const key = (op: string, system: string) => `${op}|${system}`;

  for (const op of ops) {
    const series = (metric: string, system?: string) =>
      raw.filter((m) => m.metric === metric && m.labels.op === op && (system === undefined || m.labels.system === system))
        // A timing's median where recorded (measureMicroOp): one disturbed sample must not tilt the slope.
        .map((m) => ({ x: Number(m.labels.n), y: m.median ?? m.value }));
    const medians = (metric: string, system?: string) =>
      raw.some((m) => m.metric === metric && m.labels.op === op && (system === undefined || m.labels.system === system) && m.median !== undefined);
    const constraintPoints = series('constraints');
    if (new Set(constraintPoints.map((p) => p.x)).size >= 2) {
      const fit = fitSlope({ name: `constraints of ${op}`, points: constraintPoints });
      const m = createMeasurement({
        metric: 'marginalConstraints', labels: { op }, unit: 'constraints/op', kind: 'deterministic', ...clean(fit.slope, fit.slopeStandardError), derived: true,
        note: `slope over N = ${[...new Set(constraintPoints.map((p) => p.x))].join(', ')}; intercept ${Math.abs(fit.intercept - Math.round(fit.intercept)) < 1e-6 ? Math.round(fit.intercept) : Number(fit.intercept.toPrecision(4))} constraints`,
      });
      m.samples = fit.points;
      derived.push(m);
      marginal.set(key(op, 'constraints'), m);
    }
    const timeSeries: Array<[string, string, string | undefined]> = [
      ['witness', 'witnessTime', undefined],
      ...PROVER_SYSTEMS.map((s) => [s, 'proveTime', s] as [string, string, string]),
      ...NATIVE_SYSTEMS.map((s) => [s, 'nativeTime', s] as [string, string, string]),
    ];
    for (const [system, metric, label] of timeSeries) {
      const points = series(metric, label);
      const sizes = [...new Set(points.map((p) => p.x))];
      if (sizes.length < 2) continue;
      const fit = fitSlope({ name: `${metric} of ${op} (${system})`, points });
      // Through two points the line fits exactly (R² = 1) and the residuals say nothing about the
      // noise: the slope's error then comes from the spread of the samples at the two sizes,
      // SE = √(se₁² + se₂²) / (N₂ − N₁) with se = stddev/√samples; without samples it is unknown,
      // and the slope is reported as not resolved (an error as large as the slope itself).
      let standardError = fit.slopeStandardError;
      let fitNote = `R² ${fit.rSquared.toFixed(3)}`;
      if (points.length === 2) {
        const spread = sizes.map((n) => raw.find((m) => m.metric === metric && m.labels.op === op && (label === undefined || m.labels.system === label) && Number(m.labels.n) === n));
        const pointErrors = spread.map((m) => (m && m.samples > 1 && m.stddev !== undefined ? m.stddev / Math.sqrt(m.samples) : undefined));
        standardError = pointErrors.every((e) => e !== undefined)
          ? Math.hypot(...(pointErrors as number[])) / Math.abs(sizes[1]! - sizes[0]!)
          : Math.abs(fit.slope);
        fitNote = pointErrors.every((e) => e !== undefined) ? 'two sizes: error from the samples\' spread at each' : 'two sizes with one sample each: no error estimate, not resolved';
      }
      if (!(fit.slope > 0)) fitNote += '; slope ≤ 0: noise larger than the per-op cost, not resolved';
      // ms per op → ns per op.
      const m = createMeasurement({
        metric: 'marginalTime', labels: { op, system }, unit: 'ns/op', kind: 'info', value: fit.slope * 1e6,
        standardError: standardError * 1e6, derived: true,
        note: `least-squares slope of the ${metric}'s ${medians(metric, label) ? 'median' : 'mean'} over N = ${sizes.join(', ')}; ${fitNote}`,
      });
      m.samples = fit.points;
      derived.push(m);
      marginal.set(key(op, system), m);
    }
  }

  // Prove time per op / native time per op, for every op (the survey speaks of multiply and ReLU).
  for (const op of ops) {
    for (const prover of [...PROVER_SYSTEMS, 'witness']) {
      for (const baseline of NATIVE_SYSTEMS) {
        const top = marginal.get(key(op, prover));
        const bottom = marginal.get(key(op, baseline));
        if (!top || !bottom) continue;
        const r = ratio(top, bottom);
        if (!r) continue;
        derived.push(createMeasurement({
          metric: 'overheadVsNative', labels: { op, prover, baseline }, unit: 'x', kind: 'info', value: r.value,
          standardError: r.standardError, derived: true, note: `marginal ${prover} time per op / marginal ${baseline} time per op`,
        }));
      }
    }
  }

  // ReLU / multiply, in constraints and in time, against the raw and the fixed-point multiply.
  const relus = ops.filter((op) => op.startsWith('relu-'));
  for (const versus of ['mul', 'fixed-mul']) {
    for (const relu of relus) {
      for (const measure of ['constraints', 'witness', ...PROVER_SYSTEMS]) {
        const top = marginal.get(key(relu, measure));
        const bottom = marginal.get(key(versus, measure));
        if (!top || !bottom) continue;
        const r = ratio(top, bottom);
        if (!r) continue;
        derived.push(createMeasurement({
          metric: 'reluOverMultiply', labels: { relu, versus, measure }, unit: 'x',
          kind: measure === 'constraints' ? 'deterministic' : 'info', value: r.value, standardError: r.standardError, derived: true,
          note: `marginal ${measure} per ${relu} / per ${versus}`,
        }));
      }
    }
  }
  // The other non-linear operations (sigmoid, tanh, softmax) / multiply, the same way: the
  // survey's "non-linear operations such as ReLU".
  const smooth = ops.filter((op) => op === 'sigmoid' || op === 'tanh' || op.startsWith('softmax-'));
  for (const versus of ['mul', 'fixed-mul', 'relu-16']) {
    for (const op of smooth) {
      for (const measure of ['constraints', 'witness', ...PROVER_SYSTEMS]) {
        const top = marginal.get(key(op, measure));
        const bottom = marginal.get(key(versus, measure));
        if (!top || !bottom) continue;
        const r = ratio(top, bottom);
        if (!r) continue;
        derived.push(createMeasurement({
          metric: 'nonLinearOverMultiply', labels: { op, versus, measure }, unit: 'x',
          kind: measure === 'constraints' ? 'deterministic' : 'info', value: r.value, standardError: r.standardError, derived: true,
          note: `marginal ${measure} per ${op} / per ${versus}`,
        }));
      }
    }
  }
  return derived;
}
