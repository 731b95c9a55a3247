/**
 * The quantizer's lowerings, one per ONNX operator that the importer hands over
 * (SUPPORTED_OPS in src/onnx/ops/, less Dropout, which it removes). The table's type makes a
 * missing lowering a compile error: to support a new ONNX operator, add it to the importer,
 * write `quantizeX.ts` here and list it below (then the QLayer it emits in every backend, see
 * src/quant/types.ts).
 */
import type { SupportedOnnxOp } from '../../onnx/ops/index.ts';
import { quantizeAdd } from './quantizeAdd.ts';
import { quantizeBatchNormalization } from './quantizeBatchNormalization.ts';
import { quantizeClip } from './quantizeClip.ts';
import { quantizeConcat } from './quantizeConcat.ts';
import { quantizeConv } from './quantizeConv.ts';
import { quantizeDiv } from './quantizeDiv.ts';
import { quantizeGemm } from './quantizeGemm.ts';
import { quantizeGlobalAveragePool } from './quantizeGlobalAveragePool.ts';
import { quantizeLeakyRelu } from './quantizeLeakyRelu.ts';
import { quantizeMatMul } from './quantizeMatMul.ts';
import { quantizeMul } from './quantizeMul.ts';
import { quantizePad } from './quantizePad.ts';
import { quantizeAveragePool, quantizeMaxPool } from './quantizePool.ts';
import { quantizePow } from './quantizePow.ts';
import { quantizeRelu } from './quantizeRelu.ts';
import { quantizeReshape } from './quantizeReshape.ts';
import { quantizeSigmoid, quantizeSoftmax, quantizeTanh } from './quantizeSmooth.ts';
import { quantizeSub } from './quantizeSub.ts';
import { quantizeTranspose } from './quantizeTranspose.ts';
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
  Sub: quantizeSub,
  Mul: quantizeMul,
  Div: quantizeDiv,
  Pow: quantizePow,
  BatchNormalization: quantizeBatchNormalization,
  Clip: quantizeClip,
  LeakyRelu: quantizeLeakyRelu,
  GlobalAveragePool: quantizeGlobalAveragePool,
  Transpose: quantizeTranspose,
  Concat: quantizeConcat,
  Pad: quantizePad,
};
