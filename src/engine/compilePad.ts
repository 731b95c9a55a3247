/** The pad layer (constant, reflect, edge): a copy through an index map, the fill value where it has none. */
import type { PadLayer } from '../quant/types.ts';
import { padMap } from '../tensor/reindex.ts';
import type { CompileLayer } from './types.ts';

export const compilePad: CompileLayer<PadLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const map = padMap(dims.get(layer.input)!, layer.pads, layer.mode);
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < map.length; i++) out[i] = map[i]! < 0 ? layer.value : X[map[i]!]!;
  };
};
