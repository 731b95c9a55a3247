/** The relu layer: max(x, 0) (no range check needed: it never grows a value). */
import type { ReluLayer } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { CompileLayer } from './types.ts';

export const compileRelu: CompileLayer<ReluLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const size = sizeOf(dims.get(layer.out)!);
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < size; i++) out[i] = X[i] > 0 ? X[i] : 0;
  };
};
