/**
 * 2-D `conv` (any group: filter m reads its group's C/group channels): per output element one MAC
 * per weight tap inside the input (taps in the padding are skipped, they add 0), then one RESCALE
 * whose immediate is the bias. Constant weights are immediates, so a MAC touches one memory word;
 * a weight given as a graph input is read from memory (MAC of two words, as a matmul of two
 * activations).
 */
import { UnsupportedModelError } from '../../errors.ts';
import type { ConvLayer } from '../../quant/types.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerConv: LowerLayer<ConvLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const input = context.viewOf(layer.input, layer);
  const constantWeight = context.model.constants[layer.weight];
  const weight = constantWeight ? constantWeight.data : context.viewOf(layer.weight, layer);
  const bias = layer.bias ? context.constantOf(layer.bias, layer).data : undefined;
  const [N, inChannels, H, W] = context.dimsOf(layer.input);
  const [M, C, kh, kw] = context.dimsOf(layer.weight);
  const outDims = context.dimsOf(layer.out);
  const [ON, OM, OH, OW] = outDims;
  const group = layer.group ?? 1;
  if (C * group !== inChannels || M % group !== 0 || ON !== N || OM !== M)
    throw new UnsupportedModelError(`${context.where(layer)}: input [${N},${inChannels},${H},${W}], weight [${M},${C},${kh},${kw}], output [${outDims}] do not fit group = ${group}`, { hint: 're-quantize the model', details: { layer: layer.name } });
  const filtersPerGroup = M / group;
  const [pt, pl] = layer.pads;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const out = context.allocate(layer.out);
  let o = 0;
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++, o++) {
          const channelBase = n * inChannels + Math.floor(m / filtersPerGroup) * C;
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sy + ky * dy - pt;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sx + kx * dx - pl;
                if (ix < 0 || ix >= W) continue;
                const x = input[((channelBase + c) * H + iy) * W + ix];
                const w = weight[((m * C + c) * kh + ky) * kw + kx];
                if (constantWeight) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], x, 0, w);
                else emitter.emit(VmOp.MAC, 0, out[o], x, w);
              }
            }
          emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0, bias ? bias[m] : 0);
        }
  return out;
};
