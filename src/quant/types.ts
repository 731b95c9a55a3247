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
  /** ONNX `group` (absent = 1): input channels C and filters M split into `group` equal parts,
   * filter m reads channels [g·C/group, (g+1)·C/group) with g = floor(m / (M/group)); the
   * weight is [M, C/group, kh, kw]. group = C = M is a depthwise convolution. */
  group?: number;
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

/** Transpose: out[i_perm[0], …, i_perm[r-1]] = in[i_0, …, i_{r-1}] as ONNX; without `perm`, a
 * 2-D transpose (Gemm transA on an activation). */
export interface TransposeLayer extends LayerBase {
  op: 'transpose';
  input: string;
  /** ONNX perm (output axis k is input axis perm[k]); absent = [1, 0]. */
  perm?: number[];
}

/** Elementwise product with numpy broadcasting: out = rescale(a · b + bias) (Mul of two
 * activations, Mul/Div by a constant tensor, BatchNormalization that is not folded). */
export interface MulLayer extends LayerBase {
  op: 'mul';
  /** An activation. */
  a: string;
  /** An activation or a constant at scale s. */
  b: string;
  /** Optional constant at scale 2s, broadcast to the output. */
  bias?: string;
  accBits: number;
}

/** out = min(max(x, min), max) (Clip, ReLU6); both bounds integers at scale s inside the value
 * range (an absent ONNX bound is the range's end), min ≤ max. */
export interface ClipLayer extends LayerBase {
  op: 'clip';
  input: string;
  min: number;
  max: number;
}

/** out = x ≥ 0 ? x : rescale(x · alpha), alpha an integer at scale s with 0 ≤ alpha ≤ 2^s. */
export interface LeakyReluLayer extends LayerBase {
  op: 'leakyRelu';
  input: string;
  alpha: number;
}

/** Concat along `axis` (non-negative) of activations and constants (constants at scale s). */
export interface ConcatLayer extends LayerBase {
  op: 'concat';
  inputs: string[];
  axis: number;
}

/** Pad: ONNX pads [x1_begin, …, xr_begin, x1_end, …, xr_end], all ≥ 0; mode constant fills
 * with `value` (an integer at scale s), reflect mirrors without the edge, edge repeats it. */
export interface PadLayer extends LayerBase {
  op: 'pad';
  input: string;
  pads: number[];
  mode: 'constant' | 'reflect' | 'edge';
  value: number;
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
  | SoftmaxLayer
  | MulLayer
  | ClipLayer
  | LeakyReluLayer
  | ConcatLayer
  | PadLayer;

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
