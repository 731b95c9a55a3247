/** `scalarMul`: one SCALE step per element (x · factor, rescaled), the factor an immediate. */
import type { ScalarMulLayer } from '../../quant/types.ts';
import { VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerScalarMul: LowerLayer<ScalarMulLayer> = ({ context, layer }) => {
  const X = context.viewOf(layer.input, layer);
  const out = context.allocate(layer.out);
  for (let o = 0; o < out.length; o++) context.emitter.emit(VmOp.SCALE, 0, out[o], X[o], 0, layer.factor);
  return out;
};
