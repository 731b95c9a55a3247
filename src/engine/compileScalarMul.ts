/** The scalarMul layer: rescale(x · q), range-checked; Float64 when accBits ≤ 52, BigInt otherwise. */
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { ScalarMulLayer } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { CompileLayer } from './types.ts';

export const compileScalarMul: CompileLayer<ScalarMulLayer> = ({ context, layer }) => {
  const { buffers, dims, minValue, maxValue, model } = context;
  const out = buffers.get(layer.out)!;
  const size = sizeOf(dims.get(layer.out)!);
  const overflow = (index: number, value: number | bigint) =>
    throwOverflow({ layer: layer.name, op: layer.op, tensor: layer.out, index, value, minValue, maxValue, valueBits: model.valueBits });
  const s = model.scaleBits;
  const factor = layer.factor;
  if (layer.accBits > FLOAT_SAFE_ACC_BITS) {
    const big = BigInt(factor);
    const half = 1n << BigInt(s - 1);
    const shift = BigInt(s);
    return () => {
      const X = buffers.get(layer.input)!;
      for (let i = 0; i < size; i++) {
        const q = (BigInt(X[i]) * big + half) >> shift;
        if (q < BigInt(minValue) || q > BigInt(maxValue)) overflow(i, q);
        out[i] = Number(q);
      }
    };
  }
  const half = 2 ** (s - 1);
  const inverse = 2 ** -s;
  return () => {
    const X = buffers.get(layer.input)!;
    for (let i = 0; i < size; i++) {
      const q = Math.floor((X[i] * factor + half) * inverse);
      if (q < minValue || q > maxValue) overflow(i, q);
      out[i] = q;
    }
  };
};
