/** Div: numpy broadcasting; the divisor must be a constant (input normalisation), a division by an activation is refused. */
import { broadcastShapes } from '../../tensor/broadcastShapes.ts';
import type { ImportNode } from './types.ts';

export const importDiv: ImportNode = ({ context, node }) => {
  if (!context.constantOf(node.inputs[1]!)) context.unsupported(`a divisor '${node.inputs[1]}' that is not a constant (only division by a constant)`);
  return { outDims: broadcastShapes({ shapes: [context.inputDims(0), context.inputDims(1)], where: context.where }) };
};
