/**
 * The smooth layer (sigmoid, tanh): piecewise-linear interpolation in the model's integer table
 * (docs/fixed-point.md, "Smooth functions"). No range check: every output lies between two knots,
 * and the quantizer put every knot in the value range.
 */
import type { SmoothLayer } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { CompileLayer } from './types.ts';

export const compileSmooth: CompileLayer<SmoothLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const size = sizeOf(dims.get(layer.out)!);
  const knots = buffers.get(layer.table)!;
  const width = 2 ** layer.segmentBits;
  const half = width / 2;
  const lowest = layer.lowest;
  const highest = lowest + (knots.length - 1) * width - 1;
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < size; i++) {
      const x = X[i];
      const u = (x < lowest ? lowest : x > highest ? highest : x) - lowest;
      const seg = Math.floor(u / width);
      const y = knots[seg];
      out[i] = y + Math.floor(((knots[seg + 1] - y) * (u - seg * width) + half) / width);
    }
  };
};
