/**
 * The `native` backend: onnxruntime-node (CPU) on the original float model — the accuracy
 * reference. Hides onnxruntime's quirks: async-only API, tensors typed from the session's input
 * metadata (float32/float64/int64), dynamic dims, and sessions that must be released.
 */
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { InputFileError, ShapeError, ToolError, UsageError } from '../errors.ts';

export interface NativeTensor {
  dims: number[];
  data: ArrayLike<number>;
}

export interface NativeOutput {
  name: string;
  dims: number[];
  data: number[];
}

export interface CreateNativeSessionParameters {
  file: string;
  /** onnxruntime intra-op threads (default 1: the benchmarks compare single-threaded batch-1 inference). */
  threads?: number;
}

export interface NativeSession {
  file: string;
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Runs on float inputs by name: a `{ dims, data }` tensor, or a flat array shaped by the model's input dims. */
  run(inputs: Record<string, ArrayLike<number> | NativeTensor>): Promise<NativeOutput[]>;
  close(): Promise<void>;
}

export type CreateNativeSessionResult = NativeSession;

type Metadata = { name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> };

function makeTensor(file: string, meta: Metadata | undefined, name: string, given: ArrayLike<number> | NativeTensor): ort.Tensor {
  const isTensor = typeof given === 'object' && 'dims' in given && Array.isArray((given as NativeTensor).dims);
  const data = isTensor ? (given as NativeTensor).data : (given as ArrayLike<number>);
  let dims: number[];
  if (isTensor) dims = [...(given as NativeTensor).dims];
  else {
    const shape = meta?.shape ?? [data.length];
    dims = shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? 1 : -1));
    if (dims.includes(-1))
      throw new UsageError(`${file}: input '${name}' has dynamic dims [${shape}]; pass it as { dims, data }`, { details: { file, input: name } });
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new ShapeError(`${file}: input '${name}' has ${data.length} elements, dims [${dims}] need ${count}`, {
      details: { file, input: name, expectedDims: dims, got: data.length },
    });
  switch (meta?.type ?? 'float32') {
    case 'float32': return new ort.Tensor('float32', Float32Array.from(data), dims);
    case 'float64': return new ort.Tensor('float64', Float64Array.from(data), dims);
    case 'int64': return new ort.Tensor('int64', BigInt64Array.from(Array.from(data, (x) => BigInt(Math.trunc(x)))), dims);
    case 'int32': return new ort.Tensor('int32', Int32Array.from(data), dims);
    default:
      throw new UsageError(`${file}: input '${name}' has element type ${meta?.type}, which the native runner does not feed`, { details: { file, input: name } });
  }
}

export async function createNativeSession({ file, threads = 1 }: CreateNativeSessionParameters): Promise<CreateNativeSessionResult> {
  if (!existsSync(file)) throw new InputFileError(`${file}: no such ONNX file`, { details: { file } });
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw new ToolError(`${file}: onnxruntime cannot load the model`, { cause: error, details: { file } });
  }
  const metadata = new Map<string, Metadata>();
  const inputMetadata = (session as unknown as { inputMetadata?: Metadata[] }).inputMetadata ?? [];
  session.inputNames.forEach((name, i) => metadata.set(name, inputMetadata[i] ?? { name, isTensor: true }));

  return {
    file,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of session.inputNames) {
        const given = inputs[name];
        if (!given)
          throw new UsageError(`${file}: input '${name}' is missing`, {
            hint: `the model's inputs are ${session.inputNames.map((n) => `'${n}'`).join(', ')}`,
            details: { file, input: name },
          });
        feeds[name] = makeTensor(file, metadata.get(name), name, given);
      }
      let results: ort.InferenceSession.ReturnType;
      try {
        results = await session.run(feeds);
      } catch (error) {
        throw new ToolError(`${file}: onnxruntime failed to run the model`, { cause: error, details: { file } });
      }
      return session.outputNames.map((name) => {
        const tensor = results[name] as ort.Tensor;
        const raw = tensor.data as ArrayLike<number | bigint>;
        return { name, dims: [...tensor.dims], data: Array.from(raw, (x) => Number(x)) };
      });
    },
    async close() {
      await session.release();
    },
  };
}
