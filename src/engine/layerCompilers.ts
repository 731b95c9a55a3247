/**
 * The engine's lowerings, one per QLayer op (the table's type makes a missing op a compile
 * error). To add an op: write `compileX.ts` here (its semantics in docs/fixed-point.md) and
 * list it below.
 */
import { compileAdd } from './compileAdd.ts';
import { compileConv } from './compileConv.ts';
import { compileMatMul } from './compileMatMul.ts';
import { compilePool } from './compilePool.ts';
import { compileRelu } from './compileRelu.ts';
import { compileReshape } from './compileReshape.ts';
import { compileScalarMul } from './compileScalarMul.ts';
import { compileSmooth } from './compileSmooth.ts';
import { compileSoftmax } from './compileSoftmax.ts';
import { compileTranspose } from './compileTranspose.ts';
import type { EngineLowerings } from './types.ts';

export const ENGINE_LOWERINGS: EngineLowerings = {
  matmul: compileMatMul,
  conv: compileConv,
  add: compileAdd,
  scalarMul: compileScalarMul,
  relu: compileRelu,
  maxpool: compilePool,
  avgpool: compilePool,
  reshape: compileReshape,
  transpose: compileTranspose,
  smooth: compileSmooth,
  softmax: compileSoftmax,
};
