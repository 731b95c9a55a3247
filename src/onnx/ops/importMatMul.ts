/** MatMul: numpy matmul (1-D operands promoted, then dropped from the output; batch dims broadcast). */
import { ShapeError } from '../../errors.ts';
import { broadcastShapes } from '../../tensor/broadcastShapes.ts';
import type { ImportNode } from './types.ts';

export const importMatMul: ImportNode = ({ context, node }) => {
  const a = context.inputDims(0);
  const b = context.inputDims(1);
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  if (a2[a2.length - 1] !== b2[b2.length - 2])
    throw new ShapeError(`${context.where}: cannot multiply [${a}] by [${b}]`, { details: { file: context.file, node: node.name } });
  const batch = broadcastShapes({ shapes: [a2.slice(0, -2), b2.slice(0, -2)], where: context.where });
  const outDims = [...batch];
  if (a.length > 1) outDims.push(a2[a2.length - 2]);
  if (b.length > 1) outDims.push(b2[b2.length - 1]);
  return { outDims };
};
