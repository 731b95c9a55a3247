/** `pad`: the input's addresses re-indexed (reflect, edge), the fill value's one constant word where there is no source element; no step. */
import type { PadLayer } from '../../quant/types.ts';
import { padMap } from '../../tensor/reindex.ts';
import type { LowerLayer } from './types.ts';

export const lowerPad: LowerLayer<PadLayer> = ({ context, layer }) => {
  const input = context.viewOf(layer.input, layer);
  const map = padMap(context.dimsOf(layer.input), layer.pads, layer.mode);
  const fill = map.some((source) => source < 0) ? context.constantWord(layer.value) : 0;
  return Uint32Array.from(map, (source) => (source < 0 ? fill : input[source]!));
};
