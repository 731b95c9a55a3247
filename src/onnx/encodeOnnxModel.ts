/**
 * Writes a small ONNX model with onnx-proto's encoder: for tests and benchmarks that need a
 * model built in code (random MLPs, one-node graphs, deliberately bad attributes). Attribute
 * values are typed by shape: integers → INT/INTS, strings → STRING, other numbers (and the
 * float-valued ONNX attributes alpha/beta/ratio/epsilon/value_float) → FLOAT/FLOATS, `{ dims, data }`
 * → TENSOR.
 */
import onnxProto from 'onnx-proto';
import { DataType } from './types.ts';

const { onnx } = onnxProto;

export interface EncodeOnnxModelParameters {
  inputs: { name: string; dims: (number | string)[]; elemType?: number }[];
  outputs: { name: string; dims?: number[]; elemType?: number }[];
  initializers?: { name: string; dims: number[]; data: ArrayLike<number>; dataType?: number }[];
  nodes: { opType: string; inputs: string[]; outputs: string[]; name?: string; domain?: string; attributes?: Record<string, AttributeValue> }[];
  /** Default-domain opset (default 13). */
  opset?: number;
  producer?: string;
}

/** A tensor attribute (e.g. Constant's `value`) is written as `{ dims, data, dataType? }`. */
export type AttributeValue = number | number[] | string | { dims: number[]; data: ArrayLike<number>; dataType?: number };

const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'ratio', 'epsilon', 'value_float', 'value_floats']);

function encodeAttribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'object' && !Array.isArray(value)) return { name, type: T.TENSOR, t: encodeTensor({ name, ...value }) };
  if (typeof value === 'string') return { name, type: T.STRING, s: Buffer.from(value, 'utf8') };
  if (Array.isArray(value)) {
    if (!FLOAT_ATTRIBUTES.has(name) && value.every(Number.isInteger)) return { name, type: T.INTS, ints: value };
    return { name, type: T.FLOATS, floats: value };
  }
  if (!FLOAT_ATTRIBUTES.has(name) && Number.isInteger(value)) return { name, type: T.INT, i: value };
  return { name, type: T.FLOAT, f: value };
}

function encodeTensor(t: { name: string; dims: number[]; data: ArrayLike<number>; dataType?: number }): onnxProto.onnx.ITensorProto {
  const dataType = t.dataType ?? DataType.FLOAT;
  if (dataType === DataType.INT64) return { name: t.name, dims: t.dims, dataType, int64Data: Array.from(t.data) };
  if (dataType === DataType.DOUBLE) return { name: t.name, dims: t.dims, dataType, doubleData: Array.from(t.data) };
  if (dataType === DataType.FLOAT) return { name: t.name, dims: t.dims, dataType, floatData: Array.from(t.data) };
  return { name: t.name, dims: t.dims, dataType, int32Data: Array.from(t.data) };
}

export function encodeTensorProto(t: { name: string; dims: number[]; data: ArrayLike<number>; dataType?: number }): Uint8Array {
  return onnx.TensorProto.encode(onnx.TensorProto.create(encodeTensor(t))).finish();
}

export function encodeOnnxModel({ inputs, outputs, initializers = [], nodes, opset = 13, producer = 'opzk-bench' }: EncodeOnnxModelParameters): Uint8Array {
  const valueInfo = (v: { name: string; dims?: (number | string)[]; elemType?: number }) => ({
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType ?? DataType.FLOAT,
        ...(v.dims ? { shape: { dim: v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } : {}),
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: producer,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'graph',
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
      initializer: initializers.map(encodeTensor),
      node: nodes.map((n, i) => ({
        name: n.name ?? `${n.opType}_${i}`,
        opType: n.opType,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => encodeAttribute(k, v)),
      })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
