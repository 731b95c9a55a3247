/** `relu` → one Relu(v) per element (v + 1 constraints), or circomlib-ml's ReluFull with --relu full. */
import type { ReluLayer } from '../../quant/types.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { EmitLayer } from './types.ts';

export const emitRelu: EmitLayer<ReluLayer> = ({ context, layer, id }) =>
  emitEachElement({ context, id, input: layer.input, out: layer.out, template: context.settings.relu === 'full' ? 'ReluFull()' : `Relu(${context.model.valueBits})` });
