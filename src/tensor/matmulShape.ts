/**
 * The shape of a numpy/ONNX MatMul, worked out in one place for the quantizer's bound analysis
 * and every backend: 1-D operands promoted ([K] → [1, K] on the left, [K] → [K, 1] on the
 * right), the [M, K] × [K, N] core, and the broadcast batch dims with, per output batch, the
 * batch index of each operand.
 */
import { broadcastOffsets, broadcastShapes } from './broadcastShapes.ts';
import { sizeOf } from './sizeOf.ts';

export interface MatmulShapeParameters {
  aDims: readonly number[];
  bDims: readonly number[];
  /** Who asks, for the error message when the batch dims do not broadcast. */
  where: string;
}

export interface MatmulShape {
  /** Small integers (`| 0`): V8 keeps index arithmetic in int32 only if it never sees a double. */
  M: number;
  K: number;
  N: number;
  /** Batch dims of the output (broadcast of both operands' leading dims). */
  batchDims: number[];
  /** sizeOf(batchDims). */
  batches: number;
  /** Leading dims of each operand after 1-D promotion. */
  aBatchDims: number[];
  bBatchDims: number[];
  /** For each output batch, the batch index into A and into B. */
  aBatchOffsets: Int32Array;
  bBatchOffsets: Int32Array;
}

export type MatmulShapeResult = MatmulShape;

export function matmulShape({ aDims, bDims, where }: MatmulShapeParameters): MatmulShapeResult {
  const a2 = aDims.length === 1 ? [1, aDims[0]!] : [...aDims];
  const b2 = bDims.length === 1 ? [bDims[0]!, 1] : [...bDims];
  const aBatchDims = a2.slice(0, -2);
  const bBatchDims = b2.slice(0, -2);
  const batchDims = broadcastShapes({ shapes: [aBatchDims, bBatchDims], where });
  return {
    M: a2[a2.length - 2]! | 0,
    K: a2[a2.length - 1]! | 0,
    N: b2[b2.length - 1]! | 0,
    batchDims,
    batches: sizeOf(batchDims),
    aBatchDims,
    bBatchDims,
    aBatchOffsets: broadcastOffsets(aBatchDims, batchDims),
    bBatchOffsets: broadcastOffsets(bBatchDims, batchDims),
  };
}
