/**
 * The fixed-point engine (the ground truth of docs/fixed-point.md): compiles a QuantizedModel
 * once into a list of layer steps over preallocated Float64Array buffers (constants converted,
 * broadcast offsets and biases precomputed, reshape buffers aliased), one compile file per op
 * (layerCompilers.ts), so that `run` measures inference only. Integers in, integers out; deterministic; never wraps or saturates.
 */
import { ShapeError, UnsupportedModelError, UsageError } from '../errors.ts';
import type { QLayer, QuantizedModel } from '../quant/types.ts';
import type { DotKernelName, EngineKernels } from './chooseDotKernel.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { ENGINE_LOWERINGS } from './layerCompilers.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { CompileLayer, EngineContext, LayerStep } from './types.ts';

export interface CreateEngineParameters {
  model: QuantizedModel;
  /**
   * `simd` (default): matmul and conv layers run WebAssembly SIMD integer kernels where the
   * weights and the value range prove them exact (chooseDotKernel.ts), float64 loops otherwise;
   * `scalar`: float64 loops everywhere (the engine before the kernels, kept for comparison).
   * Both give the same integers; BigInt layers (accBits > 52) are BigInt either way.
   */
  kernels?: EngineKernels;
}

export interface EngineOutput {
  name: string;
  dims: number[];
  /** Integers at scale 2^scaleBits. */
  data: number[];
}

export interface EngineRunResult {
  outputs: EngineOutput[];
  /** Every activation tensor (inputs and layer outputs), when asked for. */
  tensors?: Record<string, number[]>;
}

export interface Engine {
  model: QuantizedModel;
  /** The dot-product kernel of each matmul and conv layer, by layer name: i16x8, i32x4, f64 or bigint. */
  layerKernels: Readonly<Record<string, DotKernelName>>;
  /** Runs the model on quantized inputs (integers at scale 2^s, by input name). */
  run(inputs: Record<string, ArrayLike<number>>, options?: { keepIntermediates?: boolean }): EngineRunResult;
  /** The named tensor (an input, a layer's output or a constant) as the last `run` left it: the
   * engine's own buffer, not a copy — overwritten by the next run, never to be written. What a
   * caller reads many tensors from per inference (the opML submitter's claim) takes this instead
   * of `keepIntermediates`, which copies every tensor into a new array. */
  view(name: string): Float64Array;
}

export type CreateEngineResult = Engine;

export function createEngine({ model, kernels = 'simd' }: CreateEngineParameters): CreateEngineResult {
  const minValue = -(2 ** (model.valueBits - 1));
  const maxValue = 2 ** (model.valueBits - 1) - 1;
  const context: EngineContext = { model, buffers: new Map(), dims: new Map(), minValue, maxValue, kernels, layerKernels: {} };
  // Dims as small integers (`| 0`): V8 keeps index arithmetic in int32 only if it never sees a double.
  for (const [name, constant] of Object.entries(model.constants)) {
    context.buffers.set(name, Float64Array.from(constant.data));
    context.dims.set(name, constant.dims.map((d) => d | 0));
  }
  for (const [name, dims] of Object.entries(model.tensors)) context.dims.set(name, dims.map((d) => d | 0));
  for (const input of model.inputs) context.buffers.set(input.name, new Float64Array(sizeOf(input.dims)));

  const steps: LayerStep[] = [];
  for (const layer of model.layers) {
    context.buffers.set(layer.out, new Float64Array(sizeOf(context.dims.get(layer.out)!)));
    if (!Object.hasOwn(ENGINE_LOWERINGS, layer.op))
      throw new UnsupportedModelError(`model '${model.name}': layer '${layer.name}' uses op '${layer.op}', which the engine cannot run`, {
        details: { layer: layer.name, op: layer.op },
        hint: `supported: ${Object.keys(ENGINE_LOWERINGS).join(', ')}`,
      });
    const step = (ENGINE_LOWERINGS[layer.op] as CompileLayer<QLayer>)({ context, layer });
    if (step) steps.push(step);
  }

  const run: Engine['run'] = (inputs, options = {}) => {
    for (const input of model.inputs) {
      const values = inputs[input.name];
      const buffer = context.buffers.get(input.name)!;
      if (!values)
        throw new UsageError(`model '${model.name}': input '${input.name}' is missing`, {
          hint: `the model's inputs are ${model.inputs.map((i) => `'${i.name}' [${i.dims}]`).join(', ')}`,
          details: { input: input.name },
        });
      if (values.length !== buffer.length)
        throw new ShapeError(`model '${model.name}': input '${input.name}' has ${values.length} elements, dims [${input.dims}] need ${buffer.length}`, {
          details: { input: input.name, expectedDims: input.dims, got: values.length },
        });
      for (let i = 0; i < buffer.length; i++) {
        const v = values[i];
        if (!Number.isInteger(v))
          throw new UsageError(`model '${model.name}': input '${input.name}' element ${i} = ${v} is not an integer`, {
            hint: 'the engine takes quantized inputs: use quantizeInputs (round(x · 2^scaleBits)) first',
            details: { input: input.name, index: i, value: v },
          });
        if (v < minValue || v > maxValue)
          throwOverflow({ layer: 'input', op: 'input', tensor: input.name, index: i, value: v, minValue, maxValue, valueBits: model.valueBits });
        buffer[i] = v;
      }
    }
    for (const step of steps) step();
    const outputs = model.outputs.map((o) => ({ name: o.name, dims: [...o.dims], data: Array.from(context.buffers.get(o.name)!) }));
    if (!options.keepIntermediates) return { outputs };
    const tensors: Record<string, number[]> = {};
    for (const name of Object.keys(model.tensors)) tensors[name] = Array.from(context.buffers.get(name)!);
    return { outputs, tensors };
  };
  const view: Engine['view'] = (name) => {
    const buffer = context.buffers.get(name);
    if (!buffer)
      throw new UsageError(`model '${model.name}': no tensor '${name}'`, {
        hint: `the model's tensors are its inputs, its layers' outputs and its constants (${Object.keys(model.tensors).slice(0, 8).join(', ')}, …)`,
        details: { tensor: name },
      });
    return buffer;
  };
  return { model, layerKernels: context.layerKernels, run, view };
}
