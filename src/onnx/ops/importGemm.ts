/** Gemm: 2-D operands, alpha/beta/transA/transB made explicit (the quantizer folds them). */
import { ShapeError } from '../../errors.ts';
import { broadcastShapes } from '../../tensor/broadcastShapes.ts';
import type { ImportNode } from './types.ts';

export const importGemm: ImportNode = ({ context, node }) => {
  const a = context.inputDims(0);
  const b = context.inputDims(1);
  if (a.length !== 2 || b.length !== 2) context.unsupported(`operands of rank ${a.length} and ${b.length} (Gemm needs 2-D)`);
  const transA = Number(node.attributes.transA ?? 0);
  const transB = Number(node.attributes.transB ?? 0);
  const [m, k] = transA ? [a[1], a[0]] : a;
  const [k2, n] = transB ? [b[1], b[0]] : b;
  if (k !== k2) throw new ShapeError(`${context.where}: cannot multiply [${a}]${transA ? 'ᵀ' : ''} by [${b}]${transB ? 'ᵀ' : ''}`);
  if (node.inputs[2]) broadcastShapes({ shapes: [[m, n], context.inputDims(2)], where: context.where });
  node.attributes = {
    alpha: Number(node.attributes.alpha ?? 1),
    beta: Number(node.attributes.beta ?? 1),
    transA,
    transB,
  };
  return { outDims: [m, n] };
};
