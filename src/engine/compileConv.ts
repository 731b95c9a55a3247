/**
 * The 2-D conv layer (group = 1, NCHW): acc = Σ_{c,ky,kx} in·w + bias[m] with zero padding,
 * out = rescale(acc), range-checked. A SIMD integer kernel over the im2col patches when
 * chooseDotKernel proves it exact (and the patch matrix stays small), else float64 when
 * accBits ≤ 52, BigInt otherwise.
 */
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { ConvLayer } from '../quant/types.ts';
import { chooseDotKernel } from './chooseDotKernel.ts';
import { createDotProduct } from './createDotProduct.ts';
import { gatherPatches } from './gatherPatches.ts';
import { reuseDotProducts } from './reuseDotProducts.ts';
import { dotKernelModule } from './wasm/loadDotKernels.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { EngineContext, LayerStep } from './types.ts';

export interface CompileConvParameters {
  context: EngineContext;
  layer: ConvLayer;
}

/** Largest im2col patch matrix (elements) the SIMD path builds; a larger conv keeps the float64 loop. */
const MAX_PATCH_ELEMENTS = 1 << 22;

export function compileConv({ context, layer }: CompileConvParameters): LayerStep {
  const { buffers, dims, minValue, maxValue, model } = context;
  const s = model.scaleBits;
  const [batchSize, C, H, W] = dims.get(layer.input)!;
  const [M, , kh, kw] = dims.get(layer.weight)!;
  const [, , OH, OW] = dims.get(layer.out)!;
  const [pt, pl] = layer.pads;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const weight = buffers.get(layer.weight)!;
  const bias = layer.bias ? buffers.get(layer.bias)! : undefined;
  const out = buffers.get(layer.out)!;
  const useBigInt = layer.accBits > FLOAT_SAFE_ACC_BITS;
  const half = 2 ** (s - 1);
  const inverse = 2 ** -s;
  const bigHalf = 1n << BigInt(s - 1);
  const shift = BigInt(s);
  const overflow = (index: number, value: number | bigint) =>
    throwOverflow({ layer: layer.name, op: 'conv', tensor: layer.out, index, value, minValue, maxValue, valueBits: model.valueBits });

  // SIMD path: the conv as a matrix product of im2col patches (one row per output pixel, one
  // column per tap c·ky·kx) with the M filters. The gather table lists, once, where each tap of
  // each patch comes from; taps in the zero padding are never written, so they stay zero.
  const taps = C * kh * kw;
  const pixels = OH * OW;
  const patchElements = batchSize * pixels * Math.ceil(taps / 8) * 8;
  const buildPatchTable = (paddedK: number) => {
    const targets: number[] = [];
    const sources: number[] = [];
    for (let n = 0; n < batchSize; n++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const row = ((n * OH + oy) * OW + ox) * paddedK;
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sy + ky * dy - pt;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sx + kx * dx - pl;
                if (ix < 0 || ix >= W) continue;
                targets.push(row + (c * kh + ky) * kw + kx);
                sources.push(((n * C + c) * H + iy) * W + ix);
              }
            }
        }
    return { source: Int32Array.from(sources), target: Int32Array.from(targets) };
  };
  const built = reuseDotProducts({
    owner: model.constants[layer.weight]!.data,
    weights: weight,
    // the geometry too: it decides which patch positions are padding (never written, so zero)
    key: `conv ${context.kernels} v${model.valueBits} acc${layer.accBits} ${M}×${taps} in ${batchSize}×${C}×${H}×${W} k${kh}×${kw} pads ${layer.pads} strides ${layer.strides} dilations ${layer.dilations}`,
    build: () => {
      const choice = chooseDotKernel({ accBits: layer.accBits, valueBits: model.valueBits, weights: weight, K: taps, columns: M, kernels: context.kernels, simdAvailable: dotKernelModule() !== null });
      const simd = (choice.kernel === 'i16x8' || choice.kernel === 'i32x4') && patchElements <= MAX_PATCH_ELEMENTS
        ? createDotProduct({ kernel: choice.kernel, weights: weight, K: taps, columns: M, rows: batchSize * pixels })
        : undefined;
      return { kernel: choice.kernel, products: simd ? [simd] : [], patchTable: simd ? buildPatchTable(simd.paddedK) : undefined };
    },
  });
  const product = built.products[0];
  context.layerKernels[layer.name] = product ? built.kernel : useBigInt ? 'bigint' : 'f64';
  const scalarStep = () => {
    const input = buffers.get(layer.input)!;
    let o = 0;
    for (let n = 0; n < batchSize; n++)
      for (let m = 0; m < M; m++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++, o++) {
            if (useBigInt) {
              let acc = bias ? BigInt(bias[m]) : 0n;
              for (let c = 0; c < C; c++)
                for (let ky = 0; ky < kh; ky++) {
                  const iy = oy * sy + ky * dy - pt;
                  if (iy < 0 || iy >= H) continue;
                  for (let kx = 0; kx < kw; kx++) {
                    const ix = ox * sx + kx * dx - pl;
                    if (ix < 0 || ix >= W) continue;
                    acc += BigInt(input[((n * C + c) * H + iy) * W + ix]) * BigInt(weight[((m * C + c) * kh + ky) * kw + kx]);
                  }
                }
              const q = (acc + bigHalf) >> shift;
              if (q < BigInt(minValue) || q > BigInt(maxValue)) overflow(o, q);
              out[o] = Number(q);
              continue;
            }
            let acc = bias ? bias[m] : 0;
            for (let c = 0; c < C; c++) {
              const inBase = (n * C + c) * H;
              const wBase = (m * C + c) * kh;
              for (let ky = 0; ky < kh; ky++) {
                const iy = oy * sy + ky * dy - pt;
                if (iy < 0 || iy >= H) continue;
                const inRow = (inBase + iy) * W;
                const wRow = (wBase + ky) * kw;
                for (let kx = 0; kx < kw; kx++) {
                  const ix = ox * sx + kx * dx - pl;
                  if (ix < 0 || ix >= W) continue;
                  acc += input[inRow + ix] * weight[wRow + kx];
                }
              }
            }
            const q = Math.floor((acc + half) * inverse);
            if (q < minValue || q > maxValue) overflow(o, q);
            out[o] = q;
          }
  };
  if (product) {
    const { input: patches, output, paddedColumns } = product;
    const { source, target } = built.patchTable!;
    return () => {
      // An input outside the value range would wrap in the kernel: the float64 loop instead.
      if (!gatherPatches(buffers.get(layer.input)!, source, target, patches, minValue, maxValue)) return scalarStep();
      product.run();
      for (let n = 0; n < batchSize; n++)
        for (let m = 0; m < M; m++) {
          const b = bias ? bias[m]! : 0;
          const oBase = (n * M + m) * pixels;
          for (let p = 0; p < pixels; p++) {
            const q = Math.floor((output[(n * pixels + p) * paddedColumns + m]! + b + half) * inverse);
            if (q < minValue || q > maxValue) overflow(oBase + p, q);
            out[oBase + p] = q;
          }
        }
    };
  }

  return scalarStep;
}
