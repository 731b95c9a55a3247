/**
 * The softmax layer, per row of `rowLength` elements (docs/fixed-point.md, "Softmax"):
 * m = max x, e_k = E(x_k − m) in the exp table (clamped below, interpolated as compileSmooth),
 * S = Σ e_k, out_k = floor((e_k·2^(s+1) + S) / (2S)) — e_k·2^s / S rounded half up. S ≥ E(0) = 2^s,
 * so the division is defined; out ∈ [0, 2^s], so no range check.
 */
import type { SoftmaxLayer } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { CompileLayer } from './types.ts';

export const compileSoftmax: CompileLayer<SoftmaxLayer> = ({ context, layer }) => {
  const { buffers, dims, model } = context;
  const out = buffers.get(layer.out)!;
  const size = sizeOf(dims.get(layer.out)!);
  const n = layer.rowLength;
  const knots = buffers.get(layer.table)!;
  const width = 2 ** layer.segmentBits;
  const half = width / 2;
  const lowest = layer.lowest;
  const highest = lowest + (knots.length - 1) * width - 1;
  const twoScale = 2 ** (model.scaleBits + 1);
  const e = new Float64Array(n);
  return () => {
    const X = buffers.get(layer.input)!;
    for (let row = 0; row < size; row += n) {
      let m = X[row];
      for (let k = 1; k < n; k++) if (X[row + k] > m) m = X[row + k];
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const d = X[row + k] - m;
        const u = (d < lowest ? lowest : d > highest ? highest : d) - lowest;
        const seg = Math.floor(u / width);
        const y = knots[seg];
        e[k] = y + Math.floor(((knots[seg + 1] - y) * (u - seg * width) + half) / width);
        sum += e[k];
      }
      const divisor = 2 * sum;
      for (let k = 0; k < n; k++) {
        // Float division can round a quotient just below an integer up to it: correct by one.
        const numerator = e[k] * twoScale + sum;
        let q = Math.floor(numerator / divisor);
        if (q * divisor > numerator) q--;
        else if ((q + 1) * divisor <= numerator) q++;
        out[row + k] = q;
      }
    }
  };
};
