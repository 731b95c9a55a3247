/**
 * The derived numbers of the micro suite's sumcheck/GKR part (measureGkrMatMul, measureGkrOps,
 * measureGkrInference), computed from the raw measurements so they can be redone after a merge:
 *   - the matmul ladder: prover time / native time of the same n × n product, per n, per prover
 *     part (protocol = sumchecks without the commitment; the whole call without and with it) and
 *     per baseline (the engine's integer arithmetic, onnxruntime) — the survey's "4×";
 *   - ReLU by lookup / multiply-accumulate in the same prover: marginal prover time per op, the
 *     least-squares slope over N of one-op models (the lookup table is a fixed cost: intercept);
 *   - whole model: prover time / native inference time (the "200×" read as prover vs native).
 * Every timing enters by its median over the repetitions.
 */
import { createMeasurement } from '../createMeasurement.ts';
import { fitSlope } from '../fitSlope.ts';
import type { Measurement, RunResults } from '../types.ts';

export interface SummarizeGkrMicroParameters {
  results: Pick<RunResults, 'measurements'>;
}

export type SummarizeGkrMicroResult = Measurement[];

/** Prover parts timed by the gkr micro items: `protocol` is what the 4× claim is about. */
export const GKR_PROVER_PARTS = ['protocol', 'prove-no-commit', 'prove-with-commit'] as const;
export type GkrProverPart = (typeof GKR_PROVER_PARTS)[number];
export const GKR_NATIVE_BASELINES = ['engine', 'engine-in-prover', 'onnxruntime'] as const;

const middle = (m: Measurement) => m.median ?? m.value;

const PART_TEXT: Record<string, string> = {
  protocol: 'sumcheck protocol alone (no commitment)',
  'prove-no-commit': 'whole prover call without the commitment',
  'prove-with-commit': 'whole prover call with the commitment and its opening',
};

export function summarizeGkrMicro({ results }: SummarizeGkrMicroParameters): SummarizeGkrMicroResult {
  const raw = results.measurements.filter((m) => !m.derived);
  const derived: Measurement[] = [];

  // Matmul ladder: per n, part and baseline.
  const native = new Map<string, Measurement>();
  for (const m of raw.filter((m) => m.metric === 'gkrNativeTime' && m.labels.op === 'gkr-matmul')) native.set(`${m.labels.n}|${m.labels.baseline}`, m);
  for (const prover of raw.filter((m) => m.metric === 'gkrProveTime' && m.labels.op === 'gkr-matmul')) {
    for (const baseline of GKR_NATIVE_BASELINES) {
      const bottom = native.get(`${prover.labels.n}|${baseline}`);
      if (!bottom || !(middle(bottom) > 0)) continue;
      derived.push(createMeasurement({
        metric: 'gkrMatMulOverhead', labels: { op: 'gkr-matmul', n: prover.labels.n!, part: String(prover.labels.part), baseline }, unit: 'x', kind: 'info',
        value: middle(prover) / middle(bottom), derived: true,
        note: `median ${PART_TEXT[String(prover.labels.part)] ?? prover.labels.part} / median ${baseline} time of the same ${prover.labels.n} × ${prover.labels.n} integer product`,
      }));
    }
  }

  // ReLU by lookup vs multiply-accumulate: marginal prover time per op.
  const marginal = new Map<string, Measurement>();
  const opsMeasured = [...new Set(raw.filter((m) => m.metric === 'gkrProveTime' && (m.labels.op === 'gkr-relu' || m.labels.op === 'gkr-dot')).map((m) => `${m.labels.op}|${m.labels.part}`))];
  for (const key of opsMeasured) {
    const [op, part] = key.split('|') as [string, string];
    const points = raw.filter((m) => m.metric === 'gkrProveTime' && m.labels.op === op && m.labels.part === part).map((m) => ({ x: Number(m.labels.n), y: middle(m) }));
    if (new Set(points.map((p) => p.x)).size < 2) continue;
    const fit = fitSlope({ name: `gkr prove time of ${op} (${part})`, points });
    const m = createMeasurement({
      metric: 'gkrMarginalTime', labels: { op, part }, unit: 'ns/op', kind: 'info', value: fit.slope * 1e6, standardError: fit.slopeStandardError * 1e6, derived: true,
      note: `least-squares slope of the median ${PART_TEXT[part] ?? part} time over N = ${[...new Set(points.map((p) => p.x))].join(', ')}; intercept ${Number(fit.intercept.toPrecision(4))} ms; R² ${fit.rSquared.toFixed(3)}`,
    });
    m.samples = fit.points;
    derived.push(m);
    marginal.set(key, m);
  }
  for (const part of GKR_PROVER_PARTS) {
    const relu = marginal.get(`gkr-relu|${part}`);
    const mac = marginal.get(`gkr-dot|${part}`);
    if (!relu || !mac || !(relu.value > 0) || !(mac.value > 0)) continue;
    const value = relu.value / mac.value;
    const relative = Math.hypot((relu.standardError ?? 0) / relu.value, (mac.standardError ?? 0) / mac.value);
    derived.push(createMeasurement({
      metric: 'gkrReluOverMac', labels: { op: 'gkr-relu', part }, unit: 'x', kind: 'info', value, standardError: value * relative, derived: true,
      note: `marginal ${PART_TEXT[part] ?? part} time per ReLU (a LogUp lookup) / per multiply-accumulate (a dot product against committed weights), same prover`,
    }));
  }

  // Whole model: prover / native inference.
  const modelNative = raw.filter((m) => m.metric === 'gkrNativeTime' && m.labels.op === 'gkr-model');
  for (const prover of raw.filter((m) => m.metric === 'gkrProveTime' && m.labels.op === 'gkr-model')) {
    for (const bottom of modelNative.filter((m) => m.labels.model === prover.labels.model)) {
      if (!(middle(bottom) > 0)) continue;
      derived.push(createMeasurement({
        metric: 'gkrModelOverNative', labels: { op: 'gkr-model', model: String(prover.labels.model), part: String(prover.labels.part), baseline: String(bottom.labels.baseline) }, unit: 'x', kind: 'info',
        value: middle(prover) / middle(bottom), derived: true,
        note: `median ${PART_TEXT[String(prover.labels.part)] ?? prover.labels.part} time / median ${bottom.labels.baseline} inference time of ${prover.labels.model}`,
      }));
    }
  }
  return derived;
}
