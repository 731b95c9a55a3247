/**
 * The imported ONNX graph: what `loadOnnxModel` hands to the quantizer and the native runner.
 * Constant subgraphs are already folded into `constants`, Identity/Dropout are gone, every
 * tensor has a static shape, and `nodes` use only the supported operators with their
 * attributes normalised (explicit pads, strides, dilations, kernel).
 */

/** A constant tensor. Numeric values of any ONNX type are held as float64 (exact for ints < 2^53). */
export interface OnnxTensor {
  name: string;
  /** onnx.TensorProto.DataType (1 = FLOAT, 7 = INT64, 11 = DOUBLE, …). */
  dataType: number;
  dims: number[];
  data: Float64Array;
}

export interface OnnxValueInfo {
  name: string;
  /** Static dims (a dynamic batch dimension is fixed to 1). */
  dims: number[];
  /** onnx.TensorProto.DataType of the element. */
  elemType: number;
}

export type OnnxAttributeValue = number | number[] | string | string[] | OnnxTensor;

export interface OnnxNode {
  /** The ONNX node name, or `<op>_<index>` when the node has none. */
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttributeValue>;
}

export interface OnnxGraph {
  /** Path of the ONNX file as given. */
  file: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  /** Opset of the default domain. */
  opset: number;
  producer: string;
  /** Graph inputs that are not initializers (and not bound to constants), in graph order. */
  inputs: OnnxValueInfo[];
  /** Graph outputs, in graph order, with their inferred dims. */
  outputs: OnnxValueInfo[];
  /** Initializers and folded constants, by tensor name. */
  constants: Map<string, OnnxTensor>;
  /** Topologically ordered nodes that compute on activations. */
  nodes: OnnxNode[];
  /** Static dims of every activation tensor. */
  shapes: Map<string, number[]>;
  /** Graph inputs bound to values at import (bindInputs, integer runInputs), if any. */
  boundInputs?: Record<string, { dims: number[]; data: number[] }>;
}

/** onnx.TensorProto.DataType values used by the importer. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

export const FLOAT_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);

export function isFloatType(dataType: number): boolean {
  return FLOAT_TYPES.has(dataType);
}

export function dataTypeName(dataType: number): string {
  const entry = Object.entries(DataType).find(([, value]) => value === dataType);
  return entry ? entry[0] : `type ${dataType}`;
}

/** Moved to src/tensor/ (backends must not import the importer); re-exported for the importer. */
export { sizeOf } from '../tensor/sizeOf.ts';
