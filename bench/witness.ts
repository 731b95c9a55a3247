/**
 * Witness time per inference, cold and warm, by the way it is computed (not a test; issue 13 §1):
 *   circom           circom's witness calculator (wasm), as proveInference ran it before the
 *                    direct builder: V8 compiles the module, Liftoff runs it, TurboFan tiers it up
 *                    on the main thread (the stall the timer includes).
 *   circom-liftoff   the same wasm in a process started with `--liftoff-only`: no TurboFan tier-up.
 *                    The "cache the compiled wasm" road: Node 20 has no persistent code cache for
 *                    WebAssembly (v8.serialize of a WebAssembly.Module gives a 2-byte placeholder),
 *                    so not compiling the optimised code at all is the nearest measurable variant.
 *   direct           the direct builder's gadgets (src/zk/r1cs/computeDirectWitness): no wasm.
 * Each (model, way) runs in its own child process: `cold` is the first witness in that process
 * (after importing the modules and quantizing the model, which are not witness work), `warm` the
 * median of the next `--warm` witnesses of the same input. circom needs the model's compiled
 * circuit: it is compiled (and timed into compileMs) when not cached, unless --no-compile, which
 * skips the circom ways for uncached models. Writes results/witness/witness.json atomically after
 * each model.
 *
 * `--inputs hashed` measures the hashed input mode (the default of the 196- and 784-pixel zoo
 * models: InputCommitment's range checks and Poseidon chain in the witness); runs are kept per
 * (model, way, inputs).
 *
 * Run: `npx tsx bench/witness.ts [--models a,b] [--ways circom,circom-liftoff,direct] [--inputs public|hashed] [--warm 5] [--no-compile] [--out FILE]`
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectEnvironment } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';

const WAYS = ['circom', 'circom-liftoff', 'direct'] as const;
type Way = (typeof WAYS)[number];
const INPUT_MODES = ['public', 'hashed'] as const;
type InputMode = (typeof INPUT_MODES)[number];
const DEFAULT_MODELS = ['linreg', 'mnist-mlp-196-24-10', 'mnist-cnn', 'mnist-mlp-784-56-10', 'mlp-w8', 'mlp-w16', 'mlp-w32', 'mlp-w64', 'mlp-w128', 'mlp-w256', 'mlp-w512', 'mlp-w1024'];

interface ChildReport {
  model: string;
  way: Way;
  /** The circuit's input mode (absent in runs recorded before the option: public). */
  inputs?: InputMode;
  builder: 'circom' | 'direct';
  constraints: number;
  /** circom compile or direct build in this child, ms (0 when cached). */
  buildMs: number;
  buildCached: boolean;
  coldMs: number;
  warmMs: number[];
  warmMedianMs: number;
  /** CPU time of the whole process (all threads: V8's compiler threads too) over the same calls, ms: less disturbed by other load than wall time. */
  coldCpuMs: number;
  warmCpuMedianMs: number;
}

interface WitnessRun extends Partial<ChildReport> {
  model: string;
  way: Way;
  status: 'measured' | 'skipped' | 'failed';
  reason?: string;
  loadAverage1m: { start: number; end: number };
  finishedAt: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function child(model: string, way: Way, warm: number, compile: boolean, inputMode: InputMode): Promise<void> {
  const { quantizeModel } = await import('../src/quant/quantizeModel.ts');
  const { quantizeInputs } = await import('../src/quant/quantizeInputs.ts');
  const { resolveModelSettings, loadCliInputs } = await import('../src/cli/commands/infer.ts');
  const { buildCircuit, computeWitness } = await import('../src/zk/buildCircuit.ts');
  const { buildCircuitInput } = await import('../src/zk/buildCircuitInput.ts');
  const { generateCircuit } = await import('../src/zk/generateCircuit.ts');
  const { runEngine } = await import('../src/engine/runEngine.ts');
  const { readCircuitOutputs } = await import('../src/zk/readCircuitOutputs.ts');
  const modelSettings = resolveModelSettings(model, undefined, undefined);
  const quantized = quantizeModel({ file: modelSettings.resolved.file, name: modelSettings.resolved.name, scaleBits: modelSettings.scaleBits, valueBits: modelSettings.valueBits });
  const inputs = quantizeInputs({ model: quantized, inputs: loadCliInputs(modelSettings, []) });
  const settings = { weights: 'constant', relu: 'bounded', inputs: inputMode } as const;
  if (way !== 'direct' && !compile) {
    const generated = await generateCircuit({ model: quantized, settings });
    if (!existsSync(path.join(generated.dir, 'main.compile.json'))) {
      console.log(JSON.stringify({ skipped: 'circom compile not cached (--no-compile)' }));
      return;
    }
  }
  const circuit = await buildCircuit({ model: quantized, settings, builder: way === 'direct' ? 'direct' : 'circom' });
  const { input } = await buildCircuitInput({ model: quantized, layout: circuit.layout, inputs });
  const times: number[] = [];
  const cpu: number[] = [];
  let witness: bigint[] = [];
  for (let i = 0; i <= warm; i++) {
    const before = process.cpuUsage();
    const result = await computeWitness({ circuit, model: quantized, settings, input });
    const used = process.cpuUsage(before);
    times.push(result.witnessMs);
    cpu.push((used.user + used.system) / 1000);
    witness = result.witness;
  }
  // The witness is the engine's inference (as proveInference checks).
  const outputs = readCircuitOutputs({ layout: circuit.layout, witness });
  const expected = runEngine({ model: quantized, inputs }).outputs;
  if (outputs.some((output, index) => output.data.some((value, i) => value !== expected[index]!.data[i]))) throw new Error(`${model}: witness outputs differ from the engine`);
  const report: ChildReport = {
    model, way, inputs: inputMode, builder: circuit.builder, constraints: circuit.constraints, buildMs: circuit.compileMs, buildCached: circuit.cached,
    coldMs: times[0]!, warmMs: times.slice(1), warmMedianMs: median(times.slice(1)),
    coldCpuMs: cpu[0]!, warmCpuMedianMs: median(cpu.slice(1)),
  };
  console.log(JSON.stringify(report));
}

function runChild(model: string, way: Way, warm: number, compile: boolean, inputMode: InputMode): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const flags = way === 'circom-liftoff' ? ['--liftoff-only'] : [];
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const process_ = spawn(process.execPath, [...flags, '--import', 'tsx', self, '--child', model, '--way', way, '--warm', String(warm), '--inputs', inputMode, ...(compile ? [] : ['--no-compile'])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk) => (stdout += chunk));
    process_.stderr.on('data', (chunk) => (stderr += chunk));
    process_.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: DEFAULT_MODELS.join(',') },
    ways: { type: 'string', default: WAYS.join(',') },
    warm: { type: 'string', default: '5' },
    inputs: { type: 'string', default: 'public' },
    'no-compile': { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/witness/witness.json' },
    child: { type: 'string' },
    way: { type: 'string' },
  },
});
const warm = Number(values.warm);
const inputMode = values.inputs as InputMode;
if (!INPUT_MODES.includes(inputMode)) throw new Error(`--inputs: '${inputMode}' is not one of ${INPUT_MODES.join(', ')}`);
if (values.child) {
  await child(values.child, values.way as Way, warm, !values['no-compile'], inputMode);
} else {
  const outFile = path.resolve(values.out!);
  const previous: WitnessRun[] = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as { runs: WitnessRun[] }).runs : [];
  const results = {
    schema: 'opzk-bench/witness@1',
    createdAt: new Date().toISOString(),
    command: `npx tsx bench/witness.ts --warm ${warm} --inputs ${inputMode}${values['no-compile'] ? ' --no-compile' : ''}`,
    units: 'milliseconds (wall clock; *CpuMs: process CPU time, all threads); coldMs: the first witness in a fresh child process; warmMedianMs: median of the next warm witnesses of the same input',
    settings: { weights: 'constant', relu: 'bounded', inputs: 'per run (public unless a run says hashed)', input: "the zoo model's first sample" },
    environment: collectEnvironment(),
    runs: previous,
  };
  for (const model of values.models!.split(',').filter(Boolean))
    for (const way of values.ways!.split(',').filter(Boolean) as Way[]) {
      if (!WAYS.includes(way)) throw new Error(`--ways: '${way}' is not one of ${WAYS.join(', ')}`);
      process.stderr.write(`witness: ${model} ${way} inputs=${inputMode} … `);
      const start = loadavg()[0]!;
      const result = await runChild(model, way, warm, !values['no-compile'], inputMode);
      const base = { model, way, inputs: inputMode, loadAverage1m: { start, end: loadavg()[0]! }, finishedAt: new Date().toISOString() };
      let run: WitnessRun;
      const line = result.stdout.trim().split('\n').pop() ?? '';
      if (result.code === 0 && line.startsWith('{')) {
        const parsed = JSON.parse(line) as ChildReport & { skipped?: string };
        run = parsed.skipped ? { ...base, status: 'skipped', reason: parsed.skipped } : { ...base, ...parsed, status: 'measured' };
      } else {
        const lines = result.stderr.trim().split('\n');
        run = { ...base, status: 'failed', reason: `exit ${result.code}: ${(lines.find((l) => /Error/.test(l)) ?? lines.at(-1) ?? '').slice(0, 400)}` };
      }
      results.runs = results.runs.filter((r) => !(r.model === model && r.way === way && (r.inputs ?? 'public') === inputMode));
      results.runs.push(run);
      results.createdAt = new Date().toISOString();
      writeFileAtomic({ file: outFile, content: `${JSON.stringify(results, null, 2)}\n` });
      process.stderr.write(run.status === 'measured' ? `cold ${run.coldMs!.toFixed(1)} ms (cpu ${run.coldCpuMs!.toFixed(1)}), warm ${run.warmMedianMs!.toFixed(1)} ms (cpu ${run.warmCpuMedianMs!.toFixed(1)}) (${run.constraints} constraints)\n` : `${run.status}: ${run.reason}\n`);
    }
}
