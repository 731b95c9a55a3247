/** `add` → Add(v) per output element (numpy broadcasting of either operand; v constraints each). */
import type { AddLayer } from '../../../quant/types.ts';
import { broadcastOffsets } from '../../../tensor/broadcastShapes.ts';
import { sizeOf } from '../../../tensor/sizeOf.ts';
import { add } from '../gadgets.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitAdd: DirectEmitLayer<AddLayer> = ({ context, layer, id }) => {
  const { cs, dimsOf } = context;
  const outDims = dimsOf(layer.out);
  const outSize = sizeOf(outDims);
  const a = context.operand(layer.a);
  const b = context.operand(layer.b);
  const aOffsets = broadcastOffsets(dimsOf(layer.a), outDims);
  const bOffsets = broadcastOffsets(dimsOf(layer.b), outDims);
  const out = [];
  for (let i = 0; i < outSize; i++) out.push(add(cs, () => `main.${id}[${i}]`, a[aOffsets[i]!]!, b[bOffsets[i]!]!, context.model.valueBits));
  return out;
};
