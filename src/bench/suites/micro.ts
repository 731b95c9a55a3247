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
};

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
  },
  optionsHelp: [
    `--ops LIST             comma-separated, from ${MICRO_OP_IDS.join(', ')} (default all)`,
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
  ],
  resolveSettings(values) {
    const ops = (list('ops', values.ops) ?? [...MICRO_OP_IDS]) as MicroOpId[];
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
    return {
      ops,
      ...(ladder ? { ladder: [...new Set(ladder)].sort((a, b) => a - b) } : {}),
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
    return items;
  },
  async runWorkItem(item, context) {
    const [op, ladderText] = item.id.split('/n=') as [MicroOpId, string];
    const ladder = ladderText.split(',').map(Number);
    const { measurements } = await measureMicroOp({ op, ladder, settings: context.settings, cacheDir: context.cacheDir, progress: context.progress });
    return measurements;
  },
  summarize(results) {
    const measurements = summarizeMicro({ results });
    const withDerived = { ...results, measurements: [...results.measurements, ...measurements] };
    return { measurements, verdicts: microVerdicts({ results: withDerived }) };
  },
};
