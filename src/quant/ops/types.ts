/**
 * The contract between `quantizeModel` and its per-operator lowerings (src/quant/ops/): each
 * ONNX operator has one `QuantizeNode` that turns its node into integer layers, reading and
 * extending the quantizer's state through a `QuantizeContext` (createQuantizeContext.ts).
 */
import type { OnnxGraph, OnnxNode, OnnxTensor } from '../../onnx/types.ts';
import type { QConstant, QLayer } from '../types.ts';

/** An Add(out, constant) that directly follows a matmul and can become its bias. */
export interface BiasAdd {
  node: OnnxNode;
  constant: OnnxTensor;
}

export interface AddConstantParameters {
  /** Name to register under (made unique with `#n` unless an identical constant exists). */
  baseName: string;
  source: OnnxTensor;
  /** Scale 2^(scaleExp·s): 1 for weights and addends, 2 for fused biases. */
  scaleExp: 1 | 2;
  /** Folded into the values before rounding (Gemm's alpha/beta). */
  factor: number;
  /** The node, for the error message. */
  where: string;
}

export interface QuantizeContext {
  graph: OnnxGraph;
  scaleBits: number;
  valueBits: number;
  /** 2^(v-1): the largest |activation|. */
  maxActivation: bigint;
  /** 2^(s-1): the rounding term of a rescale. */
  half: bigint;
  /** Constants and activation dims registered so far (they become the model's). */
  constants: Record<string, QConstant>;
  tensors: Record<string, number[]>;
  isConstant(tensorName: string): boolean;
  dimsOf(tensorName: string): number[];
  /** Quantizes `source · factor` at scale 2^(scaleExp·s), registers it and returns its name. */
  addConstant(parameters: AddConstantParameters): string;
  /** The bit length of an accumulator bound, checked against MAX_ACC_BITS. */
  checkBound(layerName: string, bound: bigint): number;
  /** The single Add(out, constant) after a matmul whose constant broadcasts into the output, if any. */
  findBiasAdd(out: string, outDims: number[]): BiasAdd | undefined;
  /** Marks a node as consumed by an earlier lowering (a fused bias Add). */
  fuse(node: OnnxNode): void;
  /** Appends a layer and records its output dims. */
  push(layer: QLayer, dims: number[]): void;
}

export interface QuantizeNodeParameters {
  context: QuantizeContext;
  node: OnnxNode;
  /** node.outputs[0] and its dims. */
  out: string;
  outDims: number[];
  /** "node 'name' (OpType)", for error messages. */
  where: string;
}

export type QuantizeNode = (parameters: QuantizeNodeParameters) => void;
