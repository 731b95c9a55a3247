/** The add layer: numpy broadcasting of either operand, range-checked. */
import type { AddLayer } from '../quant/types.ts';
import { broadcastOffsets } from '../tensor/broadcastShapes.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { CompileLayer } from './types.ts';

export const compileAdd: CompileLayer<AddLayer> = ({ context, layer }) => {
  const { buffers, dims, minValue, maxValue, model } = context;
  const out = buffers.get(layer.out)!;
  const outDims = dims.get(layer.out)!;
  const size = sizeOf(outDims);
  const aDims = dims.get(layer.a)!;
  const bDims = dims.get(layer.b)!;
  const same = sizeOf(aDims) === size && sizeOf(bDims) === size;
  const ia = same ? undefined : broadcastOffsets(aDims, outDims);
  const ib = same ? undefined : broadcastOffsets(bDims, outDims);
  return () => {
    const A = buffers.get(layer.a)!;
    const B = buffers.get(layer.b)!;
    for (let i = 0; i < size; i++) {
      const v = ia && ib ? A[ia[i]] + B[ib[i]] : A[i] + B[i];
      if (v < minValue || v > maxValue)
        throwOverflow({ layer: layer.name, op: layer.op, tensor: layer.out, index: i, value: v, minValue, maxValue, valueBits: model.valueBits });
      out[i] = v;
    }
  };
};
