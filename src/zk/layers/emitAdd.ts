/** `add` → one Add(v) per output element (numpy broadcasting of either operand; a range check). */
import { broadcastOffsets } from '../../tensor/broadcastShapes.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { AddLayer } from '../../quant/types.ts';
import type { EmitLayer } from './types.ts';

export const emitAdd: EmitLayer<AddLayer> = ({ context, layer, id }) => {
  const { body, dimsOf, operand } = context;
  const v = context.model.valueBits;
  const outDims = dimsOf(layer.out);
  const outSize = sizeOf(outDims);
  const a = operand(layer.a);
  const b = operand(layer.b);
  const aOffsets = broadcastOffsets(dimsOf(layer.a), outDims);
  const bOffsets = broadcastOffsets(dimsOf(layer.b), outDims);
  body.push(`    component ${id}[${outSize}];`);
  for (let i = 0; i < outSize; i++)
    body.push(`    ${id}[${i}] = Add(${v}); ${id}[${i}].a <== ${a[aOffsets[i]!]}; ${id}[${i}].b <== ${b[bOffsets[i]!]};`);
  return Array.from({ length: outSize }, (_, i) => `${id}[${i}].out`);
};
