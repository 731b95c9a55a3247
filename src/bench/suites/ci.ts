/**
 * The `ci` suite: a small, stable subset for regression runs against results/baseline.json.
 * Deterministic figures compared exactly: circuit constraints (the small MNIST model, linreg and
 * three micro ops), linreg's proof, key and calldata bytes and its verifier's execution gas, the
 * tampering rejections, the opML trace steps, per-phase gas, dispute rounds and bytes of the small
 * MNIST model. Timings (normalised by the calibration workload): the engine inference and the
 * opML trace of the small MNIST model, each the median of several runs of single-threaded JS
 * like the calibration loop itself; every other timing is kept as `info`. No options: the
 * settings are fixed, so a run and the baseline always mean the same thing. ≤ 3 minutes from an
 * empty cache on 2 cores.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../../errors.ts';
import { runEngine } from '../../engine/runEngine.ts';
import { createVmDisputeTrace } from '../../opml/game/createVmDisputeTrace.ts';
import { compileCircuit } from '../../zk/compileCircuit.ts';
import { generateCircuit } from '../../zk/generateCircuit.ts';
import { writeCircuitSource } from '../../zk/writeCircuitSource.ts';
import { describeTrustedSetup } from '../../zk/describeTrustedSetup.ts';
import { createMeasurement } from '../createMeasurement.ts';
import { MICRO_OPS, type MicroOpId } from '../micro/microOps.ts';
import type { Suite, WorkItem } from '../suite.ts';
import type { Measurement } from '../types.ts';
import { loadBenchModel } from '../table2/loadBenchModel.ts';
import { measureOpmlModel } from '../table2/measureOpmlModel.ts';
import { measureZkmlModel } from '../table2/measureZkmlModel.ts';

export interface CiSettings extends Record<string, unknown> {
  opmlModel: string;
  zkModel: string;
  constraintModels: string[];
  microOps: MicroOpId[];
  microN: number;
  timingRuns: { engine: number; trace: number };
  game: { arity: number; challengeWindowSeconds: number; clockSeconds: number; bondWei: string };
  system: 'groth16';
  ptau: string;
}

const SETTINGS: CiSettings = {
  opmlModel: 'mnist-mlp-196-24-10',
  zkModel: 'linreg',
  constraintModels: ['mnist-mlp-196-24-10', 'mnist-cnn'],
  microOps: ['mul', 'relu-16', 'relu-full'],
  microN: 4,
  timingRuns: { engine: 31, trace: 5 },
  game: { arity: 2, challengeWindowSeconds: 3600, clockSeconds: 3600, bondWei: (10n ** 18n).toString() },
  system: 'groth16',
  ptau: describeTrustedSetup({ system: 'groth16', localPtau: true }),
};

/** Only these timings are compared (they scale like the calibration loop); the rest become `info`. */
const COMPARED_TIMINGS = new Set(['ciEngineTime', 'ciTraceTime']);

function onlyChosenTimings(measurements: Measurement[]): Measurement[] {
  return measurements.map((m) => (m.kind === 'timing' && !COMPARED_TIMINGS.has(m.metric) ? { ...m, kind: 'info' as const, note: `${m.note ? `${m.note}; ` : ''}not compared in ci (one sample)` } : m));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianTiming(metric: string, labels: Record<string, string>, samples: number[], note: string): Measurement {
  const m = createMeasurement({ metric, labels, unit: 'ms', kind: 'timing', samples });
  return { ...m, value: median(samples), note: `median of ${samples.length} runs (stddev and range over all); ${note}` };
}

export const suite: Suite<CiSettings> = {
  name: 'ci',
  summary: 'a small stable subset for regression checks: constraints, gas, rounds, bytes exactly; engine and trace timings normalised by the calibration',
  options: {},
  optionsHelp: ['(no options: the settings are fixed so that every run compares with results/baseline.json)'],
  resolveSettings: () => structuredClone(SETTINGS),
  listWorkItems(settings) {
    const items: WorkItem[] = [
      ...settings.constraintModels.map((model) => ({ id: `constraints/${model}`, label: `constraints ${model}`, weight: 10 })),
      { id: `micro/${settings.microOps.join(',')}`, label: `micro constraints n=${settings.microN}`, weight: 5 },
      { id: `zkML/${settings.zkModel}`, label: `zkML ${settings.zkModel}`, weight: 30 },
      { id: `opML/${settings.opmlModel}`, label: `opML ${settings.opmlModel}`, weight: 20 },
      { id: `timing/${settings.opmlModel}`, label: `timings ${settings.opmlModel}`, weight: 10 },
    ];
    return items;
  },
  async runWorkItem(item, context) {
    const { settings, progress } = context;
    if (context.rpcUrl) throw new UsageError('bench --suite ci runs on a local anvil only: its baseline holds anvil\'s exact gas and its games fast-forward time', { hint: 'leave out --rpc-url (table2, scaling and quick take it)' });
    const [kind, ...rest] = item.id.split('/');
    const target = rest.join('/');
    if (kind === 'constraints') {
      progress.phase('generate and compile the circuit');
      const loaded = loadBenchModel({ model: target });
      const generated = await generateCircuit({ model: loaded.model, settings: { weights: 'constant', relu: 'bounded', inputs: 'public' } });
      const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
      const labels = { model: target };
      return [
        createMeasurement({ metric: 'constraints', labels, unit: 'constraints', kind: 'deterministic', value: compiled.constraints }),
        createMeasurement({ metric: 'wires', labels, unit: 'wires', kind: 'deterministic', value: compiled.wires }),
      ];
    }
    if (kind === 'micro') {
      const out: Measurement[] = [];
      for (const op of settings.microOps) {
        progress.phase(`compile ${op} n=${settings.microN}`);
        const { circuitFile } = await writeCircuitSource({ source: MICRO_OPS[op].circuit(settings.microN, { ops: [op], maxConstraints: 0, ladderPoints: 2, scaleBits: 8, valueBits: 16, samples: 1, nativeTimeMs: 0, proofSystems: ['groth16'], seed: 7 }), cacheDir: resolve(context.cacheDir) });
        const compiled = await compileCircuit({ circuitFile });
        out.push(createMeasurement({ metric: 'constraints', labels: { op, n: settings.microN }, unit: 'constraints', kind: 'deterministic', value: compiled.constraints }));
      }
      return out;
    }
    if (kind === 'zkML') {
      const loaded = loadBenchModel({ model: target });
      // circom, as results/baseline.json was made: the direct builder's R1CS has the same
      // constraints and wires but not the same terms (linreg's proving key is 21,977 bytes
      // instead of 21,933), so switching builders needs --update-baseline, not a regression flag.
      const result = await measureZkmlModel({ loaded, system: settings.system, circuit: { weights: 'constant', relu: 'bounded', inputs: 'public' }, builder: 'circom', onPhase: (p) => progress.phase(p) });
      return onlyChosenTimings(result.measurements);
    }
    if (kind === 'opML') {
      const loaded = loadBenchModel({ model: target });
      const result = await measureOpmlModel({ loaded, game: { ...settings.game, bondWei: BigInt(settings.game.bondWei) }, skipNative: true, inferenceSamples: 1, onPhase: (p) => progress.phase(p) });
      return onlyChosenTimings(result.measurements);
    }
    const loaded = loadBenchModel({ model: target });
    const labels = { model: target };
    progress.phase('engine inference timing');
    const engine: number[] = [];
    runEngine({ model: loaded.model, inputs: loaded.inputs });
    for (let i = 0; i < settings.timingRuns.engine; i++) {
      const started = performance.now();
      runEngine({ model: loaded.model, inputs: loaded.inputs });
      engine.push(performance.now() - started);
    }
    progress.phase('opML trace timing');
    const trace: number[] = [];
    const first = createVmDisputeTrace({ model: loaded.model, input: loaded.inputs });
    for (let i = 0; i < settings.timingRuns.trace; i++) trace.push(createVmDisputeTrace({ model: loaded.model, input: loaded.inputs, program: first.program }).traceMs);
    return [
      medianTiming('ciEngineTime', labels, engine, 'one fixed-point engine inference'),
      medianTiming('ciTraceTime', labels, trace, 'one opML trace VM run with its state commitments (program compiled once)'),
    ];
  },
};
