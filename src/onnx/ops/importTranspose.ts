/** Transpose: any permutation; perm made explicit (default: the axes reversed). */
import { checkPerm, defaultPerm, transposeDims } from '../../tensor/reindex.ts';
import type { ImportNode } from './types.ts';

export const importTranspose: ImportNode = ({ context, node }) => {
  const x = context.inputDims(0);
  const perm = Array.isArray(node.attributes.perm) ? (node.attributes.perm as number[]) : defaultPerm(x.length);
  checkPerm(perm, x.length, context.where);
  node.attributes = { perm };
  return { outDims: transposeDims(x, perm) };
};
