/** `relu`: one RELU step per element, over its input where nothing else reads it (allocateOver:
 * step i reads X[i], then writes out[i]). */
import type { ReluLayer } from '../../quant/types.ts';
import { VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerRelu: LowerLayer<ReluLayer> = ({ context, layer }) => {
  const X = context.viewOf(layer.input, layer);
  const out = context.allocateOver(layer.out, layer.input);
  for (let o = 0; o < out.length; o++) context.emitter.emit(VmOp.RELU, 0, out[o], X[o], 0);
  return out;
};
