/**
 * The mul layer: out = rescale(a · b + bias) elementwise with numpy broadcasting (bias at scale
 * 2s), range-checked; Float64 when accBits ≤ 52, BigInt otherwise.
 */
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { MulLayer } from '../quant/types.ts';
import { broadcastOffsets } from '../tensor/broadcastShapes.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { CompileLayer } from './types.ts';

export const compileMul: CompileLayer<MulLayer> = ({ context, layer }) => {
  const { buffers, dims, minValue, maxValue, model } = context;
  const out = buffers.get(layer.out)!;
  const outDims = dims.get(layer.out)!;
  const size = sizeOf(outDims);
  const ia = broadcastOffsets(dims.get(layer.a)!, outDims);
  const ib = broadcastOffsets(dims.get(layer.b)!, outDims);
  const ic = layer.bias ? broadcastOffsets(dims.get(layer.bias)!, outDims) : undefined;
  const s = model.scaleBits;
  const overflow = (index: number, value: number | bigint) =>
    throwOverflow({ layer: layer.name, op: layer.op, tensor: layer.out, index, value, minValue, maxValue, valueBits: model.valueBits });
  if (layer.accBits > FLOAT_SAFE_ACC_BITS) {
    const half = 1n << BigInt(s - 1);
    const shift = BigInt(s);
    return () => {
      const A = buffers.get(layer.a)!;
      const B = buffers.get(layer.b)!;
      const C = layer.bias ? buffers.get(layer.bias)! : undefined;
      for (let i = 0; i < size; i++) {
        const acc = BigInt(A[ia[i]!]!) * BigInt(B[ib[i]!]!) + (C ? BigInt(C[ic![i]!]!) : 0n);
        const q = (acc + half) >> shift;
        if (q < BigInt(minValue) || q > BigInt(maxValue)) overflow(i, q);
        out[i] = Number(q);
      }
    };
  }
  const half = 2 ** (s - 1);
  const inverse = 2 ** -s;
  return () => {
    const A = buffers.get(layer.a)!;
    const B = buffers.get(layer.b)!;
    const C = layer.bias ? buffers.get(layer.bias)! : undefined;
    for (let i = 0; i < size; i++) {
      const q = Math.floor((A[ia[i]!]! * B[ib[i]!]! + (C ? C[ic![i]!]! : 0) + half) * inverse);
      if (q < minValue || q > maxValue) overflow(i, q);
      out[i] = q;
    }
  };
};
