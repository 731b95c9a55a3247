/**
 * Static bound of a matmul layer's accumulator (docs/fixed-point.md), exact per output element:
 * Σ_k |w[k,j]| · 2^(v-1) + |bias[i,j]| + 2^(s-1) with a constant operand (rows of a constant A
 * likewise), K · 2^(2(v-1)) + |bias| + 2^(s-1) for activation × activation; the max over outputs.
 * Shared by the MatMul and Gemm lowerings.
 */
import { broadcastOffsets } from '../tensor/broadcastShapes.ts';
import { matmulShape } from '../tensor/matmulShape.ts';
import type { QuantizeContext } from './ops/types.ts';
import type { QConstant } from './types.ts';

export interface MatmulAccBitsParameters {
  context: QuantizeContext;
  layerName: string;
  /** Operand and bias names as registered in the context (constants already quantized). */
  a: string;
  b: string;
  bias: string | undefined;
  outDims: number[];
}

export function matmulAccBits({ context, layerName, a, b, bias, outDims }: MatmulAccBitsParameters): number {
  const { constants, tensors, maxActivation, half } = context;
  const aConst = constants[a];
  const bConst = constants[b];
  const { M, K, N, batches, aBatchOffsets: aBatch, bBatchOffsets: bBatch } = matmulShape({
    aDims: aConst?.dims ?? tensors[a]!,
    bDims: bConst?.dims ?? tensors[b]!,
    where: `${context.graph.file}: layer '${layerName}'`,
  });
  const abs = (x: number) => BigInt(Math.abs(x));
  const rowSums = (c: QConstant) => {
    const sums: bigint[] = [];
    for (let r = 0; r < c.data.length / K; r++) {
      let sum = 0n;
      for (let k = 0; k < K; k++) sum += abs(c.data[r * K + k]!);
      sums.push(sum);
    }
    return sums;
  };
  const colSums = (c: QConstant) => {
    const sums: bigint[] = [];
    for (let batch = 0; batch < c.data.length / (K * N); batch++)
      for (let j = 0; j < N; j++) {
        let sum = 0n;
        for (let k = 0; k < K; k++) sum += abs(c.data[batch * K * N + k * N + j]!);
        sums.push(sum);
      }
    return sums;
  };
  const aRows = aConst && !bConst ? rowSums(aConst) : undefined;
  const bCols = bConst && !aConst ? colSums(bConst) : undefined;
  const biasData = bias ? constants[bias]!.data : undefined;
  const biasOffsets = bias ? broadcastOffsets(constants[bias]!.dims, outDims) : undefined;
  const activationProduct = BigInt(K) * maxActivation * maxActivation;
  let best = 0n;
  for (let batch = 0; batch < batches; batch++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let term: bigint;
        if (aConst && bConst) {
          term = 0n;
          const aBase = aBatch[batch]! * M * K + i * K;
          const bBase = bBatch[batch]! * K * N + j;
          for (let k = 0; k < K; k++) term += abs(aConst.data[aBase + k]!) * abs(bConst.data[bBase + k * N]!);
        } else if (bCols) term = bCols[bBatch[batch]! * N + j]! * maxActivation;
        else if (aRows) term = aRows[aBatch[batch]! * M + i]! * maxActivation;
        else term = activationProduct;
        if (biasData && biasOffsets) term += abs(biasData[biasOffsets[(batch * M + i) * N + j]!]!);
        if (term > best) best = term;
      }
  return context.checkBound(layerName, best + half);
}
