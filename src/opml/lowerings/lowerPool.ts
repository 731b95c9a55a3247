/**
 * 2-D `maxpool` and `avgpool`. Max: a chain of MAX steps over the window's elements inside the
 * input (FIRST on the first, STORE on the last). Average: ACC per element, then AVG by the
 * divisor (the padded window's size with countIncludePad, else the elements inside). An empty
 * window writes 0 (one RESCALE of acc = 0), as the engine does.
 */
import type { AvgPoolLayer, MaxPoolLayer } from '../../quant/types.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerPool: LowerLayer<MaxPoolLayer | AvgPoolLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const X = context.viewOf(layer.input, layer);
  const [N, C, H, W] = context.dimsOf(layer.input);
  const [, , OH, OW] = context.dimsOf(layer.out);
  const [kh, kw] = layer.kernel;
  const [pt, pl, pb, pr] = layer.pads;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const out = context.allocate(layer.out);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++, o++) {
        const inside: number[] = [];
        let padded = 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sy + ky * dy - pt;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sx + kx * dx - pl;
            if (iy >= -pt && iy < H + pb && ix >= -pl && ix < W + pr) padded++;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) inside.push(X[plane * H * W + iy * W + ix]);
          }
        }
        const count = layer.op === 'avgpool' && layer.countIncludePad ? padded : inside.length;
        if (inside.length === 0 || count === 0) {
          emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0);
        } else if (layer.op === 'maxpool') {
          inside.forEach((addr, i) =>
            emitter.emit(VmOp.MAX, (i === 0 ? VmFlag.FIRST : 0) | (i === inside.length - 1 ? VmFlag.STORE : 0), out[o], addr, 0));
        } else {
          for (const addr of inside) emitter.emit(VmOp.ACC, 0, out[o], addr, 0);
          emitter.emit(VmOp.AVG, 0, out[o], 0, 0, count);
        }
      }
  return out;
};
