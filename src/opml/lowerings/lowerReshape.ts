/** `reshape` (Reshape, Flatten, Identity): an address map, no step; the element count must not change. */
import { ShapeError } from '../../errors.ts';
import type { ReshapeLayer } from '../../quant/types.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { LowerLayer } from './types.ts';

export const lowerReshape: LowerLayer<ReshapeLayer> = ({ context, layer }) => {
  const input = context.viewOf(layer.input, layer);
  const outDims = context.dimsOf(layer.out);
  if (input.length !== sizeOf(outDims))
    throw new ShapeError(`${context.where(layer)}: reshape of ${input.length} elements to [${outDims}]`, { hint: 'the element count must not change', details: { layer: layer.name } });
  return input;
};
