/** Reshape with a constant shape (attribute before opset 5, input after): the node keeps only its data input. */
import { computeReshapeDims } from '../foldConstantNode.ts';
import { ints } from './resolveWindow.ts';
import type { ImportNode } from './types.ts';

export const importReshape: ImportNode = ({ context, node }) => {
  let shape: number[];
  if (context.opset < 5) shape = ints(node.attributes.shape, []);
  else {
    const target = context.constantOf(node.inputs[1]);
    if (!target) context.unsupported(`a shape '${node.inputs[1]}' that is not a constant`);
    shape = Array.from(target!.data);
  }
  const outDims = computeReshapeDims(context.inputDims(0), shape, node.attributes.allowzero === 1, context.where);
  node.inputs = [node.inputs[0]];
  node.attributes = {};
  return { outDims };
};
