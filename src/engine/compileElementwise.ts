/**
 * The layers without accumulation over an axis: add (numpy broadcasting, range-checked),
 * scalarMul (rescale(x·q), range-checked), relu, 2-D transpose and reshape (a copy; the
 * engine aliases reshape buffers where it can, see createEngine).
 */
import { broadcastOffsets } from '../tensor/broadcastShapes.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { AddLayer, ReluLayer, ReshapeLayer, ScalarMulLayer, TransposeLayer } from '../quant/types.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { EngineContext, LayerStep } from './types.ts';

export interface CompileElementwiseParameters {
  context: EngineContext;
  layer: AddLayer | ScalarMulLayer | ReluLayer | TransposeLayer | ReshapeLayer;
}

export function compileElementwise({ context, layer }: CompileElementwiseParameters): LayerStep {
  const { buffers, dims, minValue, maxValue, model } = context;
  const out = buffers.get(layer.out)!;
  const outDims = dims.get(layer.out)!;
  const size = sizeOf(outDims);
  const overflow = (index: number, value: number | bigint) =>
    throwOverflow({ layer: layer.name, op: layer.op, tensor: layer.out, index, value, minValue, maxValue, valueBits: model.valueBits });
  switch (layer.op) {
    case 'add': {
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
          if (v < minValue || v > maxValue) overflow(i, v);
          out[i] = v;
        }
      };
    }
    case 'scalarMul': {
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
    }
    case 'relu':
      return () => {
        const X = buffers.get(layer.input)!;
        for (let i = 0; i < size; i++) out[i] = X[i] > 0 ? X[i] : 0;
      };
    case 'transpose': {
      const [rows, cols] = dims.get(layer.input)!;
      return () => {
        const X = buffers.get(layer.input)!;
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = X[r * cols + c];
      };
    }
    case 'reshape':
      return () => {
        const X = buffers.get(layer.input)!;
        if (X !== out) out.set(X);
      };
  }
}
