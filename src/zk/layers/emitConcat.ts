/** `concat` → the operands' element lists interleaved along the axis: free (constants as literals or weight signals). */
import type { ConcatLayer } from '../../quant/types.ts';
import { concatMap } from '../../tensor/reindex.ts';
import type { EmitLayer } from './types.ts';

export const emitConcat: EmitLayer<ConcatLayer> = ({ context, layer }) => {
  const operands = layer.inputs.map((name) => context.operand(name));
  const { operand, index } = concatMap(layer.inputs.map((name) => context.dimsOf(name)), layer.axis);
  return Array.from(operand, (k, i) => operands[k]![index[i]!]!);
};
