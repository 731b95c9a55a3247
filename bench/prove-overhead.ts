/**
 * What the harness adds to snarkjs's own prove time (not a test). For one circuit (default
 * mnist-mlp-784-56-10, constant weights: 2,536 constraints), the same zkey and the same witness,
 * and each proof system (Groth16, PLONK), times interleaved in rounds (the order rotates each
 * round, so load drift hits every variant alike):
 *
 * - `snarkjs-cold`: `snarkjs.<system>.prove(zkeyFile, wtnsFile)` called directly with no curve
 *   cached (snarkjs builds its bn128 curve and worker threads itself, as a library user's first
 *   call does), then `curve.terminate()` (a library user must, or the process never exits);
 *   `wallMs` counts both, `proveOnlyMs` the prove call alone.
 * - `snarkjs-warm`: the same call with the curve already built (snarkjs's pure proving time).
 * - `adapter`: our `proveGroth16` / `provePlonk` (src/zk) with the witness bytes in memory, as
 *   proveInference calls it: `wallMs` is the whole call (curve build, prove, proof size, worker
 *   termination), `reportedProveMs` what it reports as proveMs.
 * - `proveInference`: the whole `proveInference` with compile and setup served from the cache
 *   (engine run, circuit hash, witness, engine check, ptau lookup, prove, native verify) — the
 *   harness's full path minus compile/setup, for context; not part of the overhead figure.
 * - `snarkjs-cli`: `snarkjs <system> prove zkey wtns proof.json public.json` as a child process
 *   (Node start-up and module loading included).
 *
 * Overhead = adapter wall / snarkjs-cold wall − 1, per round (paired) and as a ratio of medians;
 * the reported proveMs is compared with snarkjs-warm. Writes results/prove-overhead/results.json
 * atomically (temporary file + rename).
 *
 * Run: `npx tsx bench/prove-overhead.ts [--model mnist-mlp-784-56-10] [--weights constant]
 *       [--systems groth16,plonk] [--samples 12] [--out FILE]`
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as snarkjs from 'snarkjs';
import { collectEnvironment } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import { loadCliInputs, resolveModelSettings } from '../src/cli/commands/infer.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { buildCircuitInput } from '../src/zk/buildCircuitInput.ts';
import { calculateWitness } from '../src/zk/calculateWitness.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit, type WeightMode } from '../src/zk/generateCircuit.ts';
import { proveGroth16 } from '../src/zk/proveGroth16.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { provePlonk } from '../src/zk/provePlonk.ts';
import { choosePower } from '../src/zk/setup/choosePower.ts';
import { ensurePtau } from '../src/zk/setup/ensurePtau.ts';
import { setupCircuit } from '../src/zk/setupCircuit.ts';
import { terminateCurve } from '../src/zk/types.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'mnist-mlp-784-56-10' },
    weights: { type: 'string', default: 'constant' },
    systems: { type: 'string', default: 'groth16,plonk' },
    samples: { type: 'string', default: '12' },
    out: { type: 'string', default: 'results/prove-overhead/results.json' },
  },
});

type System = 'groth16' | 'plonk';
type Variant = 'snarkjs-cold' | 'snarkjs-warm' | 'adapter' | 'proveInference' | 'snarkjs-cli';
const VARIANTS: Variant[] = ['snarkjs-cold', 'snarkjs-warm', 'adapter', 'proveInference', 'snarkjs-cli'];

interface Sample {
  round: number;
  /** Wall-clock time of the variant, milliseconds. */
  wallMs: number;
  /** User + system CPU of this process over the sample (all threads), milliseconds; absent for the CLI child. */
  cpuMs?: number;
  /** snarkjs-cold: the prove call alone (curve build included, termination not), milliseconds. */
  proveOnlyMs?: number;
  /** adapter / proveInference: the proveMs they report, milliseconds. */
  reportedProveMs?: number;
}

interface Summary {
  samples: number;
  /** Milliseconds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Inter-quartile range (p75 − p25), milliseconds. */
  iqrMs: number;
  stddevMs: number;
}

const require = createRequire(import.meta.url);
const snarkjsCli = path.join(path.dirname(require.resolve('snarkjs')), 'cli.cjs'); // require resolves build/main.cjs
const samples = Number(values.samples);
const systems = values.systems!.split(',').filter(Boolean) as System[];

function summarize(list: number[]): Summary {
  const sorted = [...list].sort((a, b) => a - b);
  const quantile = (q: number) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (position - low);
  };
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  const stddev = Math.sqrt(list.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, list.length - 1));
  return { samples: list.length, medianMs: quantile(0.5), minMs: sorted[0]!, maxMs: sorted.at(-1)!, iqrMs: quantile(0.75) - quantile(0.25), stddevMs: stddev };
}
const median = (list: number[]) => summarize(list).medianMs;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// The circuit, its witness and its keys: built (or read from the cache) once, outside every timing.
const modelSettings = resolveModelSettings(values.model!);
const model = quantizeModel({ file: modelSettings.resolved.file, name: modelSettings.resolved.name, scaleBits: modelSettings.scaleBits, valueBits: modelSettings.valueBits });
const inputs = quantizeInputs({ model, inputs: loadCliInputs(modelSettings, []) });
const settings = { weights: values.weights as WeightMode, relu: 'bounded' as const, inputs: 'public' as const };
const generated = await generateCircuit({ model, settings });
const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs });
const { wtns } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
const workDir = mkdtempSync(path.join(tmpdir(), 'opzk-prove-overhead-'));
const wtnsFile = path.join(workDir, 'witness.wtns');
writeFileSync(wtnsFile, wtns);
const circuit = {
  model: values.model!,
  settings: generated.layout.settings,
  scaleBits: model.scaleBits,
  valueBits: model.valueBits,
  constraints: compiled.constraints,
  publicInputs: compiled.publicInputs,
  publicOutputs: compiled.publicOutputs,
};

interface SystemResult {
  system: System;
  circuit: typeof circuit;
  zkeyFile: string;
  zkeyBytes: number;
  ptauPower: number;
  samples: Record<Variant, Sample[]>;
  summary: Record<Variant, Summary> & { adapterReportedProveMs: Summary; snarkjsColdProveOnly: Summary };
  /** CPU time (user + system, all threads of this process) per in-process variant, milliseconds. */
  cpuSummary: Record<Exclude<Variant, 'snarkjs-cli'>, Summary>;
  overhead: {
    /** min adapter wall / min snarkjs-cold wall − 1 (the least disturbed sample of each), in percent. */
    minWallPercent: number;
    /** median adapter CPU / median snarkjs-cold CPU − 1, in percent (less sensitive to other processes than wall time). */
    cpuRatioOfMediansPercent: number;
    /** median over rounds of (adapter wall / snarkjs-cold wall) − 1, in percent. */
    pairedMedianPercent: number;
    /** median adapter wall / median snarkjs-cold wall − 1, in percent. */
    ratioOfMediansPercent: number;
    /** median adapter reported proveMs / median snarkjs-warm wall − 1, in percent. */
    reportedVsWarmPercent: number;
    /** median snarkjs-cold wall − median snarkjs-warm wall: curve build + termination, milliseconds. */
    curveLifecycleMs: number;
  };
  loadAverage1m: { start: number; end: number };
  samplesPerVariant: number;
}

/** Summaries and overhead figures from the raw samples (also applied to runs kept from the file). */
function deriveFigures(collected: Record<Variant, Sample[]>): Pick<SystemResult, 'summary' | 'cpuSummary' | 'overhead'> {
  const wall = (v: Variant) => collected[v].map((s) => s.wallMs);
  const summary = {
    ...(Object.fromEntries(VARIANTS.map((v) => [v, summarize(wall(v))])) as Record<Variant, Summary>),
    adapterReportedProveMs: summarize(collected.adapter.map((s) => s.reportedProveMs!)),
    snarkjsColdProveOnly: summarize(collected['snarkjs-cold'].map((s) => s.proveOnlyMs!)),
  };
  const inProcess = VARIANTS.filter((v): v is Exclude<Variant, 'snarkjs-cli'> => v !== 'snarkjs-cli');
  const cpuSummary = Object.fromEntries(inProcess.map((v) => [v, summarize(collected[v].map((s) => s.cpuMs!))])) as SystemResult['cpuSummary'];
  const paired = collected.adapter.map((s, i) => s.wallMs / collected['snarkjs-cold'][i]!.wallMs - 1);
  return {
    summary,
    cpuSummary,
    overhead: {
      minWallPercent: 100 * (summary.adapter.minMs / summary['snarkjs-cold'].minMs - 1),
      cpuRatioOfMediansPercent: 100 * (cpuSummary.adapter.medianMs / cpuSummary['snarkjs-cold'].medianMs - 1),
      pairedMedianPercent: 100 * median(paired),
      ratioOfMediansPercent: 100 * (summary.adapter.medianMs / summary['snarkjs-cold'].medianMs - 1),
      reportedVsWarmPercent: 100 * (summary.adapterReportedProveMs.medianMs / summary['snarkjs-warm'].medianMs - 1),
      curveLifecycleMs: summary['snarkjs-cold'].medianMs - summary['snarkjs-warm'].medianMs,
    },
  };
}

const runs: SystemResult[] = [];
try {
  for (const system of systems) {
    const needed = await choosePower({ system, r1csFile: compiled.r1csFile });
    const ptau = await ensurePtau({ power: needed.power });
    const setup = await setupCircuit({ system, r1csFile: compiled.r1csFile, ptauFile: ptau.file });
    const snarkjsProve = (system === 'groth16' ? snarkjs.groth16.prove : snarkjs.plonk.prove) as (zkey: string, wtns: string) => Promise<unknown>;
    const adapterProve = system === 'groth16' ? proveGroth16 : provePlonk;

    const measure: Record<Variant, (round: number) => Promise<Sample>> = {
      'snarkjs-cold': async (round) => {
        await terminateCurve();
        const cpu = process.cpuUsage();
        const start = performance.now();
        await snarkjsProve(setup.zkeyFile, wtnsFile);
        const proveOnlyMs = performance.now() - start;
        await terminateCurve();
        return { round, wallMs: performance.now() - start, proveOnlyMs, cpuMs: cpuMsSince(cpu) };
      },
      'snarkjs-warm': async (round) => {
        await snarkjs.curves.getCurveFromName('bn128');
        const cpu = process.cpuUsage();
        const start = performance.now();
        await snarkjsProve(setup.zkeyFile, wtnsFile);
        const wallMs = performance.now() - start;
        const cpuMs = cpuMsSince(cpu);
        await terminateCurve();
        return { round, wallMs, cpuMs };
      },
      adapter: async (round) => {
        await terminateCurve();
        const cpu = process.cpuUsage();
        const start = performance.now();
        const result = await adapterProve({ zkeyFile: setup.zkeyFile, wtns });
        return { round, wallMs: performance.now() - start, reportedProveMs: result.proveMs, cpuMs: cpuMsSince(cpu) };
      },
      proveInference: async (round) => {
        await terminateCurve();
        const cpu = process.cpuUsage();
        const start = performance.now();
        const result = await proveInference({ model, inputs, settings, system });
        if (!result.verified || !result.setupCached || !result.circuit.compileCached) throw new Error(`proveInference: expected a verified proof from the cached build (verified ${result.verified}, setupCached ${result.setupCached})`);
        return { round, wallMs: performance.now() - start, reportedProveMs: result.proveMs, cpuMs: cpuMsSince(cpu) };
      },
      'snarkjs-cli': async (round) => {
        const start = performance.now();
        execFileSync(process.execPath, [snarkjsCli, system, 'prove', setup.zkeyFile, wtnsFile, path.join(workDir, 'proof.json'), path.join(workDir, 'public.json')], { stdio: 'ignore' });
        return { round, wallMs: performance.now() - start };
      },
    };

    // One untimed pass of every variant: page cache, JIT, lazily loaded modules.
    for (const variant of VARIANTS) await measure[variant](-1);

    const collected = Object.fromEntries(VARIANTS.map((v) => [v, [] as Sample[]])) as Record<Variant, Sample[]>;
    const loadStart = loadavg()[0]!;
    for (let round = 0; round < samples; round++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const variant of order) collected[variant].push(await measure[variant](round));
      process.stderr.write(`prove-overhead: ${system} round ${round + 1}/${samples}: ${VARIANTS.map((v) => `${v} ${collected[v].at(-1)!.wallMs.toFixed(0)} ms`).join(', ')}\n`);
    }
    runs.push({
      system,
      circuit,
      zkeyFile: path.relative(process.cwd(), setup.zkeyFile),
      zkeyBytes: setup.zkeyBytes,
      ptauPower: ptau.power,
      samples: collected,
      ...deriveFigures(collected),
      loadAverage1m: { start: loadStart, end: loadavg()[0]! },
      samplesPerVariant: samples,
    });
  }
} finally {
  await terminateCurve();
  rmSync(workDir, { recursive: true, force: true });
}

// Runs of other (system, model) pairs already in the file are kept (e.g. PLONK measured on a
// smaller circuit in a separate invocation, because its setup at 2^16 takes many minutes here).
const outFile = path.resolve(values.out!);
const kept: SystemResult[] = (existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as { runs: SystemResult[] }).runs : [])
  .filter((old) => !runs.some((r) => r.system === old.system && r.circuit.model === old.circuit.model))
  .map((old) => ({ ...old, ...deriveFigures(old.samples) }));
const results = {
  schema: 'opzk-bench/prove-overhead@1',
  createdAt: new Date().toISOString(),
  method: 'interleaved rounds, order rotated each round, one untimed warm-up pass; wall = performance.now(); cpu = process.cpuUsage() (all threads of this process)',
  environment: collectEnvironment(),
  runs: [...kept, ...runs],
};
writeFileAtomic({ file: outFile, content: JSON.stringify(results, null, 2) + '\n' });
for (const run of results.runs) {
  const s = run.summary;
  process.stderr.write(
    `${run.system}: snarkjs cold ${s['snarkjs-cold'].medianMs.toFixed(0)} ms, warm ${s['snarkjs-warm'].medianMs.toFixed(0)} ms, adapter ${s.adapter.medianMs.toFixed(0)} ms (reports ${s.adapterReportedProveMs.medianMs.toFixed(0)}), proveInference ${s.proveInference.medianMs.toFixed(0)} ms, CLI ${s['snarkjs-cli'].medianMs.toFixed(0)} ms; overhead: ratio of medians ${run.overhead.ratioOfMediansPercent.toFixed(1)} %, paired ${run.overhead.pairedMedianPercent.toFixed(1)} %, min ${run.overhead.minWallPercent.toFixed(1)} %, CPU ${run.overhead.cpuRatioOfMediansPercent.toFixed(1)} %\n`,
  );
}
process.exit(0);
