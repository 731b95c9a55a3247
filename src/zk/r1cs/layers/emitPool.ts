/**
 * `maxpool` → MaxPool per image (a chain of Max2, v + 2 per comparison); `avgpool` → AvgPool
 * (RoundDiv per output: v + 2·bits(c − 1)). Padding never enters a window.
 */
import { UnsupportedModelError } from '../../../errors.ts';
import type { AvgPoolLayer, MaxPoolLayer } from '../../../quant/types.ts';
import { max2, roundDiv } from '../gadgets.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitPool: DirectEmitLayer<MaxPoolLayer | AvgPoolLayer> = ({ context, layer, id }) => {
  const { cs, dimsOf } = context;
  const v = context.model.valueBits;
  const inDims = dimsOf(layer.input);
  const outDims = dimsOf(layer.out);
  if (inDims.length !== 4 || outDims.length !== 4)
    throw new UnsupportedModelError(`${context.where(layer)}: only 2-D pooling on NCHW tensors is supported`, { details: { layer: layer.name, dims: inDims } });
  const [batches, C, H, W] = inDims as [number, number, number, number];
  const [, , OH, OW] = outDims as [number, number, number, number];
  const [KH, KW] = layer.kernel;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const [pt, pl, pb, pr] = layer.pads;
  const input = context.operand(layer.input);
  const out = new Array(batches * C * OH * OW);
  for (let n = 0; n < batches; n++) {
    const component = `main.${id}[${n}]`;
    for (let c = 0; c < C; c++)
      for (let y = 0; y < OH; y++)
        for (let x = 0; x < OW; x++) {
          const window = [];
          let padded = 0;
          for (let ky = 0; ky < KH; ky++)
            for (let kx = 0; kx < KW; kx++) {
              const iy = y * sy + ky * dy - pt;
              const ix = x * sx + kx * dx - pl;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) window.push(input[((n * C + c) * H + iy) * W + ix]!);
              if (iy >= -pt && iy < H + pb && ix >= -pl && ix < W + pr) padded++;
            }
          if (window.length === 0)
            throw new UnsupportedModelError(`${context.where(layer)}: output [${c}][${y}][${x}] has a window with no input element`, { details: { layer: layer.name } });
          let result;
          if (layer.op === 'maxpool') {
            result = window[0]!;
            if (cs.recording) cs.name(() => `${component}.running[${c}][${y}][${x}][0]`, result);
            for (let i = 1; i < window.length; i++) {
              result = max2(cs, () => `${component}.max[${c}][${y}][${x}][${i}]`, window[i]!, result, v);
              if (cs.recording) cs.name(() => `${component}.running[${c}][${y}][${x}][${i}]`, result);
            }
          } else {
            let sum = cs.constant(0);
            for (const element of window) sum = cs.add(sum, element);
            result = roundDiv(cs, () => `${component}.divide[${c}][${y}][${x}]`, sum, layer.countIncludePad ? padded : window.length, v);
          }
          if (cs.recording) cs.name(() => `${component}.out[${c}][${y}][${x}]`, result);
          out[((n * C + c) * OH + y) * OW + x] = result;
        }
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) cs.name(() => `${component}.in[${c}][${y}][${x}]`, input[((n * C + c) * H + y) * W + x]!);
  }
  return out;
};
