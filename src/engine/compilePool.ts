/**
 * 2-D max and average pooling (docs/fixed-point.md): max over the window elements inside the
 * unpadded input (padding never wins); average = floor((S + floor(c/2)) / c) with c the count
 * of elements inside the input, or with count_include_pad the window positions inside the
 * padded input. The average is range-checked.
 */
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';
import type { AvgPoolLayer, MaxPoolLayer } from '../quant/types.ts';
import { throwOverflow } from './throwOverflow.ts';
import type { EngineContext, LayerStep } from './types.ts';

export interface CompilePoolParameters {
  context: EngineContext;
  layer: MaxPoolLayer | AvgPoolLayer;
}

/** floor(x / c) for integers, exact for |x| < 2^53 (the float quotient is corrected by one step). */
function floorDivide(x: number, c: number): number {
  let q = Math.floor(x / c);
  if (q * c > x) q--;
  else if ((q + 1) * c <= x) q++;
  return q;
}

export function compilePool({ context, layer }: CompilePoolParameters): LayerStep {
  const { buffers, dims, minValue, maxValue, model } = context;
  const [N, C, H, W] = dims.get(layer.input)!;
  const [, , OH, OW] = dims.get(layer.out)!;
  const [kh, kw] = layer.kernel;
  const [pt, pl, pb, pr] = layer.pads;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const out = buffers.get(layer.out)!;
  const isMax = layer.op === 'maxpool';
  const includePad = layer.op === 'avgpool' && layer.countIncludePad;
  const useBigInt = layer.op === 'avgpool' && layer.accBits > FLOAT_SAFE_ACC_BITS;

  return () => {
    const input = buffers.get(layer.input)!;
    let o = 0;
    for (let plane = 0; plane < N * C; plane++) {
      const base = plane * H * W;
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++, o++) {
          let best = -Infinity;
          let sum = 0;
          let bigSum = 0n;
          let inside = 0;
          let padded = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sy + ky * dy - pt;
            const rowInPadded = iy >= -pt && iy < H + pb;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sx + kx * dx - pl;
              if (rowInPadded && ix >= -pl && ix < W + pr) padded++;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              const v = input[base + iy * W + ix];
              inside++;
              if (isMax) { if (v > best) best = v; }
              else if (useBigInt) bigSum += BigInt(v);
              else sum += v;
            }
          }
          if (isMax) {
            out[o] = inside > 0 ? best : 0;
            continue;
          }
          const c = includePad ? padded : inside;
          let q: number;
          if (c === 0) q = 0;
          else if (useBigInt) {
            const x = bigSum + BigInt(Math.floor(c / 2));
            const d = BigInt(c);
            let big = x / d;
            if (big * d > x) big -= 1n; // BigInt division truncates; make it a floor
            if (big < BigInt(minValue) || big > BigInt(maxValue))
              throwOverflow({ layer: layer.name, op: layer.op, tensor: layer.out, index: o, value: big, minValue, maxValue, valueBits: model.valueBits });
            q = Number(big);
          } else q = floorDivide(sum + Math.floor(c / 2), c);
          if (q < minValue || q > maxValue)
            throwOverflow({ layer: layer.name, op: layer.op, tensor: layer.out, index: o, value: q, minValue, maxValue, valueBits: model.valueBits });
          out[o] = q;
        }
    }
  };
}
