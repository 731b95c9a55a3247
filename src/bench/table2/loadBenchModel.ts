/**
 * Owns turning a model name (zoo name or .onnx path) into what every bench measurement needs:
 * the quantized model, one float input (the zoo's first sample, or a seeded uniform input for a
 * model outside the zoo), its quantized form, and the model's size (parameters, MACs) counted
 * from the quantized model itself, so a `--model` file is sized the same way as the zoo's.
 */
import { UsageError } from '../../errors.ts';
import { quantizeInputs } from '../../quant/quantizeInputs.ts';
import { quantizeModel } from '../../quant/quantizeModel.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import { createPrng } from '../../zoo/createPrng.ts';
import { resolveModel } from '../../zoo/resolveModel.ts';
import { defaultInput } from '../../zoo/sampleInputs.ts';

export interface LoadBenchModelParameters {
  /** A zoo name or a path to an .onnx file. */
  model: string;
  /** Fixed-point settings; default: the zoo entry's, else 8 / 16. */
  scaleBits?: number;
  valueBits?: number;
}

export interface LoadBenchModelResult {
  name: string;
  file: string;
  model: QuantizedModel;
  /** Float input tensors by input name (for onnxruntime). */
  floatInputs: Record<string, { dims: number[]; data: number[] }>;
  /** Quantized inputs by input name (integers at scale 2^s). */
  inputs: Record<string, number[]>;
  /** Where the input came from. */
  inputSource: string;
  /** Weights and biases: elements of every constant of the quantized model. */
  parameters: number;
  /** Multiply-accumulates of one inference (matmul and conv layers). */
  macs: number;
}

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** MACs of matmul (rows × inner × columns) and conv (output elements × kernel volume) layers. */
export function countMacs(model: QuantizedModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    if (layer.op === 'matmul') {
      const a = model.tensors[layer.a] ?? model.constants[layer.a]?.dims;
      const out = model.tensors[layer.out];
      if (!a || !out) continue;
      macs += product(out) * a[a.length - 1]!;
    } else if (layer.op === 'conv') {
      const weight = model.constants[layer.weight]?.dims ?? model.tensors[layer.weight];
      const out = model.tensors[layer.out];
      if (!weight || !out) continue;
      macs += product(out) * product(weight.slice(1));
    }
  }
  return macs;
}

export function loadBenchModel({ model: nameOrPath, scaleBits, valueBits }: LoadBenchModelParameters): LoadBenchModelResult {
  const resolved = resolveModel(nameOrPath);
  const model = quantizeModel({
    file: resolved.file,
    name: resolved.name,
    scaleBits: scaleBits ?? resolved.metadata?.quantization.scaleBits,
    valueBits: valueBits ?? resolved.metadata?.quantization.valueBits,
  });
  let floatInputs: LoadBenchModelResult['floatInputs'];
  let inputSource: string;
  if (resolved.metadata) {
    const sample = defaultInput({ name: resolved.name });
    floatInputs = Object.fromEntries(Object.entries(sample).map(([name, t]) => [name, { dims: t.dims, data: Array.from(t.data) }]));
    inputSource = `the zoo's first sample input of ${resolved.name}`;
  } else {
    // Outside the zoo there is no data set: a seeded uniform input in [-1, 1) is as good as any for cost.
    const prng = createPrng({ seed: 1 });
    floatInputs = {};
    for (const input of model.inputs) {
      if (input.dims.some((d) => !Number.isInteger(d) || d < 1))
        throw new UsageError(`${resolved.file}: input '${input.name}' has dims [${input.dims}], not a fixed shape`, { hint: 'export the model with fixed input dims (batch 1)' });
      floatInputs[input.name] = { dims: input.dims, data: Array.from({ length: product(input.dims) }, () => prng.next() * 2 - 1) };
    }
    inputSource = 'seeded uniform input in [-1, 1) (seed 1): the model is not in the zoo';
  }
  const inputs = quantizeInputs({ model, inputs: floatInputs });
  const parameters = Object.values(model.constants).reduce((sum, c) => sum + c.data.length, 0);
  return { name: resolved.name, file: resolved.file, model, floatInputs, inputs, inputSource, parameters, macs: countMacs(model) };
}
