/** The transpose layer (any permutation; the 2-D swap without `perm`): a copy through an index map. */
import type { TransposeLayer } from '../quant/types.ts';
import { transposeMap } from '../tensor/reindex.ts';
import type { CompileLayer } from './types.ts';

export const compileTranspose: CompileLayer<TransposeLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const map = transposeMap(dims.get(layer.input)!, layer.perm ?? [1, 0]);
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < map.length; i++) out[i] = X[map[i]!]!;
  };
};
