/**
 * The micro suite's matmul ladder for the sumcheck/GKR prover (issue 10), the measurement behind
 * the survey's "multiplication 4×": for each n, C = A·B of two n × n matrices of 16-bit signed
 * integers (seeded) —
 *   - natively: the engine's integer arithmetic (multiplyIntegerMatrices: float64 loops, one
 *     thread) and onnxruntime-node (a one-op float32 MatMul model, one thread);
 *   - proved by proveMatMulGkr (Thaler's matmul sumcheck): without the commitment (the claim's
 *     setting): the prover's `protocol` time (after C is computed), its own time for C in the
 *     same calls, and the whole call; with the commitment where the prover offers one; plus the
 *     proof's bytes, its sumcheck rounds and its verification.
 * The product the prover returns is checked against the engine's, element by element. Proofs are
 * timed in rounds interleaved over the ladder after one untimed warm-up, each sample a batch of
 * at least ~20 ms on a quiet machine (timeRepeatedStep); the ratios use the median per point.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VerificationError } from '../../errors.ts';
import { createNativeSession } from '../../native/createNativeSession.ts';
import { loadGkrProver, type GkrMatMulResult } from '../../zk/loadGkrProver.ts';
import { createPrng } from '../../zoo/createPrng.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Progress } from '../createProgress.ts';
import type { Measurement } from '../types.ts';
import { createQuietTimer } from './createQuietTimer.ts';
import { median, type MicroSettings } from './microOps.ts';
import { multiplyIntegerMatrices } from './multiplyIntegerMatrices.ts';
import { repetitionsFor, timeRepeatedStep } from './timeRepeatedStep.ts';
import { writeOneOpOnnx } from './writeOneOpOnnx.ts';

export interface MeasureGkrMatMulParameters {
  /** The n of the ladder, ascending. */
  ladder: readonly number[];
  settings: MicroSettings;
  cacheDir: string;
  progress?: Progress;
  /** Measure the onnxruntime baseline too (default true). */
  onnxruntime?: boolean;
}

export interface MeasureGkrMatMulResult {
  measurements: Measurement[];
}

/** Bits of the matrices' signed entries: the engine's 16-bit activation range. */
export const GKR_MATMUL_OPERAND_BITS = 16;

/** Seeded n × n matrices of signed `bits`-bit integers. */
export function gkrMatMulOperands({ n, seed }: { n: number; seed: number }): { a: Float64Array; b: Float64Array } {
  const prng = createPrng({ seed: seed * 7919 + n });
  const range = 2 ** GKR_MATMUL_OPERAND_BITS;
  const draw = () => Float64Array.from({ length: n * n }, () => Math.floor(prng.next() * range) - range / 2);
  return { a: draw(), b: draw() };
}

interface Series {
  ms: number[];
  retakes: number;
  contended: number;
}

function checkProduct(n: number, result: GkrMatMulResult, expected: Float64Array): void {
  for (let i = 0; i < n * n; i++) {
    if (Number(result.c[i]) !== expected[i])
      throw new VerificationError(`gkr matmul n=${n}: the prover's C[${Math.floor(i / n)}][${i % n}] is ${result.c[i]}, the engine's product says ${expected[i]}`, {
        details: { n, index: i }, hint: 'a bug in src/gkr/matmul',
      });
  }
}

export async function measureGkrMatMul({ ladder, settings, cacheDir, progress, onnxruntime = true }: MeasureGkrMatMulParameters): Promise<MeasureGkrMatMulResult> {
  const prover = await loadGkrProver();
  const samples = settings.gkr?.samples ?? settings.samples;
  const timer = createQuietTimer({ maxWaitMs: (settings.quietWaitS ?? 0) * 1000 });
  const measurements: Measurement[] = [];
  const series = new Map<string, Series>();
  const record = (key: string, sample: { msPerRun: number; retakes: number; contended: boolean }) => {
    const entry = series.get(key) ?? { ms: [], retakes: 0, contended: 0 };
    entry.ms.push(sample.msPerRun);
    entry.retakes += sample.retakes;
    entry.contended += sample.contended ? 1 : 0;
    series.set(key, entry);
  };
  const points = ladder.map((n) => ({ n, ...gkrMatMulOperands({ n, seed: settings.seed }) }));
  /** The engine's product per n: what the prover's C must equal. */
  const products = new Map<number, Float64Array>();

  // Native baselines, per n.
  for (const point of points) {
    const { n, a, b } = point;
    progress?.phase(`gkr matmul: native n=${n}`);
    const scratch = { bt: new Float64Array(n * n), c: new Float64Array(n * n) };
    const product = () => multiplyIntegerMatrices({ a, b, n, scratch });
    let started = performance.now();
    products.set(n, Float64Array.from(product()));
    const engineReps = repetitionsFor({ firstRunMs: performance.now() - started });
    for (let s = 0; s < samples; s++) record(`${n}|native|engine`, await timeRepeatedStep({ step: product, repetitions: engineReps, timer }));

    if (onnxruntime) {
      const onnx = writeOneOpOnnx({ opType: 'MatMul', n, square: true });
      const dir = resolve(cacheDir, 'onnx');
      await mkdir(dir, { recursive: true });
      const file = join(dir, `MatMul-${n}x${n}.onnx`);
      await writeFile(file, onnx.bytes);
      const session = await createNativeSession({ file, threads: 1 });
      try {
        const feeds = { a: { dims: [n, n], data: Float32Array.from(a) }, b: { dims: [n, n], data: Float32Array.from(b) } };
        started = performance.now();
        await session.run(feeds);
        const reps = repetitionsFor({ firstRunMs: performance.now() - started });
        for (let s = 0; s < samples; s++) record(`${n}|native|onnxruntime`, await timeRepeatedStep({ step: () => session.run(feeds), repetitions: reps, timer }));
      } finally {
        await session.close();
      }
    }
  }

  // Untimed warm-up on the smallest n: V8 tiers up the prover's code. Whether the prover can
  // commit to A and B (the matmul proof of issue 10 is the protocol alone) shows in its timings.
  const smallest = points[0]!;
  progress?.phase(`gkr matmul: warm-up n=${smallest.n}`);
  prover.proveMatMulGkr({ n: smallest.n, a: smallest.a, b: smallest.b });
  const commits = prover.proveMatMulGkr({ n: smallest.n, a: smallest.a, b: smallest.b, commit: true }).timingsMs.commit !== undefined;

  const sizes = new Map<number, { proofBytes: number; proofBytesWithCommit?: number; sumcheckRounds: number; verifyMs: number[] }>();
  for (let round = 1; round <= samples; round++) {
    for (const point of points) {
      const { n, a, b } = point;
      progress?.phase(`gkr matmul: prove n=${n} ${round}/${samples}`);
      const first = performance.now();
      const probe = prover.proveMatMulGkr({ n, a, b });
      const reps = repetitionsFor({ firstRunMs: performance.now() - first, batchMs: 20, maxRepetitions: 1000 });
      if (round === 1) checkProduct(n, probe, products.get(n)!);
      // The prover's own split of each call: computing C (the engine's loop) and the sumcheck protocol after it.
      let protocolMs = 0;
      let productMs = 0;
      const noCommit = await timeRepeatedStep({
        step: () => prover.proveMatMulGkr({ n, a, b }), repetitions: reps, timer,
        onEach: (value) => {
          protocolMs += (value as GkrMatMulResult).timingsMs.protocol;
          productMs += (value as GkrMatMulResult).timingsMs.product;
        },
      });
      record(`${n}|prove-no-commit`, noCommit);
      record(`${n}|protocol`, { msPerRun: protocolMs / reps, retakes: 0, contended: noCommit.contended });
      record(`${n}|native|engine-in-prover`, { msPerRun: productMs / reps, retakes: 0, contended: noCommit.contended });
      const last = noCommit.last as GkrMatMulResult;
      const verified = prover.verifyMatMulGkr({ a, b, c: last.c, proof: last.proof });
      const entry = sizes.get(n) ?? { proofBytes: last.proofBytes, sumcheckRounds: last.sizes.sumcheckRounds, verifyMs: [] };
      entry.verifyMs.push(verified.verifyMs);
      if (commits) {
        const withCommit = await timeRepeatedStep({ step: () => prover.proveMatMulGkr({ n, a, b, commit: true }), repetitions: Math.max(1, Math.floor(reps / 4)), timer });
        record(`${n}|prove-with-commit`, withCommit);
        entry.proofBytesWithCommit = (withCommit.last as GkrMatMulResult).proofBytes;
      }
      sizes.set(n, entry);
    }
  }

  const timing = (metric: string, labels: Record<string, string | number>, entry: Series, note: string) =>
    measurements.push({
      ...createMeasurement({ metric, labels, unit: 'ms', kind: 'timing', samples: entry.ms, note: `${note}; median of ${entry.ms.length} samples; ${entry.retakes} retaken and ${entry.contended} kept while other processes used the CPU` }),
      median: median(entry.ms),
    });
  for (const { n } of points) {
    const labels = { op: 'gkr-matmul', n };
    const native: Record<string, string> = {
      engine: 'C = A·B in the engine\'s integer arithmetic (float64 loops, Bᵀ contiguous, one thread), timed on its own',
      'engine-in-prover': 'the same product computed inside proveMatMulGkr (its timingsMs.product), in the same calls as the protocol',
      onnxruntime: 'onnxruntime-node float32 MatMul, one thread (tensor creation included)',
    };
    for (const [baseline, note] of Object.entries(native)) {
      const entry = series.get(`${n}|native|${baseline}`);
      if (entry) timing('gkrNativeTime', { ...labels, baseline }, entry, note);
    }
    timing('gkrProveTime', { ...labels, part: 'protocol' }, series.get(`${n}|protocol`)!, 'the prover\'s own timing of the sumcheck protocol after C is computed (timingsMs.protocol), no commitment; mean per call within each batch');
    timing('gkrProveTime', { ...labels, part: 'prove-no-commit' }, series.get(`${n}|prove-no-commit`)!, 'proveMatMulGkr wall time: C computed, then the protocol, no commitment');
    const withCommit = series.get(`${n}|prove-with-commit`);
    if (withCommit) timing('gkrProveTime', { ...labels, part: 'prove-with-commit' }, withCommit, 'proveMatMulGkr({ commit: true }) wall time: A and B committed and opened');
    const entry = sizes.get(n)!;
    measurements.push(
      createMeasurement({ metric: 'gkrProofBytes', labels: { ...labels, commit: 'no' }, unit: 'bytes', kind: 'deterministic', value: entry.proofBytes }),
      createMeasurement({ metric: 'gkrSumcheckRounds', labels, unit: 'rounds', kind: 'deterministic', value: entry.sumcheckRounds }),
      { ...createMeasurement({ metric: 'gkrVerifyTime', labels, unit: 'ms', kind: 'timing', samples: entry.verifyMs, note: 'verifyMatMulGkr (A, B, C public: it evaluates their MLEs itself)' }), median: median(entry.verifyMs) },
    );
    if (entry.proofBytesWithCommit !== undefined) measurements.push(createMeasurement({ metric: 'gkrProofBytes', labels: { ...labels, commit: 'yes' }, unit: 'bytes', kind: 'deterministic', value: entry.proofBytesWithCommit }));
  }
  return { measurements };
}
