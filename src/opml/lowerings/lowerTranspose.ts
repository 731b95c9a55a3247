/** `transpose` (any permutation; the 2-D swap without perm): the input's addresses re-ordered, no step. */
import type { TransposeLayer } from '../../quant/types.ts';
import { transposeMap } from '../../tensor/reindex.ts';
import type { LowerLayer } from './types.ts';

export const lowerTranspose: LowerLayer<TransposeLayer> = ({ context, layer }) => {
  const input = context.viewOf(layer.input, layer);
  return Uint32Array.from(transposeMap(context.dimsOf(layer.input), layer.perm ?? [1, 0]), (source) => input[source]!);
};
