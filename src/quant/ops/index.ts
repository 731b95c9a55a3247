/**
 * The quantizer's lowerings, one per ONNX operator that the importer hands over
 * (SUPPORTED_OPS in src/onnx/ops/, less Dropout, which it removes). The table's type makes a
 * missing lowering a compile error: to support a new ONNX operator, add it to the importer,
 * write `quantizeX.ts` here and list it below (then the QLayer it emits in every backend, see
 * src/quant/types.ts).
 */
import type { SupportedOnnxOp } from '../../onnx/ops/index.ts';
import { quantizeAdd } from './quantizeAdd.ts';
import { quantizeConv } from './quantizeConv.ts';
import { quantizeGemm } from './quantizeGemm.ts';
import { quantizeMatMul } from './quantizeMatMul.ts';
import { quantizeAveragePool, quantizeMaxPool } from './quantizePool.ts';
import { quantizeRelu } from './quantizeRelu.ts';
import { quantizeReshape } from './quantizeReshape.ts';
import { quantizeSigmoid, quantizeSoftmax, quantizeTanh } from './quantizeSmooth.ts';
import type { QuantizeNode } from './types.ts';

/** ONNX operators that reach the quantizer. */
export type QuantizedOnnxOp = Exclude<SupportedOnnxOp, 'Dropout'>;

export const NODE_QUANTIZERS: Record<QuantizedOnnxOp, QuantizeNode> = {
  MatMul: quantizeMatMul,
  Gemm: quantizeGemm,
  Add: quantizeAdd,
  Relu: quantizeRelu,
  Conv: quantizeConv,
  MaxPool: quantizeMaxPool,
  AveragePool: quantizeAveragePool,
  Flatten: quantizeReshape,
  Reshape: quantizeReshape,
  Identity: quantizeReshape,
  Sigmoid: quantizeSigmoid,
  Tanh: quantizeTanh,
  Softmax: quantizeSoftmax,
};
