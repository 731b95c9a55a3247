/**
 * The `micro` suite: the cost of single operations in a proof versus natively, to test the
 * survey's "multiplication 4×, ReLU up to 200×". For each op (mul, fixed-mul, dot, Relu at 8/16/
 * 32 bits, full-field ReLU) and each N of a geometric ladder: constraints, witness time, Groth16
 * and PLONK prove time, and native baselines; the summary fits the marginal cost per op over N.
 *
 * The default ladder is per op: N doubles over `ladderPoints` steps, from the largest power of two
 * that keeps the biggest circuit under `maxConstraints` (found by compiling N = 1 and N = 2), so
 * cheap ops get large N and the 517-constraint ReLU small N. PLONK, ~10× slower to prove here,
 * proves only the circuits up to `plonkMaxConstraints`, so the default run stays under ~10 min.
 *
 * One work item is one op with its whole ladder (measureMicroOp): its proofs are timed in rounds
 * interleaved over N, on one warm curve, on a quiet machine, and fitted on the median per N, so
 * that two runs' slopes agree (bench/micro-stability.ts checks it).
 */
import { UsageError } from '../../errors.ts';
import { compileCircuit } from '../../zk/compileCircuit.ts';
import { writeCircuitSource } from '../../zk/writeCircuitSource.ts';
import { resolve } from 'node:path';
import type { Suite, WorkItem } from '../suite.ts';
import { MICRO_OPS, MICRO_OP_IDS, systemsFor, type MicroOpId, type MicroSettings } from '../micro/microOps.ts';
import { measureMicroOp } from '../micro/measureMicroOp.ts';
import { summarizeMicro } from '../micro/summarizeMicro.ts';
import { microVerdicts } from '../verdicts.ts';
import { measureGkrMatMul } from '../micro/measureGkrMatMul.ts';
import { measureGkrOps } from '../micro/measureGkrOps.ts';
import { measureGkrInference } from '../micro/measureGkrInference.ts';
import { summarizeGkrMicro } from '../micro/summarizeGkrMicro.ts';

const DEFAULTS = {
  maxConstraints: 16384,
  ladderPoints: 5,
  plonkMaxConstraints: 4096,
  scaleBits: 8,
  valueBits: 16,
  samples: 3,
  nativeTimeMs: 200,
  quietWaitS: 120,
  seed: 7,
  /** The sumcheck/GKR part (issue 10): n of the n × n matmul ladder, N of the ReLU/MAC one-op models, whole models, repetitions. */
  gkrLadder: [32, 64, 128, 256, 512],
  gkrOpsLadder: [1024, 4096, 16384],
  gkrModels: ['mnist-mlp-784-56-10'],
  gkrSamples: 5,
};

/** Work-item id prefixes of the gkr part. */
const GKR_ITEMS = { matmul: 'gkr-matmul/n=', ops: 'gkr-ops/n=', model: 'gkr-model/' } as const;

function positiveInteger(option: string, text: unknown, fallback: number, minimum = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum)
    throw new UsageError(`bench --suite micro: --${option} '${text}' is not ${minimum === 0 ? 'a non-negative' : 'a positive'} integer`, { hint: `e.g. --${option} ${fallback}`, details: { option, value: text } });
  return value;
}

function list(option: string, text: unknown): string[] | undefined {
  if (text === undefined) return undefined;
  return String(text).split(',').map((part) => part.trim()).filter(Boolean);
}

/** N = 1 and N = 2 compiled: constraints = fixed + N · perOp. */
async function probeConstraints(op: MicroOpId, settings: MicroSettings, cacheDir: string): Promise<{ fixed: number; perOp: number }> {
  const counts: number[] = [];
  for (const n of [1, 2]) {
    const { circuitFile } = await writeCircuitSource({ source: MICRO_OPS[op].circuit(n, settings), cacheDir: resolve(cacheDir) });
    counts.push((await compileCircuit({ circuitFile })).constraints);
  }
  const perOp = Math.max(counts[1]! - counts[0]!, 1);
  return { fixed: Math.max(counts[0]! - perOp, 0), perOp };
}

export function autoLadder({ fixed, perOp, maxConstraints, points }: { fixed: number; perOp: number; maxConstraints: number; points: number }): number[] {
  let base = 1;
  while (fixed + perOp * base * 2 * 2 ** (points - 1) <= maxConstraints) base *= 2;
  return Array.from({ length: points }, (_, i) => base * 2 ** i);
}

export const suite: Suite<MicroSettings> = {
  name: 'micro',
  summary: 'per-operation cost: multiply, fixed-point multiply, dot product, ReLU (8/16/32-bit, full field) in R1CS/Groth16/PLONK vs native',
  options: {
    ops: { type: 'string' },
    ladder: { type: 'string' },
    'max-constraints': { type: 'string' },
    'ladder-points': { type: 'string' },
    'plonk-max-constraints': { type: 'string' },
    samples: { type: 'string' },
    'quiet-wait-s': { type: 'string' },
    'native-time-ms': { type: 'string' },
    'proof-systems': { type: 'string' },
    'scale-bits': { type: 'string' },
    'value-bits': { type: 'string' },
    seed: { type: 'string' },
    'gkr-ladder': { type: 'string' },
    'gkr-ops-ladder': { type: 'string' },
    'gkr-models': { type: 'string' },
    'gkr-samples': { type: 'string' },
    'no-gkr': { type: 'boolean' },
  },
  optionsHelp: [
    `--ops LIST             comma-separated, from ${MICRO_OP_IDS.join(', ')} (default all; 'none': only the gkr part)`,
    '--ladder N,N,…          the same N for every op (default: a per-op ladder, below)',
    `--max-constraints C    per-op ladder: biggest circuit under C constraints (default ${DEFAULTS.maxConstraints})`,
    `--ladder-points K      per-op ladder: K sizes, N doubling (default ${DEFAULTS.ladderPoints})`,
    `--plonk-max-constraints C   PLONK proves only the circuits up to C constraints (default ${DEFAULTS.plonkMaxConstraints})`,
    `--samples K            timed witness/proof repetitions per circuit; proofs in rounds over the ladder, fitted on the median (default ${DEFAULTS.samples})`,
    `--quiet-wait-s T       per op, wait up to T s in all for other processes to leave the CPU before retaking a disturbed sample; 0: keep every sample (default ${DEFAULTS.quietWaitS})`,
    `--native-time-ms T     tinybench budget per native baseline (default ${DEFAULTS.nativeTimeMs})`,
    '--proof-systems LIST   groth16,plonk (default both)',
    `--scale-bits S --value-bits V   fixed-point parameters of fixed-mul and dot (default ${DEFAULTS.scaleBits}, ${DEFAULTS.valueBits})`,
    '--seed K               input seed',
    `--gkr-ladder N,N,…      sumcheck/GKR prover: n of the n × n · n × n matmul ladder (default ${DEFAULTS.gkrLadder.join(',')}; more: e.g. ${[...DEFAULTS.gkrLadder, 1024, 2048].join(',')})`,
    `--gkr-ops-ladder N,N,…  sumcheck/GKR prover: N of the ReLU-lookup and multiply-accumulate one-op models (default ${DEFAULTS.gkrOpsLadder.join(',')})`,
    `--gkr-models LIST      sumcheck/GKR prover: whole models, prover vs native inference (default ${DEFAULTS.gkrModels.join(',')}; 'none' for none)`,
    `--gkr-samples K        sumcheck/GKR prover: timed repetitions per point, medians (default ${DEFAULTS.gkrSamples})`,
    '--no-gkr               leave out the sumcheck/GKR prover\'s part',
  ],
  resolveSettings(values) {
    const opsText = list('ops', values.ops);
    // `--ops none`: only the sumcheck/GKR part.
    const ops = (opsText?.length === 1 && opsText[0] === 'none' ? [] : (opsText ?? [...MICRO_OP_IDS])) as MicroOpId[];
    for (const op of ops)
      if (!MICRO_OP_IDS.includes(op)) throw new UsageError(`bench --suite micro: unknown op '${op}'`, { hint: `choose from ${MICRO_OP_IDS.join(', ')}`, details: { op } });
    const ladder = list('ladder', values.ladder)?.map((text) => positiveInteger('ladder', text, 16));
    if (ladder && new Set(ladder).size < 2)
      throw new UsageError('bench --suite micro: --ladder needs at least two different N (the per-op cost is a slope)', { hint: 'e.g. --ladder 16,64,256' });
    const proofSystems = (list('proof-systems', values['proof-systems']) ?? ['groth16', 'plonk']) as MicroSettings['proofSystems'];
    for (const system of proofSystems)
      if (system !== 'groth16' && system !== 'plonk') throw new UsageError(`bench --suite micro: proof system '${system}' is not one of groth16, plonk`, { details: { system } });
    const scaleBits = positiveInteger('scale-bits', values['scale-bits'], DEFAULTS.scaleBits);
    const valueBits = positiveInteger('value-bits', values['value-bits'], DEFAULTS.valueBits);
    if (scaleBits >= valueBits || valueBits > 40)
      throw new UsageError(`bench --suite micro: need 1 ≤ scale-bits < value-bits ≤ 40, got ${scaleBits}, ${valueBits}`, { hint: 'see docs/fixed-point.md' });
    const ladderPoints = positiveInteger('ladder-points', values['ladder-points'], DEFAULTS.ladderPoints);
    if (!ladder && ladderPoints < 2) throw new UsageError('bench --suite micro: --ladder-points must be at least 2', { hint: 'the per-op cost is a slope over N' });
    const gkrLadder = (list('gkr-ladder', values['gkr-ladder'])?.map((text) => positiveInteger('gkr-ladder', text, 64)) ?? DEFAULTS.gkrLadder);
    for (const n of gkrLadder)
      if ((n & (n - 1)) !== 0) throw new UsageError(`bench --suite micro: --gkr-ladder ${n} is not a power of two`, { hint: `the sumcheck runs over log2(n) variables; e.g. --gkr-ladder ${DEFAULTS.gkrLadder.join(',')}`, details: { n } });
    const gkrOpsLadder = list('gkr-ops-ladder', values['gkr-ops-ladder'])?.map((text) => positiveInteger('gkr-ops-ladder', text, 1024)) ?? DEFAULTS.gkrOpsLadder;
    if (new Set(gkrOpsLadder).size < 2) throw new UsageError('bench --suite micro: --gkr-ops-ladder needs at least two different N (the per-op cost is a slope)', { hint: 'e.g. --gkr-ops-ladder 1024,4096' });
    const gkrModels = list('gkr-models', values['gkr-models']) ?? DEFAULTS.gkrModels;
    const gkr = values['no-gkr']
      ? undefined
      : {
          matmulLadder: [...new Set(gkrLadder)].sort((a, b) => a - b),
          opsLadder: [...new Set(gkrOpsLadder)].sort((a, b) => a - b),
          models: gkrModels.length === 1 && gkrModels[0] === 'none' ? [] : gkrModels,
          samples: positiveInteger('gkr-samples', values['gkr-samples'], DEFAULTS.gkrSamples),
        };
    return {
      ops,
      ...(ladder ? { ladder: [...new Set(ladder)].sort((a, b) => a - b) } : {}),
      ...(gkr ? { gkr } : {}),
      maxConstraints: positiveInteger('max-constraints', values['max-constraints'], DEFAULTS.maxConstraints),
      ladderPoints,
      plonkMaxConstraints: positiveInteger('plonk-max-constraints', values['plonk-max-constraints'], DEFAULTS.plonkMaxConstraints),
      scaleBits,
      valueBits,
      samples: positiveInteger('samples', values.samples, DEFAULTS.samples),
      nativeTimeMs: positiveInteger('native-time-ms', values['native-time-ms'], DEFAULTS.nativeTimeMs),
      quietWaitS: positiveInteger('quiet-wait-s', values['quiet-wait-s'], DEFAULTS.quietWaitS, 0),
      proofSystems,
      seed: positiveInteger('seed', values.seed, DEFAULTS.seed),
      ptau: 'local insecure powers of tau from ensurePtau (known secret: for measurement only)',
    };
  },
  async listWorkItems(settings, { cacheDir }) {
    const items: WorkItem[] = [];
    for (const op of settings.ops) {
      const probe = await probeConstraints(op, settings, cacheDir);
      const ladder = settings.ladder ?? autoLadder({ ...probe, maxConstraints: settings.maxConstraints, points: settings.ladderPoints });
      // Relative cost: constraints proved per round, PLONK's ~10× Groth16's per constraint.
      const weight = ladder.reduce((sum, n) => {
        const constraints = probe.fixed + probe.perOp * n;
        return sum + systemsFor(settings, constraints).reduce((cost, system) => cost + (system === 'plonk' ? 10 : 1) * (256 + constraints), 0);
      }, 0);
      items.push({ id: `${op}/n=${ladder.join(',')}`, label: `${op} n=${ladder[0]}…${ladder.at(-1)}`, weight });
    }
    const gkr = settings.gkr;
    if (gkr) {
      // Relative cost in the units above (~3,000 per second here): the n³ native products dominate
      // the matmul ladder, the ReLU lookups the one-op models (measured: 15 s, 60 s, 20 s at the defaults).
      const matmul = gkr.matmulLadder;
      if (matmul.length) items.push({ id: `${GKR_ITEMS.matmul}${matmul.join(',')}`, label: `gkr matmul n=${matmul[0]}…${matmul.at(-1)}`, weight: gkr.samples * matmul.reduce((sum, n) => sum + n ** 3 / 50_000, 0) });
      const ops = gkr.opsLadder;
      items.push({ id: `${GKR_ITEMS.ops}${ops.join(',')}`, label: `gkr relu/dot n=${ops[0]}…${ops.at(-1)}`, weight: gkr.samples * ops.reduce((sum, n) => sum + n / 2, 0) });
      for (const model of gkr.models) items.push({ id: `${GKR_ITEMS.model}${model}`, label: `gkr ${model}`, weight: gkr.samples * 2000 });
    }
    return items;
  },
  async runWorkItem(item, context) {
    const numbers = (text: string) => text.split(',').map(Number);
    if (item.id.startsWith(GKR_ITEMS.matmul))
      return (await measureGkrMatMul({ ladder: numbers(item.id.slice(GKR_ITEMS.matmul.length)), settings: context.settings, cacheDir: context.cacheDir, progress: context.progress })).measurements;
    if (item.id.startsWith(GKR_ITEMS.ops))
      return (await measureGkrOps({ ladder: numbers(item.id.slice(GKR_ITEMS.ops.length)), settings: context.settings, progress: context.progress })).measurements;
    if (item.id.startsWith(GKR_ITEMS.model))
      return (await measureGkrInference({ model: item.id.slice(GKR_ITEMS.model.length), settings: context.settings, progress: context.progress })).measurements;
    const [op, ladderText] = item.id.split('/n=') as [MicroOpId, string];
    const ladder = ladderText.split(',').map(Number);
    const { measurements } = await measureMicroOp({ op, ladder, settings: context.settings, cacheDir: context.cacheDir, progress: context.progress });
    return measurements;
  },
  summarize(results) {
    const measurements = [...summarizeMicro({ results }), ...summarizeGkrMicro({ results })];
    const withDerived = { ...results, measurements: [...results.measurements, ...measurements] };
    return { measurements, verdicts: microVerdicts({ results: withDerived }) };
  },
};
