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
  /** Constant [M, C, kh, kw] at scale s. */
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

/**
 * A smooth function (ONNX Sigmoid, Tanh) as a piecewise-linear table over a clamped input range
 * (docs/fixed-point.md, "Smooth functions"): x is clamped to [lowest, lowest + M·2^segmentBits − 1],
 * u = x − lowest, seg = u >> segmentBits, r = u − seg·2^segmentBits, and
 * out = y[seg] + ((y[seg+1] − y[seg])·r + 2^(segmentBits−1)) >> segmentBits.
 */
export interface SmoothLayer extends LayerBase {
  op: 'smooth';
  /** The real function the table approximates (for names and error statements). */
  fn: SmoothFunction;
  input: string;
  /** Constant of M + 1 knots at scale s, non-decreasing: y[j] = round(fn((lowest + j·2^segmentBits) / 2^s) · 2^s). */
  table: string;
  /** The smallest input the table covers; smaller inputs are clamped to it. */
  lowest: number;
  /** log2 of the segment width in integer units (the width is 2^(segmentBits − s) in real units). */
  segmentBits: number;
}

export type SmoothFunction = 'sigmoid' | 'tanh' | 'exp';

/**
 * ONNX Softmax over the last axis (docs/fixed-point.md, "Softmax"): per row, m = max x,
 * e_k = E(x_k − m) with E the exp table (a SmoothLayer table, fn 'exp'), S = Σ e_k,
 * out_k = floor((e_k · 2^(s+1) + S) / (2S)).
 */
export interface SoftmaxLayer extends LayerBase {
  op: 'softmax';
  input: string;
  /** Elements per row: the last dim (opset ≥ 13), or the product of the dims from `axis` on (opset < 13). */
  rowLength: number;
  /** The exp table: M + 1 knots at scale s, covering [lowest, lowest + M·2^segmentBits). */
  table: string;
  lowest: number;
  segmentBits: number;
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
  | TransposeLayer
  | SmoothLayer
  | SoftmaxLayer;

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
