/**
 * Internals shared by the engine's layer compilers: every tensor lives in one preallocated
 * Float64Array (integers, exact below 2^53) that `createEngine` reuses across runs.
 */
import type { QLayer, QOp, QuantizedModel } from '../quant/types.ts';
import type { DotKernelName, EngineKernels } from './chooseDotKernel.ts';

export interface EngineContext {
  model: QuantizedModel;
  /** Buffers of activation tensors and constants, by name (reshape outputs alias their input). */
  buffers: Map<string, Float64Array>;
  /** Dims of activations and constants, by name. */
  dims: Map<string, number[]>;
  /** The value range [-2^(v-1), 2^(v-1) - 1]. */
  minValue: number;
  maxValue: number;
  /** `simd`: matmul and conv use a SIMD kernel where chooseDotKernel proves it exact; `scalar`: never. */
  kernels: EngineKernels;
  /** The kernel each matmul/conv layer got, by layer name (filled in by the compilers). */
  layerKernels: Record<string, DotKernelName>;
}

/** A compiled layer: reads and writes the context's buffers. */
export type LayerStep = () => void;

export interface CompileLayerParameters<Layer extends QLayer> {
  context: EngineContext;
  layer: Layer;
}

/**
 * Compiles one layer into a step over the context's buffers (its output buffer is allocated),
 * or into no step (reshape: it aliases its input's buffer).
 */
export type CompileLayer<Layer extends QLayer> = (parameters: CompileLayerParameters<Layer>) => LayerStep | undefined;

/** One lowering per QLayer op: a missing op is a type error. */
export type EngineLowerings = { [Op in QOp]: CompileLayer<Extract<QLayer, { op: Op }>> };
