/** Add: numpy broadcasting of the two operands. */
import { broadcastShapes } from '../../tensor/broadcastShapes.ts';
import type { ImportNode } from './types.ts';

export const importAdd: ImportNode = ({ context }) => ({
  outDims: broadcastShapes({ shapes: [context.inputDims(0), context.inputDims(1)], where: context.where }),
});
