/** LeakyRelu: element-wise; alpha made explicit (default 0.01). */
import type { ImportNode } from './types.ts';

export const importLeakyRelu: ImportNode = ({ context, node }) => {
  node.attributes = { alpha: Number(node.attributes.alpha ?? 0.01) };
  return { outDims: context.inputDims(0) };
};
