/**
 * The direct R1CS builder's emitters, one per QLayer op (mirroring src/zk/layers/). An op missing
 * here (added later, or not worth a gadget) makes `emitModelR1cs` throw UnsupportedModelError, and
 * the harness builds that model with circom instead (builder 'auto').
 */
import { emitAdd } from './emitAdd.ts';
import { emitConv } from './emitConv.ts';
import { emitMatMul } from './emitMatMul.ts';
import { emitPool } from './emitPool.ts';
import { emitRelu } from './emitRelu.ts';
import { emitReshape } from './emitReshape.ts';
import { emitScalarMul } from './emitScalarMul.ts';
import { emitSmooth, emitSoftmax } from './emitSmooth.ts';
import { emitTranspose } from './emitTranspose.ts';
import type { DirectLowerings } from './types.ts';

export const DIRECT_LOWERINGS: DirectLowerings = {
  matmul: emitMatMul,
  conv: emitConv,
  add: emitAdd,
  scalarMul: emitScalarMul,
  relu: emitRelu,
  maxpool: emitPool,
  avgpool: emitPool,
  reshape: emitReshape,
  transpose: emitTranspose,
  smooth: emitSmooth,
  softmax: emitSoftmax,
};
