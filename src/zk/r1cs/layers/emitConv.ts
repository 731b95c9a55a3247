/**
 * `conv` (2-D, NCHW, group 1) → Conv2D per image (one product per in-bounds tap + s+v per
 * output), or with constant weights Conv2DConst (s+v per output: the taps are linear).
 */
import { UnsupportedModelError } from '../../../errors.ts';
import type { ConvLayer } from '../../../quant/types.ts';
import { rescale } from '../gadgets.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitConv: DirectEmitLayer<ConvLayer> = ({ context, layer, id }) => {
  const { cs, model, dimsOf } = context;
  const { weights } = context.settings;
  const s = model.scaleBits;
  const v = model.valueBits;
  const inDims = dimsOf(layer.input);
  const weightDims = dimsOf(layer.weight);
  const outDims = dimsOf(layer.out);
  if (inDims.length !== 4 || weightDims.length !== 4 || outDims.length !== 4)
    throw new UnsupportedModelError(`${context.where(layer)}: only 2-D convolutions on NCHW tensors are supported`, { details: { layer: layer.name, dims: inDims } });
  const [batches, C, H, W] = inDims as [number, number, number, number];
  const [M, , KH, KW] = weightDims as [number, number, number, number];
  const [, , OH, OW] = outDims as [number, number, number, number];
  const input = context.operand(layer.input);
  const weightData = model.constants[layer.weight]!.data;
  const biasData = layer.bias ? model.constants[layer.bias]!.data : new Array<number>(M).fill(0);
  const weightSignals = weights === 'constant' ? undefined : context.weightSignals(layer.weight);
  const biasSignals = weights !== 'constant' && layer.bias ? context.weightSignals(layer.bias) : undefined;
  const out = new Array(batches * M * OH * OW);
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const [pt, pl] = layer.pads;
  for (let n = 0; n < batches; n++) {
    const component = `main.${id}[${n}]`;
    const image = (c: number, y: number, x: number) => input[((n * C + c) * H + y) * W + x]!;
    for (let m = 0; m < M; m++)
      for (let y = 0; y < OH; y++)
        for (let x = 0; x < OW; x++) {
          let accumulator;
          if (weightSignals) {
            accumulator = biasSignals ? biasSignals[m]! : cs.constant(0);
            for (let c = 0; c < C; c++)
              for (let ky = 0; ky < KH; ky++)
                for (let kx = 0; kx < KW; kx++) {
                  const iy = y * sy + ky * dy - pt;
                  const ix = x * sx + kx * dx - pl;
                  if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                  const product = cs.mul(image(c, iy, ix), weightSignals[((m * C + c) * KH + ky) * KW + kx]!);
                  if (cs.recording) cs.name(() => `${component}.product[${m}][${y}][${x}][${c}][${ky}][${kx}]`, product);
                  accumulator = cs.add(accumulator, product);
                }
          } else {
            const taps: number[] = [];
            const xs = [];
            for (let c = 0; c < C; c++)
              for (let ky = 0; ky < KH; ky++)
                for (let kx = 0; kx < KW; kx++) {
                  const iy = y * sy + ky * dy - pt;
                  const ix = x * sx + kx * dx - pl;
                  if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                  taps.push(weightData[((m * C + c) * KH + ky) * KW + kx]!);
                  xs.push(image(c, iy, ix));
                }
            accumulator = cs.dot(taps, 0, 1, xs, biasData[m]!);
          }
          const result = rescale(cs, () => `${component}.rescale[${m}][${y}][${x}]`, accumulator, s, v);
          if (cs.recording) cs.name(() => `${component}.out[${m}][${y}][${x}]`, result);
          out[((n * M + m) * OH + y) * OW + x] = result;
        }
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) cs.name(() => `${component}.in[${c}][${y}][${x}]`, image(c, y, x));
  }
  return out;
};
