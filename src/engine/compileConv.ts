/**
 * The 2-D conv layer (NCHW, any group): acc = Σ_{c,ky,kx} in[g·C/group + c]·w + bias[m] with zero
 * padding (filter m in group g = floor(m / (M/group)), c over its C/group channels),
 * out = rescale(acc), range-checked. Float64 when accBits ≤ 52, BigInt otherwise.
 */
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { ConvLayer } from '../quant/types.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { EngineContext, LayerStep } from './types.ts';

export interface CompileConvParameters {
  context: EngineContext;
  layer: ConvLayer;
}

export function compileConv({ context, layer }: CompileConvParameters): LayerStep {
  const { buffers, dims, minValue, maxValue, model } = context;
  const s = model.scaleBits;
  const [batchSize, inChannels, H, W] = dims.get(layer.input)!;
  const [M, C, kh, kw] = dims.get(layer.weight)!;
  const filtersPerGroup = M / (layer.group ?? 1);
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

  return () => {
    const input = buffers.get(layer.input)!;
    let o = 0;
    for (let n = 0; n < batchSize; n++)
      for (let m = 0; m < M; m++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++, o++) {
            const channelBase = n * inChannels + Math.floor(m / filtersPerGroup) * C;
            if (useBigInt) {
              let acc = bias ? BigInt(bias[m]) : 0n;
              for (let c = 0; c < C; c++)
                for (let ky = 0; ky < kh; ky++) {
                  const iy = oy * sy + ky * dy - pt;
                  if (iy < 0 || iy >= H) continue;
                  for (let kx = 0; kx < kw; kx++) {
                    const ix = ox * sx + kx * dx - pl;
                    if (ix < 0 || ix >= W) continue;
                    acc += BigInt(input[((channelBase + c) * H + iy) * W + ix]) * BigInt(weight[((m * C + c) * kh + ky) * kw + kx]);
                  }
                }
              const q = (acc + bigHalf) >> shift;
              if (q < BigInt(minValue) || q > BigInt(maxValue)) overflow(o, q);
              out[o] = Number(q);
              continue;
            }
            let acc = bias ? bias[m] : 0;
            for (let c = 0; c < C; c++) {
              const inBase = (channelBase + c) * H;
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
}
