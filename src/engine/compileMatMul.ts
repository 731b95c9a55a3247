/**
 * The matmul layer: acc = Σ_k a·b + bias (scale 2s), out = rescale(acc), range-checked.
 * Batch dims broadcast as numpy matmul; 1-D operands are promoted. A constant B runs on a
 * WebAssembly SIMD integer kernel when chooseDotKernel proves it exact; otherwise a float64 loop
 * when the layer's accBits ≤ 52 (every partial sum is then an exact integer), BigInt above.
 */
import { broadcastOffsets } from '../tensor/broadcastShapes.ts';
import { matmulShape } from '../tensor/matmulShape.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { MatMulLayer } from '../quant/types.ts';
import { chooseDotKernel } from './chooseDotKernel.ts';
import { copyRows } from './copyRows.ts';
import { createDotProduct, type DotProduct } from './createDotProduct.ts';
import { reuseDotProducts } from './reuseDotProducts.ts';
import { dotRowsDense, dotRowsSparse } from './dotRows.ts';
import { dotKernelModule } from './wasm/loadDotKernels.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { EngineContext, LayerStep } from './types.ts';

export interface CompileMatMulParameters {
  context: EngineContext;
  layer: MatMulLayer;
}

export function compileMatMul({ context, layer }: CompileMatMulParameters): LayerStep {
  const { buffers, dims, minValue, maxValue, model } = context;
  const s = model.scaleBits;
  // M, K, N are `| 0` (matmulShape): dims decoded from protobuf int64 are heap doubles; V8 must
  // see small integers here, or every index computation in the inner loops becomes float
  // arithmetic (measured 2× slower).
  const shape = matmulShape({ aDims: dims.get(layer.a)!, bDims: dims.get(layer.b)!, where: `layer '${layer.name}'` });
  const { M, K, N, batches } = shape;
  const aOffsets = shape.aBatchOffsets.map((o) => o * M * K);
  const bOffsets = shape.bBatchOffsets.map((o) => o * K * N);
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
    context.layerKernels[layer.name] = 'bigint';
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

  // Float path: Bᵀ per batch ([N, K], contiguous over k) so that each output is a dot product of
  // two contiguous rows, computed four columns at a time in registers (~4× faster than a
  // row-update loop in V8). Sums are exact integers (accBits ≤ 52), so the order does not matter.
  const half = 2 ** (s - 1);
  const inverse = 2 ** -s;
  const bBatches = sizeOf(shape.bBatchDims);
  const bt = new Float64Array(bBatches * K * N);
  const transposeB = (B: Float64Array) => {
    for (let batch = 0; batch < bBatches; batch++) {
      const base = batch * K * N;
      for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) bt[base + j * K + k] = B[base + k * N + j];
    }
  };
  const bIsConstant = layer.b in model.constants;
  const nonZeroIndex = new Int32Array(K);
  const row = new Float64Array(N);
  if (bIsConstant) transposeB(buffers.get(layer.b)!);
  const finish = (o: number, acc: number) => {
    const q = Math.floor((acc + half) * inverse);
    if (q < minValue || q > maxValue) overflow(o, q);
    out[o] = q;
  };

  // SIMD path (constant B only: an activation B would need its own bound, K · 2^(2(v-1)), which
  // the i16 kernel never meets): one kernel instance per batch of B, all M rows of A per call.
  const built = bIsConstant
    ? reuseDotProducts({
      owner: model.constants[layer.b]!.data,
      weights: bt,
      key: `matmul ${context.kernels} v${model.valueBits} acc${layer.accBits} ${bBatches}×${K}×${N} rows ${M}`,
      build: () => {
        const choice = chooseDotKernel({ accBits: layer.accBits, valueBits: model.valueBits, weights: bt, K, columns: bBatches * N, kernels: context.kernels, simdAvailable: dotKernelModule() !== null });
        const products: DotProduct[] = [];
        if (choice.kernel === 'i16x8' || choice.kernel === 'i32x4')
          for (let batch = 0; batch < bBatches; batch++) {
            const product = createDotProduct({ kernel: choice.kernel, weights: bt.subarray(batch * K * N, (batch + 1) * K * N), K, columns: N, rows: M });
            if (product) products.push(product);
          }
        return { kernel: choice.kernel, products };
      },
    })
    : { kernel: 'f64' as const, products: [] };
  const { products } = built;
  const scalarStep = () => {
    const A = buffers.get(layer.a)!;
    if (!bIsConstant) transposeB(buffers.get(layer.b)!);
    for (let batch = 0; batch < batches; batch++) {
      const aBase = aOffsets[batch];
      const bBase = bOffsets[batch];
      for (let i = 0; i < M; i++) {
        const oBase = batch * M * N + i * N;
        const aRow = aBase + i * K;
        // Activations after ReLU, and images, are mostly zeros: skip them when that pays.
        let nonZero = 0;
        for (let k = 0; k < K; k++) if (A[aRow + k] !== 0) nonZeroIndex[nonZero++] = k;
        if (nonZero * 4 < K * 3) dotRowsSparse(A, aRow, nonZeroIndex, nonZero, bt, bBase, K, N, row);
        else dotRowsDense(A, aRow, bt, bBase, K, N, row);
        for (let j = 0; j < N; j++) finish(oBase + j, bias ? row[j] + bias[oBase + j] : row[j]);
      }
    }
  };
  const simd = products.length > 0 && products.length === bBatches;
  context.layerKernels[layer.name] = simd ? built.kernel : 'f64';
  if (simd) {
    const bBatchIndex = shape.bBatchOffsets;
    return () => {
      const A = buffers.get(layer.a)!;
      for (let batch = 0; batch < batches; batch++) {
        const product = products[bBatchIndex[batch]!]!;
        const { input, output, paddedK, paddedColumns } = product;
        // An operand outside the value range (a constant A, say) would wrap: float64 instead. The
        // batches already written hold the same integers on that path, so it simply redoes them.
        if (!copyRows(A, aOffsets[batch]!, M, K, input, paddedK, minValue, maxValue)) return scalarStep();
        product.run();
        for (let i = 0; i < M; i++) {
          const oBase = batch * M * N + i * N;
          const rBase = i * paddedColumns;
          for (let j = 0; j < N; j++) finish(oBase + j, bias ? output[rBase + j]! + bias[oBase + j]! : output[rBase + j]!);
        }
      }
    };
  }

  return scalarStep;
}
