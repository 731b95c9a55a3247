/** Sub, Mul, Div, Pow: numpy broadcasting of the two operands (the quantizer says which operand may be a constant). */
import { broadcastShapes } from '../../tensor/broadcastShapes.ts';
import type { ImportNode } from './types.ts';

export const importElementwise: ImportNode = ({ context }) => ({
  outDims: broadcastShapes({ shapes: [context.inputDims(0), context.inputDims(1)], where: context.where }),
});
