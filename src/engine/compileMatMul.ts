/**
 * The matmul layer: acc = Σ_k a·b + bias (scale 2s), out = rescale(acc), range-checked.
 * Batch dims broadcast as numpy matmul; 1-D operands are promoted. Float64 loop when the
 * layer's accBits ≤ 52 (every partial sum is then an exact integer), BigInt otherwise.
 */
import { broadcastOffsets, broadcastShapes } from '../onnx/broadcastShapes.ts';
import { sizeOf } from '../onnx/types.ts';
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { MatMulLayer } from '../quant/types.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { EngineContext, LayerStep } from './types.ts';

export interface CompileMatMulParameters {
  context: EngineContext;
  layer: MatMulLayer;
}

export function compileMatMul({ context, layer }: CompileMatMulParameters): LayerStep {
  const { buffers, dims, minValue, maxValue, model } = context;
  const s = model.scaleBits;
  const aDims = dims.get(layer.a)!;
  const bDims = dims.get(layer.b)!;
  const a2 = aDims.length === 1 ? [1, aDims[0]] : aDims;
  const b2 = bDims.length === 1 ? [bDims[0], 1] : bDims;
  const M = a2[a2.length - 2];
  const K = a2[a2.length - 1];
  const N = b2[b2.length - 1];
  const batchDims = broadcastShapes({ shapes: [a2.slice(0, -2), b2.slice(0, -2)], where: `layer '${layer.name}'` });
  const batches = sizeOf(batchDims);
  const aOffsets = broadcastOffsets(a2.slice(0, -2), batchDims).map((o) => o * M * K);
  const bOffsets = broadcastOffsets(b2.slice(0, -2), batchDims).map((o) => o * K * N);
  const outDims = dims.get(layer.out)!;
  const outSize = sizeOf(outDims);
  let bias: Float64Array | undefined;
  if (layer.bias) {
    const biasData = buffers.get(layer.bias)!;
    const offsets = broadcastOffsets(dims.get(layer.bias)!, outDims);
    bias = new Float64Array(outSize);
    for (let i = 0; i < outSize; i++) bias[i] = biasData[offsets[i]];
  }
  const out = buffers.get(layer.out)!;
  const overflow = (index: number, value: number | bigint) =>
    throwOverflow({ layer: layer.name, op: 'matmul', tensor: layer.out, index, value, minValue, maxValue, valueBits: model.valueBits });

  if (layer.accBits > FLOAT_SAFE_ACC_BITS) {
    const half = 1n << BigInt(s - 1);
    const shift = BigInt(s);
    return () => {
      const A = buffers.get(layer.a)!;
      const B = buffers.get(layer.b)!;
      for (let batch = 0; batch < batches; batch++) {
        const aBase = aOffsets[batch];
        const bBase = bOffsets[batch];
        for (let i = 0; i < M; i++)
          for (let j = 0; j < N; j++) {
            const o = batch * M * N + i * N + j;
            let acc = bias ? BigInt(bias[o]) : 0n;
            for (let k = 0; k < K; k++) acc += BigInt(A[aBase + i * K + k]) * BigInt(B[bBase + k * N + j]);
            const q = (acc + half) >> shift;
            if (q < BigInt(minValue) || q > BigInt(maxValue)) overflow(o, q);
            out[o] = Number(q);
          }
      }
    };
  }

  const half = 2 ** (s - 1);
  const inverse = 2 ** -s;
  const row = new Float64Array(N);
  return () => {
    const A = buffers.get(layer.a)!;
    const B = buffers.get(layer.b)!;
    for (let batch = 0; batch < batches; batch++) {
      const aBase = aOffsets[batch];
      const bBase = bOffsets[batch];
      for (let i = 0; i < M; i++) {
        const oBase = batch * M * N + i * N;
        if (bias) for (let j = 0; j < N; j++) row[j] = bias[oBase + j];
        else row.fill(0);
        const aRow = aBase + i * K;
        for (let k = 0; k < K; k++) {
          const av = A[aRow + k];
          if (av === 0) continue;
          const bRow = bBase + k * N;
          for (let j = 0; j < N; j++) row[j] += av * B[bRow + j];
        }
        for (let j = 0; j < N; j++) {
          const q = Math.floor((row[j] + half) * inverse);
          if (q < minValue || q > maxValue) overflow(oBase + j, q);
          out[oBase + j] = q;
        }
      }
    }
  };
}
