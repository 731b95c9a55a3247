/**
 * Engine vs onnxruntime-node throughput at batch 1, one thread, side by side in one process, per
 * zoo model: the engine with its SIMD kernels (the default), the same engine with
 * `kernels: 'scalar'` (its float64 loops: the engine before the kernels) and onnxruntime-node
 * (one intra-op thread), on a dense random input (uniform [0, 1) per element, seeded: no zero
 * for the engine to skip) and, for the MNIST models, a held-out digit (mostly zero pixels).
 * Goal (issue 13 §2): engine ≥ 1× onnxruntime on the dense input, for every MLP and the CNN.
 *
 * Two measurements per task: tinybench's wall-clock latency (mean, p50), and CPU time per run
 * (process.cpuUsage, all threads) in interleaved rounds — every task of a model runs one batch per
 * round, round after round, and the median of the rounds is kept — so that a load spike from
 * other processes on a shared machine hits all tasks of a round alike instead of one task. The
 * ratios (engine throughput / onnxruntime throughput) are given from both. Not a test: timings
 * depend on the machine and its load, which the result records.
 *
 * Run: `npx tsx bench/engine.bench.ts [--models a,b,…] [--time-ms 1000] [--rounds 15] [--json] [--out DIR]`
 * `--out DIR` writes DIR/results.json and DIR/report.md (atomically).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { collectEnvironment, describeMachine } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import { createEngine } from '../src/engine/createEngine.ts';
import { createNativeSession } from '../src/native/createNativeSession.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { createPrng } from '../src/zoo/createPrng.ts';
import { readZoo } from '../src/zoo/readZoo.ts';
import { sampleInputs } from '../src/zoo/sampleInputs.ts';

const DEFAULT_MODELS = ['mnist-mlp-784-56-10', 'mnist-mlp-196-24-10', 'mnist-cnn', 'mlp-w8', 'mlp-w16', 'mlp-w32', 'mlp-w64', 'mlp-w128', 'mlp-w256', 'mlp-w512', 'mlp-w1024'];

function usage(message: string): never {
  console.error(`engine.bench: ${message}\nusage: npx tsx bench/engine.bench.ts [--models a,b,…] [--time-ms N] [--rounds N] [--json] [--out DIR]`);
  process.exit(2);
}

let values: { models: string; 'time-ms': string; rounds: string; json: boolean; out?: string };
try {
  values = parseArgs({
    options: {
      models: { type: 'string', default: DEFAULT_MODELS.join(',') },
      'time-ms': { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '15' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  }).values as typeof values;
} catch (error) {
  usage((error as Error).message);
}
const timeMs = Number(values['time-ms']);
const rounds = Number(values.rounds);
if (!Number.isFinite(timeMs) || timeMs <= 0) usage(`--time-ms ${values['time-ms']} is not a positive number of milliseconds`);
if (!Number.isInteger(rounds) || rounds < 3) usage(`--rounds ${values.rounds} must be an integer ≥ 3`);
const zoo = readZoo();
const modelNames = values.models.split(',').map((m) => m.trim()).filter(Boolean);
for (const name of modelNames)
  if (!zoo.models.some((m) => m.name === name)) usage(`unknown model '${name}' (zoo models: ${zoo.models.map((m) => m.name).join(', ')})`);

interface TaskResult {
  task: string;
  engine: 'simd' | 'scalar' | 'onnxruntime-node';
  input: 'dense' | 'digit';
  /** 1000 / meanLatencyMs (tinybench's throughput.mean averages 1/latency, which overstates it). */
  opsPerSecond: number;
  meanLatencyMs: number;
  p50LatencyMs: number;
  /** Median over the interleaved rounds of process CPU time (user + system, all threads) per run, µs. */
  cpuMicrosPerRun: number;
}

interface ModelResult {
  model: string;
  parameters: number;
  architecture: string;
  /** The kernel of each matmul/conv layer in the SIMD engine. */
  layerKernels: Record<string, string>;
  tasks: TaskResult[];
  /** engine (SIMD) throughput / onnxruntime-node throughput: wall clock, and CPU time per run. */
  engineOverOrtDenseWall: number;
  engineOverOrtDenseCpu: number;
  engineOverOrtDigitWall?: number;
  engineOverOrtDigitCpu?: number;
  /** SIMD engine / scalar engine throughput on the dense input (CPU time). */
  simdOverScalarDenseCpu: number;
}

const random = createPrng({ seed: 7 }).next;
const loadAtStart = loadavg()[0]!;
// Before measuring: the commit and dirty flag must describe the code that ran.
const environment = collectEnvironment();
const results: ModelResult[] = [];

for (const name of modelNames) {
  const metadata = zoo.models.find((m) => m.name === name)!;
  const file = metadata.file;
  const model = quantizeModel({ file });
  const simd = createEngine({ model });
  const scalar = createEngine({ model, kernels: 'scalar' });
  const input = model.inputs[0]!;
  const size = input.dims.reduce((a, b) => a * b, 1);
  const dense = Array.from({ length: size }, () => random());
  const digit = metadata.inputData.startsWith('mnist') ? Array.from(sampleInputs({ name, count: 1 })[0]![input.name]!.data) : undefined;
  const session = await createNativeSession({ file, threads: 1 });
  const tasks: { task: string; engine: TaskResult['engine']; input: TaskResult['input']; run: () => unknown }[] = [];
  for (const [kind, x] of [['dense', dense], ['digit', digit]] as const) {
    if (!x) continue;
    const quantized = quantizeInputs({ model, inputs: { [input.name]: x } });
    const nativeInput = { [input.name]: { dims: input.dims, data: Float32Array.from(x) } };
    // The kernels must not change a single integer: check before timing.
    if (JSON.stringify(simd.run(quantized).outputs) !== JSON.stringify(scalar.run(quantized).outputs))
      throw new Error(`${name}: SIMD and scalar engines disagree on the ${kind} input`);
    tasks.push({ task: `engine (SIMD), ${kind}`, engine: 'simd', input: kind, run: () => simd.run(quantized) });
    if (kind === 'dense') tasks.push({ task: `engine (scalar), ${kind}`, engine: 'scalar', input: kind, run: () => scalar.run(quantized) });
    tasks.push({ task: `onnxruntime-node, ${kind}`, engine: 'onnxruntime-node', input: kind, run: () => session.run(nativeInput) });
  }

  const bench = new Bench({ time: timeMs, warmupTime: 200 });
  for (const { task, run } of tasks) bench.add(task, async () => { await run(); });
  const cpuSamples: number[][] = tasks.map(() => []);
  try {
    await bench.run();
    // Batch size per task: about timeMs / rounds / tasks of CPU per batch, from tinybench's mean.
    const perRun = bench.tasks.map((t) => ((t.result as { latency?: { mean: number } } | undefined)?.latency?.mean ?? 1) * 1000);
    const batch = perRun.map((micros) => Math.max(20, Math.round((timeMs * 1000) / rounds / micros)));
    for (let round = 0; round < rounds; round++)
      for (const [i, { run }] of tasks.entries()) {
        const start = process.cpuUsage();
        for (let r = 0; r < batch[i]!; r++) await run();
        const used = process.cpuUsage(start);
        cpuSamples[i]!.push((used.user + used.system) / batch[i]!);
      }
  } finally {
    await session.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows: TaskResult[] = bench.tasks.map((task, i) => {
    const result = task.result as { latency?: { mean: number; p50?: number } } | undefined;
    const meanLatencyMs = result?.latency?.mean ?? 0;
    return { task: tasks[i]!.task, engine: tasks[i]!.engine, input: tasks[i]!.input, opsPerSecond: meanLatencyMs > 0 ? 1000 / meanLatencyMs : 0, meanLatencyMs, p50LatencyMs: result?.latency?.p50 ?? 0, cpuMicrosPerRun: median(cpuSamples[i]!) };
  });
  const find = (engine: TaskResult['engine'], kind: TaskResult['input']) => rows.find((r) => r.engine === engine && r.input === kind);
  const ratio = (kind: TaskResult['input']) => {
    const e = find('simd', kind);
    const o = find('onnxruntime-node', kind);
    return e && o ? { wall: e.opsPerSecond / o.opsPerSecond, cpu: o.cpuMicrosPerRun / e.cpuMicrosPerRun } : undefined;
  };
  const denseRatio = ratio('dense')!;
  const digitRatio = ratio('digit');
  results.push({
    model: name,
    parameters: metadata.parameters,
    architecture: metadata.architecture,
    layerKernels: { ...simd.layerKernels },
    tasks: rows,
    engineOverOrtDenseWall: denseRatio.wall,
    engineOverOrtDenseCpu: denseRatio.cpu,
    ...(digitRatio ? { engineOverOrtDigitWall: digitRatio.wall, engineOverOrtDigitCpu: digitRatio.cpu } : {}),
    simdOverScalarDenseCpu: find('scalar', 'dense')!.cpuMicrosPerRun / find('simd', 'dense')!.cpuMicrosPerRun,
  });
  if (!values.json) {
    const r = results.at(-1)!;
    console.log(`${name} (${r.architecture}; kernels ${Object.entries(r.layerKernels).map(([l, k]) => `${l}=${k}`).join(' ')})`);
    for (const row of rows)
      console.log(`  ${row.task.padEnd(28)} ${row.opsPerSecond.toFixed(0).padStart(8)} ops/s wall   mean ${(row.meanLatencyMs * 1000).toFixed(1).padStart(7)} µs   ${row.cpuMicrosPerRun.toFixed(1).padStart(7)} µs CPU`);
    console.log(`  engine / onnxruntime, dense: ${r.engineOverOrtDenseCpu.toFixed(2)}× (CPU) ${r.engineOverOrtDenseWall.toFixed(2)}× (wall)${r.engineOverOrtDigitCpu ? `; digit: ${r.engineOverOrtDigitCpu.toFixed(2)}× (CPU) ${r.engineOverOrtDigitWall!.toFixed(2)}× (wall)` : ''}; SIMD / scalar engine, dense: ${r.simdOverScalarDenseCpu.toFixed(1)}×   (load ${loadavg()[0]!.toFixed(1)})`);
  }
}

const report = {
  format: 'opzk-engine-bench/1',
  date: new Date().toISOString(),
  environment,
  /** 1-minute load average when the run started and when it ended (the machine is shared). */
  loadAverage1mAtStart: loadAtStart,
  loadAverage1mAtEnd: loadavg()[0]!,
  settings: {
    batch: 1,
    onnxruntimeIntraOpThreads: 1,
    engineThreads: 1,
    denseInput: 'uniform [0, 1) per element, mulberry32 seed 7, quantized at scale 2^scaleBits for the engine, float32 for onnxruntime',
    digitInput: 'the first held-out digit of sampleInputs (MNIST models only)',
    tinybenchTimeMsPerTask: timeMs,
    tinybenchWarmupMs: 200,
    cpuRounds: rounds,
    units: { opsPerSecond: 'inferences per second (wall clock)', meanLatencyMs: 'milliseconds (wall clock)', cpuMicrosPerRun: 'microseconds of process CPU time per inference (median over rounds)', ratios: 'engine throughput / onnxruntime throughput (> 1: engine faster)' },
  },
  models: results,
};

function renderMarkdown(): string {
  const lines = [
    '# Engine vs onnxruntime-node, batch 1, one thread',
    '',
    `${describeMachine(environment)}; onnxruntime-node ${environment.tools['onnxruntime-node']}, tinybench ${environment.tools.tinybench}; commit \`${environment.git.commit.slice(0, 12)}\`${environment.git.dirty ? ' (dirty)' : ''}; ${report.date}; load average ${loadAtStart.toFixed(1)} at the start, ${report.loadAverage1mAtEnd.toFixed(1)} at the end (${environment.machine.cores} cores, shared).`,
    '',
    `Dense input: ${report.settings.denseInput}. CPU µs: median of ${rounds} interleaved rounds of process CPU time per inference; wall: tinybench mean over ${timeMs} ms per task. Ratio = engine (SIMD) throughput / onnxruntime throughput.`,
    '',
    '| model | kernels | engine SIMD, dense (µs CPU) | engine scalar, dense | onnxruntime, dense | **engine / ORT, dense (CPU)** | (wall) | engine / ORT, digit (CPU) | SIMD / scalar |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const cpu = (engine: TaskResult['engine']) => r.tasks.find((t) => t.engine === engine && t.input === 'dense')!.cpuMicrosPerRun.toFixed(1);
    const kernels = [...new Set(Object.values(r.layerKernels))].join(', ');
    lines.push(`| ${r.model} | ${kernels} | ${cpu('simd')} | ${cpu('scalar')} | ${cpu('onnxruntime-node')} | **${r.engineOverOrtDenseCpu.toFixed(2)}×** | ${r.engineOverOrtDenseWall.toFixed(2)}× | ${r.engineOverOrtDigitCpu === undefined ? '—' : `${r.engineOverOrtDigitCpu.toFixed(2)}×`} | ${r.simdOverScalarDenseCpu.toFixed(1)}× |`);
  }
  const below = results.filter((r) => r.engineOverOrtDenseCpu < 1);
  lines.push('', below.length === 0 ? 'Every model: engine ≥ 1× onnxruntime on the dense input (CPU time).' : `Below 1× on the dense input (CPU time): ${below.map((r) => `${r.model} ${r.engineOverOrtDenseCpu.toFixed(2)}×`).join(', ')}.`, '');
  return lines.join('\n');
}

if (values.out) {
  writeFileAtomic({ file: join(values.out, 'results.json'), content: `${JSON.stringify(report, null, 2)}\n` });
  writeFileAtomic({ file: join(values.out, 'report.md'), content: renderMarkdown() });
}
if (values.json) console.log(JSON.stringify(report));
else console.log(`\n${renderMarkdown()}`);
