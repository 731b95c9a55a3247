/** The clip layer: min(max(x, min), max) (no range check needed: the bounds are in range). */
import type { ClipLayer } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { CompileLayer } from './types.ts';

export const compileClip: CompileLayer<ClipLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const size = sizeOf(dims.get(layer.out)!);
  const { min, max } = layer;
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < size; i++) {
      const x = X[i]!;
      out[i] = x < min ? min : x > max ? max : x;
    }
  };
};
