/** `relu` → Relu(v) per element (v + 1 constraints); `--relu full` (ReluFull) is left to circom. */
import { UnsupportedModelError } from '../../../errors.ts';
import type { ReluLayer } from '../../../quant/types.ts';
import { relu } from '../gadgets.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitRelu: DirectEmitLayer<ReluLayer> = ({ context, layer, id }) => {
  if (context.settings.relu !== 'bounded')
    throw new UnsupportedModelError(`${context.where(layer)}: the direct R1CS builder has no ReluFull (--relu full)`, { hint: 'circom builds it (builder auto or circom)' });
  return emitEachElement(context, id, layer.input, layer.out, (prefix, x) => relu(context.cs, prefix, x, context.model.valueBits));
};
