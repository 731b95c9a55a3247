/** `concat`: the operands' addresses interleaved along the axis (constants placed in memory), no step. */
import type { ConcatLayer } from '../../quant/types.ts';
import { concatMap } from '../../tensor/reindex.ts';
import type { LowerLayer } from './types.ts';

export const lowerConcat: LowerLayer<ConcatLayer> = ({ context, layer }) => {
  const operands = layer.inputs.map((name) => context.viewOf(name, layer));
  const { operand, index } = concatMap(layer.inputs.map((name) => context.dimsOf(name)), layer.axis);
  return Uint32Array.from(operand, (k, i) => operands[k]![index[i]!]!);
};
