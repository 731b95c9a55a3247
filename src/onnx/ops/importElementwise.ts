/** Sub, Mul: numpy broadcasting of the two operands (activations or constants). */
import { broadcastShapes } from '../../tensor/broadcastShapes.ts';
import type { ImportNode } from './types.ts';

export const importElementwise: ImportNode = ({ context }) => ({
  outDims: broadcastShapes({ shapes: [context.inputDims(0), context.inputDims(1)], where: context.where }),
});
