/** `leakyRelu` → one LeakyRelu(alpha, s, v) per element (s + 2v + 1 constraints). */
import type { LeakyReluLayer } from '../../quant/types.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { EmitLayer } from './types.ts';

export const emitLeakyRelu: EmitLayer<LeakyReluLayer> = ({ context, layer, id }) =>
  emitEachElement({ context, id, input: layer.input, out: layer.out, template: `LeakyRelu(${layer.alpha}, ${context.model.scaleBits}, ${context.model.valueBits})` });
