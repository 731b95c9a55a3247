/**
 * The trace VM compiler's lowerings, one per QLayer op (the table's type makes a missing op a
 * compile error). To add an op: write `lowerX.ts` here (its steps from the VM's instruction set,
 * executeInstruction.ts, bit for bit with the engine and docs/fixed-point.md; a new instruction
 * also needs the Solidity one-step verifier) and list it below with how its output sits in memory.
 */
import { lowerAdd } from './lowerAdd.ts';
import { lowerConv } from './lowerConv.ts';
import { lowerMatMul } from './lowerMatMul.ts';
import { lowerPool } from './lowerPool.ts';
import { lowerRelu } from './lowerRelu.ts';
import { lowerReshape } from './lowerReshape.ts';
import { lowerScalarMul } from './lowerScalarMul.ts';
import { lowerSmooth, lowerSoftmax } from './lowerSmooth.ts';
import { lowerTranspose } from './lowerTranspose.ts';
import type { VmLowerings } from './types.ts';

export const VM_LOWERINGS: VmLowerings = {
  matmul: { lower: lowerMatMul, output: 'written' },
  conv: { lower: lowerConv, output: 'written' },
  add: { lower: lowerAdd, output: 'written' },
  scalarMul: { lower: lowerScalarMul, output: 'written' },
  relu: { lower: lowerRelu, output: 'written' },
  maxpool: { lower: lowerPool, output: 'written' },
  avgpool: { lower: lowerPool, output: 'written' },
  reshape: { lower: lowerReshape, output: 'alias', source: (layer) => layer.input },
  transpose: { lower: lowerTranspose, output: 'view' },
  smooth: { lower: lowerSmooth, output: 'written' },
  softmax: { lower: lowerSoftmax, output: 'written' },
};
