/**
 * The circuit generator's lowerings, one per QLayer op (the table's type makes a missing op a
 * compile error). To add an op: write `emitX.ts` here (and its template in circuits/), list
 * it below with the circuits/ files it includes.
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
import type { CircuitLowerings } from './types.ts';

export const CIRCUIT_LOWERINGS: CircuitLowerings = {
  matmul: { emit: emitMatMul, includes: ['Gemm'] },
  conv: { emit: emitConv, includes: ['Conv2D'] },
  add: { emit: emitAdd, includes: ['Add'] },
  scalarMul: { emit: emitScalarMul, includes: ['ScalarMul'] },
  relu: { emit: emitRelu, includes: ['Relu', 'ReluFull'] },
  maxpool: { emit: emitPool, includes: ['MaxPool'] },
  avgpool: { emit: emitPool, includes: ['AvgPool'] },
  reshape: { emit: emitReshape, includes: [] },
  transpose: { emit: emitTranspose, includes: [] },
  smooth: { emit: emitSmooth, includes: ['Smooth'] },
  softmax: { emit: emitSoftmax, includes: ['Smooth'] },
};
