/**
 * The leakyRelu layer: x ≥ 0 ? x : rescale(x · alpha). With 0 ≤ alpha ≤ 2^s the negative branch
 * lies in [x, 0], so it never leaves the range (no check needed). |x · alpha| ≤ 2^(v-1+s): Float64
 * while that is below 2^53, BigInt beyond.
 */
import type { LeakyReluLayer } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { CompileLayer } from './types.ts';

export const compileLeakyRelu: CompileLayer<LeakyReluLayer> = ({ context, layer }) => {
  const { buffers, dims, model } = context;
  const out = buffers.get(layer.out)!;
  const size = sizeOf(dims.get(layer.out)!);
  const half = 2 ** (model.scaleBits - 1);
  const inverse = 2 ** -model.scaleBits;
  const alpha = layer.alpha;
  if (model.valueBits - 1 + model.scaleBits > 52) {
    const bigHalf = 1n << BigInt(model.scaleBits - 1);
    const shift = BigInt(model.scaleBits);
    const bigAlpha = BigInt(alpha);
    return () => {
      const X = buffers.get(layer.input)!;
      for (let i = 0; i < size; i++) {
        const x = X[i]!;
        out[i] = x >= 0 ? x : Number((BigInt(x) * bigAlpha + bigHalf) >> shift);
      }
    };
  }
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < size; i++) {
      const x = X[i]!;
      out[i] = x >= 0 ? x : Math.floor((x * alpha + half) * inverse);
    }
  };
};
