/**
 * 2-D `conv` (group 1): per output element one MAC per weight tap inside the input (taps in the
 * padding are skipped, they add 0), then one RESCALE whose immediate is the bias. Weights are
 * immediates, so a MAC touches one memory word.
 */
import { UnsupportedModelError } from '../../errors.ts';
import type { ConvLayer } from '../../quant/types.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerConv: LowerLayer<ConvLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const input = context.viewOf(layer.input, layer);
  const weight = context.constantOf(layer.weight, layer).data;
  const bias = layer.bias ? context.constantOf(layer.bias, layer).data : undefined;
  const [N, C, H, W] = context.dimsOf(layer.input);
  const [M, WC, kh, kw] = context.dimsOf(layer.weight);
  const outDims = context.dimsOf(layer.out);
  const [ON, OM, OH, OW] = outDims;
  if (WC !== C || ON !== N || OM !== M)
    throw new UnsupportedModelError(`${context.where(layer)}: input [${N},${C},${H},${W}], weight [${M},${WC},${kh},${kw}], output [${outDims}] (only group = 1 is supported)`, { hint: 're-export the model with group = 1', details: { layer: layer.name } });
  const [pt, pl] = layer.pads;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const out = context.allocate(layer.out);
  let o = 0;
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++, o++) {
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sy + ky * dy - pt;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sx + kx * dx - pl;
                if (ix < 0 || ix >= W) continue;
                emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], input[((n * C + c) * H + iy) * W + ix], 0, weight[((m * C + c) * kh + ky) * kw + kx]);
              }
            }
          emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0, bias ? bias[m] : 0);
        }
  return out;
};
