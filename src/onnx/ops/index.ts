/**
 * The importer's per-operator table, one entry per ONNX operator it takes on activations (the
 * table's type makes a missing importer a compile error). To support a new ONNX operator: add it
 * to SUPPORTED_OPS, write `importX.ts` here (shape inference and attribute normalisation), list
 * it below, then its quantizer in src/quant/ops/ (and the QLayer it emits in every backend).
 */
import { importAdd } from './importAdd.ts';
import { importCast } from './importCast.ts';
import { importConv } from './importConv.ts';
import { importDropout } from './importDropout.ts';
import { importFlatten } from './importFlatten.ts';
import { importGemm } from './importGemm.ts';
import { importIdentity } from './importIdentity.ts';
import { importMatMul } from './importMatMul.ts';
import { importPool } from './importPool.ts';
import { importRelu } from './importRelu.ts';
import { importReshape } from './importReshape.ts';
import { importSmooth, importSoftmax } from './importSmooth.ts';
import type { OnnxImporter } from './types.ts';

/** Operators that may compute on activations (Identity/Dropout are removed at import). */
export const SUPPORTED_OPS = [
  'Gemm', 'MatMul', 'Add', 'Relu', 'Conv', 'MaxPool', 'AveragePool', 'Flatten', 'Reshape', 'Identity', 'Dropout',
  'Sigmoid', 'Tanh', 'Softmax',
] as const;

export type SupportedOnnxOp = (typeof SUPPORTED_OPS)[number];

/**
 * Cast is listed with the constant-subgraph operators (a Cast of a constant is folded), but a
 * float-to-float Cast on an activation is also taken here: it is removed.
 */
export const ONNX_IMPORTERS: Record<SupportedOnnxOp | 'Cast', OnnxImporter> = {
  Gemm: { importNode: importGemm },
  MatMul: { importNode: importMatMul },
  Add: { importNode: importAdd },
  Relu: { importNode: importRelu },
  Conv: { importNode: importConv },
  MaxPool: { importNode: importPool },
  AveragePool: { importNode: importPool },
  Flatten: { importNode: importFlatten },
  Reshape: { importNode: importReshape, integerInputs: [1] },
  Identity: { importNode: importIdentity },
  Dropout: { importNode: importDropout, integerInputs: [1, 2] },
  Cast: { importNode: importCast },
  Sigmoid: { importNode: importSmooth },
  Tanh: { importNode: importSmooth },
  Softmax: { importNode: importSoftmax },
};
