/** Flatten: [d0…d(axis−1) product, rest product]; no attributes left. */
import { flattenDims } from '../foldConstantNode.ts';
import type { ImportNode } from './types.ts';

export const importFlatten: ImportNode = ({ context, node }) => {
  const outDims = flattenDims(context.inputDims(0), Number(node.attributes.axis ?? 1), context.where);
  node.attributes = {};
  return { outDims };
};
