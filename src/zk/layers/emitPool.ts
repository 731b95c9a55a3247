/** `maxpool` / `avgpool` (2-D, NCHW) → one MaxPool or AvgPool component per batch image. */
import { UnsupportedModelError } from '../../errors.ts';
import type { AvgPoolLayer, MaxPoolLayer } from '../../quant/types.ts';
import type { EmitLayer } from './types.ts';

export const emitPool: EmitLayer<MaxPoolLayer | AvgPoolLayer> = ({ context, layer, id }) => {
  const { body, dimsOf, operand } = context;
  const v = context.model.valueBits;
  const inDims = dimsOf(layer.input);
  const outDims = dimsOf(layer.out);
  if (inDims.length !== 4 || outDims.length !== 4)
    throw new UnsupportedModelError(`${context.where(layer)}: only 2-D pooling on NCHW tensors is supported`, { details: { layer: layer.name, dims: inDims } });
  const [batches, C, H, W] = inDims as [number, number, number, number];
  const [, , OH, OW] = outDims as [number, number, number, number];
  const input = operand(layer.input);
  const geometry = `${layer.kernel[0]}, ${layer.kernel[1]}, ${OH}, ${OW}, [${layer.pads.join(',')}], [${layer.strides.join(',')}], [${layer.dilations.join(',')}]`;
  const template = layer.op === 'maxpool' ? `MaxPool(${C}, ${H}, ${W}, ${geometry}, ${v})` : `AvgPool(${C}, ${H}, ${W}, ${geometry}, ${layer.countIncludePad ? 1 : 0}, ${v})`;
  const out = new Array<string>(batches * C * OH * OW);
  body.push(`    component ${id}[${batches}];`);
  for (let n = 0; n < batches; n++) {
    const component = `${id}[${n}]`;
    body.push(`    ${component} = ${template};`);
    for (let c = 0; c < C; c++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) body.push(`    ${component}.in[${c}][${y}][${x}] <== ${input[((n * C + c) * H + y) * W + x]};`);
    for (let c = 0; c < C; c++)
      for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) out[((n * C + c) * OH + y) * OW + x] = `${component}.out[${c}][${y}][${x}]`;
  }
  return out;
};
