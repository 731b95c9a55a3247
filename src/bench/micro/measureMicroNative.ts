/**
 * The native baselines of the micro suite, for the same N operations on the same inputs as the
 * circuit: a JS float loop, the fixed-point engine (integer arithmetic with range checks) and
 * onnxruntime-node on a one-op ONNX model, each timed with tinybench in this process.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Bench } from 'tinybench';
import { createEngine } from '../../engine/createEngine.ts';
import { createNativeSession } from '../../native/createNativeSession.ts';
import { ToolError } from '../../errors.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { Progress } from '../createProgress.ts';
import { buildOneOpModel } from './buildOneOpModel.ts';
import { writeOneOpOnnx, type OneOpType } from './writeOneOpOnnx.ts';
import { MICRO_OPS, SOFTMAX_ROW, type MicroOpId, type MicroSettings } from './microOps.ts';

export interface MeasureMicroNativeParameters {
  op: MicroOpId;
  n: number;
  settings: MicroSettings;
  cacheDir: string;
  progress?: Progress;
}

export type MeasureMicroNativeResult = Measurement[];

/** JS float: the same N operations on float64 values (integers / 2^s). */
function jsFloatTask(op: MicroOpId, a: Float64Array, b: Float64Array | undefined): () => number {
  const n = a.length;
  const out = new Float64Array(n);
  if (op === 'dot') return () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += a[i]! * b![i]!;
    return sum;
  };
  if (op === 'mul' || op === 'fixed-mul') return () => {
    for (let i = 0; i < n; i++) out[i] = a[i]! * b![i]!;
    return out[n - 1]!;
  };
  if (op === 'sigmoid') return () => {
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-a[i]!));
    return out[n - 1]!;
  };
  if (op === 'tanh') return () => {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]!);
    return out[n - 1]!;
  };
  if (op === 'softmax-8') return () => {
    for (let row = 0; row < n; row += SOFTMAX_ROW) {
      let m = a[row]!;
      for (let k = 1; k < SOFTMAX_ROW; k++) m = Math.max(m, a[row + k]!);
      let sum = 0;
      for (let k = 0; k < SOFTMAX_ROW; k++) sum += out[row + k] = Math.exp(a[row + k]! - m);
      for (let k = 0; k < SOFTMAX_ROW; k++) out[row + k] = out[row + k]! / sum;
    }
    return out[n - 1]!;
  };
  return () => {
    for (let i = 0; i < n; i++) out[i] = a[i]! > 0 ? a[i]! : 0;
    return out[n - 1]!;
  };
}

function onnxOpType(op: MicroOpId): OneOpType {
  if (op === 'dot') return 'MatMul';
  if (op === 'sigmoid') return 'Sigmoid';
  if (op === 'tanh') return 'Tanh';
  if (op === 'softmax-8') return 'Softmax';
  return MICRO_OPS[op].family === 'relu' ? 'Relu' : 'Mul';
}

export async function measureMicroNative({ op: opId, n, settings, cacheDir, progress }: MeasureMicroNativeParameters): Promise<MeasureMicroNativeResult> {
  const op = MICRO_OPS[opId];
  const values = op.inputs(n, settings);
  const scale = 2 ** settings.scaleBits;
  const aFloat = Float64Array.from(values.a, (x) => x / scale);
  const bFloat = values.b ? Float64Array.from(values.b, (x) => x / scale) : undefined;

  const bench = new Bench({ time: settings.nativeTimeMs, warmupTime: Math.min(50, settings.nativeTimeMs) });
  let sink = 0;
  const floatTask = jsFloatTask(opId, aFloat, bFloat);
  bench.add('js-float', () => {
    sink += floatTask();
  });

  const valueBits = /^relu-(\d+)$/.exec(opId) ? Number(/^relu-(\d+)$/.exec(opId)![1]) : settings.valueBits;
  const model = buildOneOpModel({ op: opId, n, scaleBits: settings.scaleBits, valueBits });
  if (model) {
    const engine = createEngine({ model });
    const engineInputs: Record<string, number[]> = op.family === 'mul' ? { a: values.a, b: values.b! } : { x: values.a };
    bench.add('engine', () => {
      sink += engine.run(engineInputs).outputs[0]!.data[0]!;
    });
  }

  const onnx = writeOneOpOnnx({ opType: onnxOpType(opId), n, row: opId === 'softmax-8' ? SOFTMAX_ROW : undefined });
  const onnxDir = resolve(cacheDir, 'onnx');
  await mkdir(onnxDir, { recursive: true });
  const onnxFile = join(onnxDir, `${onnxOpType(opId)}-${n}.onnx`);
  await writeFile(onnxFile, onnx.bytes);
  const session = await createNativeSession({ file: onnxFile, threads: 1 });
  try {
    const feeds: Record<string, { dims: number[]; data: Float32Array }> = {};
    const floats = onnx.inputs.length === 1 ? [aFloat] : [aFloat, bFloat!];
    onnx.inputs.forEach((input, i) => {
      feeds[input.name] = { dims: input.dims, data: Float32Array.from(floats[i]!) };
    });
    bench.add('onnxruntime', async () => {
      const outputs = await session.run(feeds);
      sink += outputs[0]!.data[0]!;
    });
    progress?.phase(`native baselines n=${n}`);
    await bench.run();
  } finally {
    await session.close();
  }

  const measurements: Measurement[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed')
      throw new ToolError(`micro ${opId} n=${n}: native baseline '${task.name}' did not complete`, {
        hint: 'see the cause', details: { op: opId, n, baseline: task.name, sink }, cause: 'error' in result ? result.error : undefined,
      });
    measurements.push({
      ...createMeasurement({ metric: 'nativeTime', labels: { op: opId, n, system: task.name }, unit: 'ms', kind: 'timing', value: result.latency.mean }),
      samples: result.latency.samplesCount,
      stddev: result.latency.sd,
      min: result.latency.min,
      max: result.latency.max,
      standardError: result.latency.sem,
    });
  }
  return measurements;
}
