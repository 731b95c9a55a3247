/**
 * A one-operator ONNX model built in code with onnx-proto, for the onnxruntime baseline of the
 * micro suite: `Mul` of two [n] tensors, `MatMul` of [1,n] × [n,1] (or, with `square`, of two
 * [n,n] matrices: the gkr matmul ladder's baseline), or `Relu` of [n]. Float32,
 * opset 13, no initializers: the inputs are fed at run time like activations.
 */
import onnxProto from 'onnx-proto';
import { ONNX_IR_VERSION, ONNX_OPSET, ONNX_PRODUCER } from '../../zoo/writeOnnx.ts';

const { onnx } = onnxProto;

export type OneOpType = 'Mul' | 'MatMul' | 'Relu' | 'Sigmoid' | 'Tanh' | 'Softmax';

export interface WriteOneOpOnnxParameters {
  opType: OneOpType;
  /** Elements (Softmax: rows of `row`). */
  n: number;
  /** Softmax only: the row length (the input is [n, row], softmax over the last axis). */
  row?: number;
  /** MatMul only: [n,n] × [n,n] instead of the dot product [1,n] × [n,1]. */
  square?: boolean;
}

export interface WriteOneOpOnnxResult {
  bytes: Uint8Array;
  /** Input names and dims, in order. */
  inputs: Array<{ name: string; dims: number[] }>;
}

function valueInfo(name: string, dims: number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  };
}

export function writeOneOpOnnx({ opType, n, square = false, row = 1 }: WriteOneOpOnnxParameters): WriteOneOpOnnxResult {
  if (opType === 'Softmax') {
    const dims = [n, row];
    return write(opType, `${n}x${row}`, [{ name: 'x', dims }], dims, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]);
  }
  const inputs = opType === 'Relu' || opType === 'Sigmoid' || opType === 'Tanh'
    ? [{ name: 'x', dims: [n] }]
    : opType === 'Mul'
      ? [{ name: 'a', dims: [n] }, { name: 'b', dims: [n] }]
      : square
        ? [{ name: 'a', dims: [n, n] }, { name: 'b', dims: [n, n] }]
        : [{ name: 'a', dims: [1, n] }, { name: 'b', dims: [n, 1] }];
  const outputDims = opType === 'MatMul' ? (square ? [n, n] : [1, 1]) : [n];
  return write(opType, square ? `${n}x${n}` : String(n), inputs, outputDims, []);
}

function write(opType: OneOpType, size: string, inputs: Array<{ name: string; dims: number[] }>, outputDims: number[], attribute: onnxProto.onnx.IAttributeProto[]): WriteOneOpOnnxResult {
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: ONNX_PRODUCER,
    graph: {
      name: `micro-${opType}-${size}`,
      node: [{ name: opType, opType, input: inputs.map((input) => input.name), output: ['y'], attribute }],
      input: inputs.map((input) => valueInfo(input.name, input.dims)),
      output: [valueInfo('y', outputDims)],
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs };
}
