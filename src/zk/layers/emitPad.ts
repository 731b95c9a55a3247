/**
 * `pad` → the input's element list re-indexed (reflect, edge) with the fill value as a literal
 * where there is no source element (constant): free. The fill value is part of the circuit,
 * like the layer's shape.
 */
import type { PadLayer } from '../../quant/types.ts';
import { padMap } from '../../tensor/reindex.ts';
import type { EmitLayer } from './types.ts';

export const emitPad: EmitLayer<PadLayer> = ({ context, layer }) => {
  const input = context.operand(layer.input);
  return Array.from(padMap(context.dimsOf(layer.input), layer.pads, layer.mode), (source) => (source < 0 ? String(layer.value) : input[source]!));
};
