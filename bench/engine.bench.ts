/**
 * Engine vs onnxruntime-node throughput at batch 1, in the same process, on the MNIST MLP
 * (models/mnist-mlp-784-56-10.onnx, or a seeded random 784-56-10 Gemm/Relu model built in code
 * when the zoo has not been built). Run: `npx tsx bench/engine.bench.ts [--time-ms N] [--json]`.
 * onnxruntime runs with one intra-op thread, like the engine. The goal: engine ≥ ½ ORT throughput.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { createEngine } from '../src/engine/createEngine.ts';
import { createNativeSession } from '../src/native/createNativeSession.ts';
import { encodeOnnxModel } from '../src/onnx/encodeOnnxModel.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { createPrng } from '../src/zoo/createPrng.ts';

const { values } = parseArgs({ options: { 'time-ms': { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } } });
const timeMs = Number(values['time-ms']);

const zooFile = 'models/mnist-mlp-784-56-10.onnx';
let file = zooFile;
let temporary: string | undefined;
const random = createPrng({ seed: 7 }).next;
if (!existsSync(zooFile)) {
  temporary = mkdtempSync(join(tmpdir(), 'opzk-bench-'));
  file = join(temporary, 'random-mlp-784-56-10.onnx');
  const matrix = (rows: number, cols: number) => Array.from({ length: rows * cols }, () => (random() * 2 - 1) / Math.sqrt(rows));
  writeFileSync(file, encodeOnnxModel({
    inputs: [{ name: 'input', dims: [1, 784] }],
    outputs: [{ name: 'output', dims: [1, 10] }],
    initializers: [
      { name: 'W1', dims: [56, 784], data: matrix(784, 56) },
      { name: 'b1', dims: [56], data: matrix(1, 56) },
      { name: 'W2', dims: [10, 56], data: matrix(56, 10) },
      { name: 'b2', dims: [10], data: matrix(1, 10) },
    ],
    nodes: [
      { opType: 'Gemm', inputs: ['input', 'W1', 'b1'], outputs: ['h'], attributes: { transB: 1 } },
      { opType: 'Relu', inputs: ['h'], outputs: ['r'] },
      { opType: 'Gemm', inputs: ['r', 'W2', 'b2'], outputs: ['output'], attributes: { transB: 1 } },
    ],
  }));
}

const model = quantizeModel({ file });
const engine = createEngine({ model });
const input = model.inputs[0]!;
// The realistic input is a held-out MNIST digit (mostly zero pixels, which the engine skips);
// a dense uniform random input shows the worst case.
let digit: number[];
let inputSource: string;
try {
  if (file !== zooFile) throw new Error('no zoo');
  const { sampleInputs } = await import('../src/zoo/sampleInputs.ts');
  digit = Array.from(sampleInputs({ name: 'mnist-mlp-784-56-10', count: 1 })[0]![input.name]!.data);
  inputSource = 'held-out MNIST digit (sampleInputs)';
} catch {
  digit = Array.from({ length: 784 }, (_, i) => ((i % 28) > 6 && (i % 28) < 21 && i > 168 && i < 616 && random() > 0.5 ? random() : 0));
  inputSource = 'synthetic digit-like input (zoo not built)';
}
const dense = Array.from({ length: digit.length }, () => random());
const quantizedDigit = quantizeInputs({ model, inputs: { [input.name]: digit } });
const quantizedDense = quantizeInputs({ model, inputs: { [input.name]: dense } });
const session = await createNativeSession({ file, threads: 1 });
const nativeDigit = { [input.name]: { dims: input.dims, data: Float32Array.from(digit) } };
const nativeDense = { [input.name]: { dims: input.dims, data: Float32Array.from(dense) } };

const tasks: [string, () => unknown][] = [
  ['engine, digit (quantized input)', () => engine.run(quantizedDigit)],
  ['onnxruntime-node, digit (float)', () => session.run(nativeDigit)],
  ['engine, digit (float input + quantizeInputs)', () => engine.run(quantizeInputs({ model, inputs: { [input.name]: digit } }))],
  ['engine, dense random input (quantized)', () => engine.run(quantizedDense)],
  ['onnxruntime-node, dense random input', () => session.run(nativeDense)],
];
const bench = new Bench({ time: timeMs, warmupTime: 200 });
for (const [name, run] of tasks) bench.add(name, async () => {
  await run();
});

/**
 * Process CPU time per run (user + system, all threads) over a fixed number of runs: on a shared,
 * loaded machine wall-clock latency mostly measures the scheduler, CPU time the work.
 */
async function cpuMicrosPerRun(run: () => unknown, runs: number): Promise<number> {
  for (let i = 0; i < Math.min(200, runs); i++) await run();
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / runs;
}
const cpuRuns = Math.max(200, Math.round(timeMs * 2));
const cpuMicros: number[] = [];
try {
  await bench.run();
  for (const [, run] of tasks) cpuMicros.push(await cpuMicrosPerRun(run, cpuRuns));
} finally {
  await session.close();
  if (temporary) rmSync(temporary, { recursive: true, force: true });
}

const rows = bench.tasks.map((task) => {
  const result = task.result as { throughput?: { mean: number }; latency?: { mean: number; p50?: number }; samplesCount?: number } | undefined;
  const meanLatencyMs = result?.latency?.mean ?? 0;
  // Throughput as 1 / mean latency (tinybench's throughput.mean averages 1/latency, which overstates it).
  return { task: task.name, opsPerSecond: meanLatencyMs > 0 ? 1000 / meanLatencyMs : 0, meanLatencyMs, p50LatencyMs: result?.latency?.p50 ?? 0 };
}).map((row, i) => ({ ...row, cpuMicrosPerRun: cpuMicros[i]! }));
const report = {
  model: file === zooFile ? zooFile : 'random 784-56-10 Gemm/Relu (built in code)',
  input: inputSource,
  scaleBits: model.scaleBits,
  valueBits: model.valueBits,
  node: process.version,
  timeMsPerTask: timeMs,
  rows,
  /** engine throughput / onnxruntime throughput on the digit, and on the dense input. */
  engineOverOrtDigit: rows[0]!.opsPerSecond / rows[1]!.opsPerSecond,
  engineOverOrtDense: rows[3]!.opsPerSecond / rows[4]!.opsPerSecond,
  /** The same ratios from CPU time per run (ORT's CPU time / engine's). */
  engineOverOrtDigitCpu: rows[1]!.cpuMicrosPerRun / rows[0]!.cpuMicrosPerRun,
  engineOverOrtDenseCpu: rows[4]!.cpuMicrosPerRun / rows[3]!.cpuMicrosPerRun,
  loadAverage1m: (await import('node:os')).loadavg()[0],
  cpus: (await import('node:os')).cpus().length,
};
if (values.json) console.log(JSON.stringify(report));
else {
  console.log(`${report.model}, batch 1, input: ${inputSource}, scaleBits=${model.scaleBits}, valueBits=${model.valueBits}, Node ${process.version}`);
  for (const row of rows)
    console.log(`  ${row.task.padEnd(48)} ${row.opsPerSecond.toFixed(0).padStart(8)} ops/s   mean ${(row.meanLatencyMs * 1000).toFixed(1).padStart(7)} µs wall   ${row.cpuMicrosPerRun.toFixed(1).padStart(7)} µs CPU`);
  console.log(`  engine / onnxruntime throughput: ${report.engineOverOrtDigit.toFixed(2)} on the digit, ${report.engineOverOrtDense.toFixed(2)} on the dense input (wall clock)`);
  console.log(`  engine / onnxruntime by CPU time: ${report.engineOverOrtDigitCpu.toFixed(2)} on the digit, ${report.engineOverOrtDenseCpu.toFixed(2)} on the dense input`);
  console.log(`  (load average ${report.loadAverage1m.toFixed(1)} on ${report.cpus} CPUs)`);
}
