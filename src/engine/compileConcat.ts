/** The concat layer: a copy of each operand (activation or constant) through an index map. */
import type { ConcatLayer } from '../quant/types.ts';
import { concatMap } from '../tensor/reindex.ts';
import type { CompileLayer } from './types.ts';

export const compileConcat: CompileLayer<ConcatLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const { operand, index } = concatMap(layer.inputs.map((name) => dims.get(name)!), layer.axis);
  return () => {
    const sources = layer.inputs.map((name) => buffers.get(name)!);
    for (let i = 0; i < operand.length; i++) out[i] = sources[operand[i]!]![index[i]!]!;
  };
};
