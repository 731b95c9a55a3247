/** `scalarMul` → one ScalarMul(factor, s, v) per element (rescale and range check). */
import type { ScalarMulLayer } from '../../quant/types.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { EmitLayer } from './types.ts';

export const emitScalarMul: EmitLayer<ScalarMulLayer> = ({ context, layer, id }) =>
  emitEachElement({ context, id, input: layer.input, out: layer.out, template: `ScalarMul(${layer.factor}, ${context.model.scaleBits}, ${context.model.valueBits})` });
