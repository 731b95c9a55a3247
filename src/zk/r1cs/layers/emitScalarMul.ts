/** `scalarMul` → ScalarMul(factor, s, v) per element (s + v constraints). */
import type { ScalarMulLayer } from '../../../quant/types.ts';
import { scalarMul } from '../gadgets.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitScalarMul: DirectEmitLayer<ScalarMulLayer> = ({ context, layer, id }) =>
  emitEachElement(context, id, layer.input, layer.out, (prefix, x) => scalarMul(context.cs, prefix, x, layer.factor, context.model.scaleBits, context.model.valueBits));
