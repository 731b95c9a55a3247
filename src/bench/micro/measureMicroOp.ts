/**
 * Measures one op of the micro suite over its whole N ladder: prepares every circuit (compile,
 * checked witness, setups), times the native baselines, then times the proofs the way their
 * slope needs. A slope is a difference of prove times, so what would shift one point and not the
 * others must not reach the samples:
 *   - one warm curve for all the op's proofs (snarkjs's worker threads and their JIT-compiled
 *     wasm; built and torn down per proof otherwise), with one untimed warm-up proof per system;
 *   - rounds interleaved over the ladder (round r proves every N once), so a slow stretch of time
 *     touches every N alike rather than one N's every sample;
 *   - each proof timed on a quiet machine (createQuietTimer: retaken when other processes were
 *     busy meanwhile), the point's value for the fit is the median of its samples.
 * The curve is terminated in a `finally`.
 */
import { proveGroth16 } from '../../zk/proveGroth16.ts';
import { provePlonk } from '../../zk/provePlonk.ts';
import { terminateCurve } from '../../zk/types.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { Progress } from '../createProgress.ts';
import { createQuietTimer, type QuietTimerStats } from './createQuietTimer.ts';
import { measureMicroNative } from './measureMicroNative.ts';
import { median, type MicroOpId, type MicroProofSystem, type MicroSettings } from './microOps.ts';
import { prepareMicroCircuit, type PrepareMicroCircuitResult } from './prepareMicroCircuit.ts';

export interface MeasureMicroOpParameters {
  op: MicroOpId;
  /** The N of the ladder, ascending. */
  ladder: readonly number[];
  settings: MicroSettings;
  cacheDir: string;
  progress?: Progress;
  /** Measure the native baselines too (default true). */
  native?: boolean;
}

export interface MeasureMicroOpResult {
  measurements: Measurement[];
  /** Whether every ptau used was generated locally with a known secret (always true unless a ceremony file is configured). */
  insecureSetup: boolean;
  /** Proofs and witnesses retaken or kept contended by the quiet timer, and its waiting time. */
  quiet: QuietTimerStats;
}

interface TimedProofs {
  ms: number[];
  retakes: number;
  contended: number;
  proofBytes: number;
}

function prove(system: MicroProofSystem, zkeyFile: string, wtns: Uint8Array): Promise<{ proveMs: number; proofBytes: number }> {
  return system === 'groth16' ? proveGroth16({ zkeyFile, wtns, keepCurve: true }) : provePlonk({ zkeyFile, wtns, keepCurve: true });
}

export async function measureMicroOp({ op, ladder, settings, cacheDir, progress, native = true }: MeasureMicroOpParameters): Promise<MeasureMicroOpResult> {
  const timer = createQuietTimer({ maxWaitMs: (settings.quietWaitS ?? 0) * 1000 });
  const measurements: Measurement[] = [];
  const circuits: Array<{ n: number; prepared: PrepareMicroCircuitResult }> = [];
  let insecureSetup = false;
  for (const n of ladder) {
    const prepared = await prepareMicroCircuit({ op, n, settings, cacheDir, timer, progress });
    insecureSetup ||= prepared.insecureSetup;
    measurements.push(...prepared.measurements);
    circuits.push({ n, prepared });
    if (native) measurements.push(...(await measureMicroNative({ op, n, settings, cacheDir, progress })));
  }

  const timed = new Map<string, TimedProofs>();
  try {
    // Untimed: builds the curve and lets V8 tier up the provers' code, on the smallest circuit.
    for (const system of settings.proofSystems) {
      const smallest = circuits.find((c) => c.prepared.keys.some((k) => k.system === system));
      const key = smallest?.prepared.keys.find((k) => k.system === system);
      if (!smallest || !key) continue;
      progress?.phase(`warm-up ${system} n=${smallest.n}`);
      await prove(system, key.zkeyFile, smallest.prepared.wtns);
    }
    for (let round = 1; round <= settings.samples; round++) {
      for (const { n, prepared } of circuits) {
        for (const { system, zkeyFile } of prepared.keys) {
          progress?.phase(`prove ${system} n=${n} ${round}/${settings.samples}`);
          const result = await timer.time(() => prove(system, zkeyFile, prepared.wtns));
          const entry = timed.get(`${n}|${system}`) ?? { ms: [], retakes: 0, contended: 0, proofBytes: 0 };
          entry.ms.push(result.value.proveMs);
          entry.retakes += result.retakes;
          entry.contended += result.contended ? 1 : 0;
          entry.proofBytes = result.value.proofBytes;
          timed.set(`${n}|${system}`, entry);
        }
      }
    }
  } finally {
    await terminateCurve();
  }

  for (const { n, prepared } of circuits) {
    for (const { system } of prepared.keys) {
      const entry = timed.get(`${n}|${system}`)!;
      const labels = { op, n, system };
      measurements.push(
        {
          ...createMeasurement({
            metric: 'proveTime', labels, unit: 'ms', kind: 'timing', samples: entry.ms,
            note: `warm curve, rounds interleaved over N; ${entry.retakes} retaken and ${entry.contended} kept while other processes used the CPU`,
          }),
          median: median(entry.ms),
        },
        createMeasurement({ metric: 'proofBytes', labels, unit: 'bytes', kind: 'deterministic', value: entry.proofBytes }),
      );
    }
  }
  const quiet = timer.stats();
  measurements.push(
    createMeasurement({ metric: 'retakenSamples', labels: { op }, unit: 'samples', kind: 'info', value: quiet.retakes, note: `witness and proof samples run again because other processes used the CPU meanwhile; ${(quiet.waitedMs / 1000).toFixed(1)} s spent waiting for a quiet machine` }),
    createMeasurement({ metric: 'contendedSamples', labels: { op }, unit: 'samples', kind: 'info', value: quiet.contended, note: 'samples kept although other processes used the CPU meanwhile (the waiting budget, --quiet-wait-s, was spent)' }),
  );
  return { measurements, insecureSetup, quiet };
}
