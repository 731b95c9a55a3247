/**
 * A one-operator ONNX model built in code with onnx-proto, for the onnxruntime baseline of the
 * micro suite: `Mul` of two [n] tensors, `MatMul` of [1,n] × [n,1] (or, with `square`, of two
 * [n,n] matrices: the gkr matmul ladder's baseline), or `Relu` of [n]. Float32,
 * opset 13, no initializers: the inputs are fed at run time like activations.
 */
import onnxProto from 'onnx-proto';
import { ONNX_IR_VERSION, ONNX_OPSET, ONNX_PRODUCER } from '../../zoo/writeOnnx.ts';

const { onnx } = onnxProto;

export interface WriteOneOpOnnxParameters {
  opType: 'Mul' | 'MatMul' | 'Relu';
  n: number;
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

export function writeOneOpOnnx({ opType, n, square = false }: WriteOneOpOnnxParameters): WriteOneOpOnnxResult {
  const inputs = opType === 'Relu'
    ? [{ name: 'x', dims: [n] }]
    : opType === 'Mul'
      ? [{ name: 'a', dims: [n] }, { name: 'b', dims: [n] }]
      : square
        ? [{ name: 'a', dims: [n, n] }, { name: 'b', dims: [n, n] }]
        : [{ name: 'a', dims: [1, n] }, { name: 'b', dims: [n, 1] }];
  const outputDims = opType === 'MatMul' ? (square ? [n, n] : [1, 1]) : [n];
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: ONNX_PRODUCER,
    graph: {
      name: `micro-${opType}-${square ? `${n}x${n}` : n}`,
      node: [{ name: opType, opType, input: inputs.map((input) => input.name), output: ['y'] }],
      input: inputs.map((input) => valueInfo(input.name, input.dims)),
      output: [valueInfo('y', outputDims)],
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs };
}
