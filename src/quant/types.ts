/**
 * The quantized model: the integer artifact that every backend reads (engine, zk, opml).
 * Produced once from an ONNX file by `quantizeModel`; its semantics are in docs/fixed-point.md.
 * All numbers in `data` arrays are safe integers (|x| < 2^53).
 */

export const QUANTIZED_MODEL_FORMAT = 'opzk-qmodel/1' as const;

/** A constant tensor (weights, biases, constant addends). */
export interface QConstant {
  dims: number[];
  /** Row-major integers. */
  data: number[];
  /** The tensor is at scale 2^(scaleExp · scaleBits): 1 for weights, 2 for fused biases. */
  scaleExp: 1 | 2;
}

/** [top, left, bottom, right], as ONNX pads [y_begin, x_begin, y_end, x_end]. */
export type Pads2D = [number, number, number, number];

interface LayerBase {
  /** The ONNX node name (or `<op>_<index>` when the node has none), for error messages. */
  name: string;
  /** The tensor this layer writes. */
  out: string;
}

export interface MatMulLayer extends LayerBase {
  op: 'matmul';
  /** Left operand: an activation tensor or a constant name. */
  a: string;
  /** Right operand: an activation tensor or a constant name. */
  b: string;
  /** Optional constant at scale 2s added to the accumulator, broadcast to the output. */
  bias?: string;
  /** Bits of the largest possible |accumulator| (static bound analysis). */
  accBits: number;
}

export interface ConvLayer extends LayerBase {
  op: 'conv';
  input: string;
  /** [M, C, kh, kw] at scale s: a constant, or an activation (a graph input given at run time). */
  weight: string;
  /** Optional constant [M] at scale 2s. */
  bias?: string;
  pads: Pads2D;
  strides: [number, number];
  dilations: [number, number];
  accBits: number;
}

export interface AddLayer extends LayerBase {
  op: 'add';
  /** Activation tensors or constant names (constants at scale s), numpy broadcasting. */
  a: string;
  b: string;
}

export interface ScalarMulLayer extends LayerBase {
  op: 'scalarMul';
  input: string;
  /** Integer factor at scale s. */
  factor: number;
  accBits: number;
}

export interface ReluLayer extends LayerBase {
  op: 'relu';
  input: string;
}

export interface PoolLayer extends LayerBase {
  input: string;
  kernel: [number, number];
  pads: Pads2D;
  strides: [number, number];
  dilations: [number, number];
  ceilMode: boolean;
}

export interface MaxPoolLayer extends PoolLayer {
  op: 'maxpool';
}

export interface AvgPoolLayer extends PoolLayer {
  op: 'avgpool';
  countIncludePad: boolean;
  accBits: number;
}

/** Reshape and Flatten: the output tensor's dims (in `tensors`) say the new shape. */
export interface ReshapeLayer extends LayerBase {
  op: 'reshape';
  input: string;
}

/** 2-D transpose (Gemm transA on an activation). */
export interface TransposeLayer extends LayerBase {
  op: 'transpose';
  input: string;
}

export type QLayer =
  | MatMulLayer
  | ConvLayer
  | AddLayer
  | ScalarMulLayer
  | ReluLayer
  | MaxPoolLayer
  | AvgPoolLayer
  | ReshapeLayer
  | TransposeLayer;

export type QOp = QLayer['op'];

export interface QTensorInfo {
  name: string;
  dims: number[];
}

export interface QuantizedModel {
  format: typeof QUANTIZED_MODEL_FORMAT;
  /** Model name (zoo name or ONNX file stem). */
  name: string;
  source: {
    /** Path of the ONNX file as given. */
    file: string;
    /** SHA-256 (hex) of the ONNX file's bytes. */
    sha256: string;
    /** Opset of the default domain. */
    opset: number;
    producer: string;
  };
  scaleBits: number;
  valueBits: number;
  /** Graph inputs that are not initializers, in graph order; quantized at scale s. */
  inputs: QTensorInfo[];
  /**
   * Graph inputs whose values were fixed when the model was quantized (an integer Reshape shape
   * given as an input; inputs bound by the caller), as given. Absent when none: a model with
   * it only accepts those values again (quantizeInputs).
   */
  boundInputs?: Record<string, { dims: number[]; data: number[] }>;
  /** Graph outputs, in graph order. */
  outputs: QTensorInfo[];
  /** Dims of every activation tensor (inputs, layer outputs). */
  tensors: Record<string, number[]>;
  constants: Record<string, QConstant>;
  /** Topologically ordered. */
  layers: QLayer[];
  /** SHA-256 (hex) of the canonical JSON of every other field: the model's identity. */
  hash: string;
}
