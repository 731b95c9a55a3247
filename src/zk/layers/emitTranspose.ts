/** `transpose` (any permutation) → the input's element list re-ordered: free. */
import type { TransposeLayer } from '../../quant/types.ts';
import { transposeMap } from '../../tensor/reindex.ts';
import type { EmitLayer } from './types.ts';

export const emitTranspose: EmitLayer<TransposeLayer> = ({ context, layer }) => {
  const input = context.operand(layer.input);
  return Array.from(transposeMap(context.dimsOf(layer.input), layer.perm ?? [1, 0]), (source) => input[source]!);
};
